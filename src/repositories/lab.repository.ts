import { Injectable } from '@nestjs/common';
import type { Lab, Prisma } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type { Lab };

@Injectable()
export class LabRepository {
  constructor(private readonly db: DatabaseRepository) {}

  async upsert(lab: { id: string; title: string; version: string; definition: unknown }): Promise<void> {
    const data = {
      title: lab.title,
      version: lab.version,
      definition: lab.definition as Prisma.InputJsonValue,
    };
    await this.db.client.lab.upsert({ where: { id: lab.id }, create: { id: lab.id, ...data }, update: data });
  }

  findById(id: string): Promise<Lab | null> {
    return this.db.client.lab.findUnique({ where: { id } });
  }

  async isInCourse(courseId: string, labId: string): Promise<boolean> {
    return (await this.db.client.courseLab.count({ where: { courseId, labId } })) === 1;
  }

  /**
   * Offers a lab in a course, undated, at the end of its schedule; adding it twice is harmless.
   * (CourseScheduleRepository owns schedules; this stays for callers that only add one lab.)
   */
  async addToCourse(courseId: string, labId: string): Promise<void> {
    const last = await this.db.client.courseLab.aggregate({ where: { courseId }, _max: { position: true } });
    await this.db.client.courseLab.createMany({
      data: [{ courseId, labId, position: (last._max.position ?? 0) + 1 }],
      skipDuplicates: true,
    });
  }
}
