import { Injectable } from '@nestjs/common';
import type { Course, CourseLab, DueExtension } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type { CourseLab, DueExtension };

/** One lab of a schedule as it is written: `position` comes from its place in the list. */
export interface ScheduleEntryInput {
  labId: string;
  opensAt: Date | null;
  dueAt: Date | null;
  weight: number;
}

export type DueExtensionWithStudent = DueExtension & { email: string; displayName: string };

/** A course's lab schedule (course_labs), its time zone and the students' due-time extensions. */
@Injectable()
export class CourseScheduleRepository {
  constructor(private readonly db: DatabaseRepository) {}

  /** In schedule order: position, then lab id (rows from before schedules share position 0). */
  listEntries(courseId: string): Promise<CourseLab[]> {
    return this.db.client.courseLab.findMany({
      where: { courseId },
      orderBy: [{ position: 'asc' }, { labId: 'asc' }],
    });
  }

  findEntry(courseId: string, labId: string): Promise<CourseLab | null> {
    return this.db.client.courseLab.findUnique({ where: { courseId_labId: { courseId, labId } } });
  }

  /**
   * Makes the schedule exactly `entries`, in that order, in one transaction. Labs left out leave the
   * course; their sessions, grades and extensions stay, and come back if the lab is added again.
   */
  async replace(courseId: string, entries: ScheduleEntryInput[]): Promise<void> {
    await this.db.client.$transaction(async (tx) => {
      await tx.courseLab.deleteMany({ where: { courseId, labId: { notIn: entries.map((e) => e.labId) } } });
      for (const [index, entry] of entries.entries()) {
        const data = {
          position: index + 1,
          opensAt: entry.opensAt,
          dueAt: entry.dueAt,
          weight: entry.weight,
        };
        await tx.courseLab.upsert({
          where: { courseId_labId: { courseId, labId: entry.labId } },
          create: { courseId, labId: entry.labId, ...data },
          update: data,
        });
      }
    });
  }

  /** Adds labs at the end of a course's schedule, undated; labs already in it stay where they are. */
  async append(courseId: string, labIds: string[]): Promise<void> {
    await this.db.client.$transaction(async (tx) => {
      const last = await tx.courseLab.aggregate({ where: { courseId }, _max: { position: true } });
      const present = new Set(
        (await tx.courseLab.findMany({ where: { courseId }, select: { labId: true } })).map(
          (row) => row.labId,
        ),
      );
      let position = last._max.position ?? 0;
      const data = labIds
        .filter((labId) => !present.has(labId))
        .map((labId) => ({ courseId, labId, position: ++position }));
      await tx.courseLab.createMany({ data, skipDuplicates: true });
    });
  }

  async courseIds(): Promise<string[]> {
    return (await this.db.client.course.findMany({ select: { id: true } })).map((course) => course.id);
  }

  setTimeZone(courseId: string, timeZone: string): Promise<Course> {
    return this.db.client.course.update({ where: { id: courseId }, data: { timeZone } });
  }

  async listExtensions(courseId: string, labId?: string): Promise<DueExtensionWithStudent[]> {
    const rows = await this.db.client.dueExtension.findMany({
      where: { courseId, ...(labId ? { labId } : {}) },
      include: { user: { select: { email: true, displayName: true } } },
      orderBy: [{ labId: 'asc' }, { user: { email: 'asc' } }],
    });
    return rows.map(({ user, ...row }) => ({ ...row, email: user.email, displayName: user.displayName }));
  }

  listExtensionsForStudent(courseId: string, userId: string): Promise<DueExtension[]> {
    return this.db.client.dueExtension.findMany({ where: { courseId, userId } });
  }

  findExtension(courseId: string, labId: string, userId: string): Promise<DueExtension | null> {
    return this.db.client.dueExtension.findUnique({
      where: { courseId_labId_userId: { courseId, labId, userId } },
    });
  }

  setExtension(courseId: string, labId: string, userId: string, dueAt: Date): Promise<DueExtension> {
    return this.db.client.dueExtension.upsert({
      where: { courseId_labId_userId: { courseId, labId, userId } },
      create: { courseId, labId, userId, dueAt },
      update: { dueAt },
    });
  }

  /** Removing an extension that does not exist is harmless. */
  async removeExtension(courseId: string, labId: string, userId: string): Promise<void> {
    await this.db.client.dueExtension.deleteMany({ where: { courseId, labId, userId } });
  }
}
