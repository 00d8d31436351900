import { Injectable } from '@nestjs/common';
import type { GradingEvent, Prisma, StepResult, StepState } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type { GradingEvent, StepResult, StepState };

@Injectable()
export class StepResultRepository {
  constructor(private readonly db: DatabaseRepository) {}

  listForSession(labSessionId: string): Promise<StepResult[]> {
    return this.db.client.stepResult.findMany({ where: { labSessionId } });
  }

  listForSessions(labSessionIds: string[]): Promise<StepResult[]> {
    return this.db.client.stepResult.findMany({ where: { labSessionId: { in: labSessionIds } } });
  }

  /**
   * Records one evaluation of a step. A step that has passed stays passed with its first pass time,
   * whatever later evaluations find; the event log keeps every change for replay.
   */
  async record(input: {
    labSessionId: string;
    stepId: string;
    passed: boolean;
    points: number;
    maxPoints: number;
    at: Date;
    detail?: unknown;
  }): Promise<{ result: StepResult; newlyPassed: boolean; changed: boolean }> {
    return this.db.client.$transaction(async (tx) => {
      const key = { labSessionId_stepId: { labSessionId: input.labSessionId, stepId: input.stepId } };
      const existing = await tx.stepResult.findUnique({ where: key });
      if (existing?.state === 'passed') return { result: existing, newlyPassed: false, changed: false };
      const state: StepState = input.passed ? 'passed' : 'failed';
      const result = await tx.stepResult.upsert({
        where: key,
        create: {
          labSessionId: input.labSessionId,
          stepId: input.stepId,
          state,
          attempts: 1,
          points: input.passed ? input.points : 0,
          maxPoints: input.maxPoints,
          firstPassedAt: input.passed ? input.at : null,
          lastCheckedAt: input.at,
        },
        update: {
          state,
          attempts: { increment: 1 },
          points: input.passed ? input.points : 0,
          maxPoints: input.maxPoints,
          firstPassedAt: input.passed ? input.at : undefined,
          lastCheckedAt: input.at,
        },
      });
      const changed = existing?.state !== state;
      if (changed) {
        await tx.gradingEvent.create({
          data: {
            labSessionId: input.labSessionId,
            stepId: input.stepId,
            state,
            points: result.points,
            detail: (input.detail ?? undefined) as Prisma.InputJsonValue | undefined,
            createdAt: input.at,
          },
        });
      }
      return { result, newlyPassed: input.passed, changed };
    });
  }

  /** Counts one more evaluation of steps whose verdict did not change (one statement for all of them). */
  async countAttempts(labSessionId: string, stepIds: string[], at: Date): Promise<void> {
    if (stepIds.length === 0) return;
    await this.db.client.stepResult.updateMany({
      where: { labSessionId, stepId: { in: stepIds }, state: { not: 'passed' } },
      data: { attempts: { increment: 1 }, lastCheckedAt: at },
    });
  }

  /** An instructor's override of a step's points (null clears it); the audit log keeps who and why. */
  async override(input: {
    labSessionId: string;
    stepId: string;
    points: number | null;
    maxPoints: number;
    comment: string;
    actorId: string;
    at: Date;
  }): Promise<StepResult> {
    const key = { labSessionId_stepId: { labSessionId: input.labSessionId, stepId: input.stepId } };
    const data = {
      overridePoints: input.points,
      overrideComment: input.comment,
      overriddenById: input.actorId,
      overriddenAt: input.at,
    };
    return this.db.client.stepResult.upsert({
      where: key,
      create: { labSessionId: input.labSessionId, stepId: input.stepId, maxPoints: input.maxPoints, ...data },
      update: data,
    });
  }

  events(labSessionId: string): Promise<GradingEvent[]> {
    return this.db.client.gradingEvent.findMany({ where: { labSessionId }, orderBy: { createdAt: 'asc' } });
  }
}
