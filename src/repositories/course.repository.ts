import { Injectable } from '@nestjs/common';
import type { Course, CourseRole, Enrollment, User } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type { Course, CourseRole, Enrollment };
export type CourseStudent = Pick<User, 'id' | 'email' | 'displayName'> & { joinedAt: Date };

@Injectable()
export class CourseRepository {
  constructor(private readonly db: DatabaseRepository) {}

  /** The owner is enrolled as the course's instructor in the same transaction. */
  create(input: { title: string; joinCode: string; ownerId: string }): Promise<Course> {
    return this.db.client.course.create({
      data: { ...input, enrollments: { create: { userId: input.ownerId, role: 'instructor' } } },
    });
  }

  findById(id: string): Promise<Course | null> {
    return this.db.client.course.findUnique({ where: { id } });
  }

  findByJoinCode(joinCode: string): Promise<Course | null> {
    return this.db.client.course.findUnique({ where: { joinCode } });
  }

  findByTitleAndOwner(title: string, ownerId: string): Promise<Course | null> {
    return this.db.client.course.findFirst({ where: { title, ownerId } });
  }

  listForUser(userId: string): Promise<(Course & { role: CourseRole })[]> {
    return this.db.client.enrollment
      .findMany({ where: { userId }, include: { course: true }, orderBy: { createdAt: 'asc' } })
      .then((rows) => rows.map((row) => ({ ...row.course, role: row.role })));
  }

  listAll(): Promise<Course[]> {
    return this.db.client.course.findMany({ orderBy: { createdAt: 'asc' } });
  }

  membership(courseId: string, userId: string): Promise<Enrollment | null> {
    return this.db.client.enrollment.findUnique({ where: { courseId_userId: { courseId, userId } } });
  }

  setJoinCode(courseId: string, joinCode: string, now: Date): Promise<Course> {
    return this.db.client.course.update({
      where: { id: courseId },
      data: { joinCode, joinCodeRotatedAt: now },
    });
  }

  /** Joining twice is harmless: the existing enrollment is returned unchanged. */
  enroll(courseId: string, userId: string, role: CourseRole): Promise<Enrollment> {
    return this.db.client.enrollment.upsert({
      where: { courseId_userId: { courseId, userId } },
      create: { courseId, userId, role },
      update: {},
    });
  }

  async listStudents(courseId: string): Promise<CourseStudent[]> {
    const rows = await this.db.client.enrollment.findMany({
      where: { courseId, role: 'student' },
      include: { user: { select: { id: true, email: true, displayName: true } } },
      orderBy: { user: { email: 'asc' } },
    });
    return rows.map((row) => ({ ...row.user, joinedAt: row.createdAt }));
  }
}
