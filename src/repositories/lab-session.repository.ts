import { Injectable } from '@nestjs/common';
import type { LabSession } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type { LabSession };

@Injectable()
export class LabSessionRepository {
  constructor(private readonly db: DatabaseRepository) {}

  findById(id: string): Promise<LabSession | null> {
    return this.db.client.labSession.findUnique({ where: { id } });
  }

  /** One session per student, course and lab: starting again resumes it. */
  upsert(input: { userId: string; courseId: string; labId: string }): Promise<LabSession> {
    return this.db.client.labSession.upsert({
      where: { userId_courseId_labId: input },
      create: input,
      update: { status: 'active' },
    });
  }

  /** The user's own "try as a student" session of a draft's hidden lab, if they started one. */
  findTrial(userId: string, courseId: string, labId: string): Promise<LabSession | null> {
    return this.db.client.labSession.findFirst({ where: { userId, courseId, labId, trial: true } });
  }

  /** Records activity in the sessions `ids` (one statement for all of them). */
  async touch(ids: string[], now: Date, idleExpiresAt: Date | null): Promise<void> {
    await this.db.client.labSession.updateMany({
      where: { id: { in: ids } },
      data: { lastActivityAt: now, idleExpiresAt },
    });
  }

  async setDeadlines(id: string, idleExpiresAt: Date | null, hardDeadlineAt: Date | null): Promise<void> {
    await this.db.client.labSession.update({ where: { id }, data: { idleExpiresAt, hardDeadlineAt } });
  }

  listForCourse(courseId: string, labId?: string): Promise<LabSession[]> {
    return this.db.client.labSession.findMany({ where: { courseId, labId }, orderBy: { startedAt: 'asc' } });
  }
}
