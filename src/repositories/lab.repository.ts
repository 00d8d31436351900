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

  /** In course order: the definition's `position`, then id; labs without a position come last. */
  async listForCourse(courseId: string): Promise<Lab[]> {
    const labs = await this.db.client.lab.findMany({
      where: { courses: { some: { courseId } } },
      orderBy: { id: 'asc' },
    });
    const position = (lab: Lab): number => {
      const value = (lab.definition as { position?: unknown } | null)?.position;
      return typeof value === 'number' ? value : Number.MAX_SAFE_INTEGER;
    };
    return labs.sort((a, b) => position(a) - position(b) || a.id.localeCompare(b.id));
  }

  async isInCourse(courseId: string, labId: string): Promise<boolean> {
    return (await this.db.client.courseLab.count({ where: { courseId, labId } })) === 1;
  }

  /** Offers a lab in a course; adding it twice is harmless. */
  async addToCourse(courseId: string, labId: string): Promise<void> {
    await this.db.client.courseLab.createMany({ data: [{ courseId, labId }], skipDuplicates: true });
  }

  async addToAllCourses(labId: string): Promise<void> {
    const courses = await this.db.client.course.findMany({ select: { id: true } });
    await this.db.client.courseLab.createMany({
      data: courses.map((course) => ({ courseId: course.id, labId })),
      skipDuplicates: true,
    });
  }
}
