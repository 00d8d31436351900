import { Injectable } from '@nestjs/common';
import type { LabRegrade } from '../../infra/database/generated/client';
import { DatabaseRepository } from '../../repositories/database.repository';
import type { RegradeState } from '../../shared/authoring-api';

export type { LabRegrade };

@Injectable()
export class RegradeRepository {
  constructor(private readonly db: DatabaseRepository) {}

  create(input: {
    labId: string;
    courseId: string;
    fromVersion: number;
    toVersion: number;
    createdById: string;
  }): Promise<LabRegrade> {
    return this.db.client.labRegrade.create({ data: input });
  }

  findById(id: string): Promise<LabRegrade | null> {
    return this.db.client.labRegrade.findUnique({ where: { id } });
  }

  async update(id: string, data: { state?: RegradeState; done?: number; total?: number }): Promise<void> {
    const finished = data.state === 'done' || data.state === 'failed';
    await this.db.client.labRegrade.update({
      where: { id },
      data: { ...data, ...(finished ? { finishedAt: new Date() } : {}) },
    });
  }

  /**
   * Scores a session's step results against another version's steps: a step both versions have keeps
   * its state and counts the new version's points; a step the new version dropped goes; a new step is
   * pending. Instructor overrides stay. One transaction per session.
   */
  async rescore(labSessionId: string, steps: { id: string; points: number }[]): Promise<void> {
    const ids = steps.map((step) => step.id);
    await this.db.client.$transaction(async (tx) => {
      await tx.stepResult.deleteMany({ where: { labSessionId, stepId: { notIn: ids } } });
      const existing = await tx.stepResult.findMany({ where: { labSessionId } });
      const byStep = new Map(existing.map((result) => [result.stepId, result]));
      for (const step of steps) {
        const result = byStep.get(step.id);
        if (!result) {
          await tx.stepResult.create({ data: { labSessionId, stepId: step.id, maxPoints: step.points } });
        } else {
          await tx.stepResult.update({
            where: { id: result.id },
            data: { maxPoints: step.points, points: result.state === 'passed' ? step.points : 0 },
          });
        }
      }
    });
  }
}
