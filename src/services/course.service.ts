import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { AuditRepository } from '../repositories/audit.repository';
import { Course, CourseRepository } from '../repositories/course.repository';
import type { Course as CourseView, CourseStudent } from '../shared/http-api';
import type { AuthUser } from './auth.service';
import { LabCatalogService } from './lab-catalog.service';

/** Join codes avoid look-alike characters (0/O, 1/I/L) because students copy them from a projector. */
const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const JOIN_CODE_LENGTH = 8;

export function generateJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

export function normaliseJoinCode(code: string): string {
  return code.trim().toUpperCase().replace(/[\s-]/g, '');
}

@Injectable()
export class CourseService {
  constructor(
    private readonly courses: CourseRepository,
    private readonly audit: AuditRepository,
    private readonly catalog: LabCatalogService,
  ) {}

  async create(actor: AuthUser, title: string): Promise<CourseView> {
    const course = await this.courses.create({
      title: title.trim(),
      joinCode: generateJoinCode(),
      ownerId: actor.id,
    });
    await this.catalog.offerAllLabs(course.id);
    await this.audit.record({
      actorId: actor.id,
      action: 'course.create',
      targetType: 'course',
      targetId: course.id,
    });
    return this.view(course, 'instructor');
  }

  async listFor(user: AuthUser): Promise<CourseView[]> {
    if (user.role === 'admin')
      return (await this.courses.listAll()).map((course) => this.view(course, 'admin'));
    const rows = await this.courses.listForUser(user.id);
    return rows.map((row) => this.view(row, row.role));
  }

  async get(user: AuthUser, courseId: string): Promise<CourseView> {
    const { course, role } = await this.access(user, courseId);
    return this.view(course, role);
  }

  async rotateJoinCode(actor: AuthUser, courseId: string): Promise<CourseView> {
    await this.requireInstructor(actor, courseId);
    const course = await this.courses.setJoinCode(courseId, generateJoinCode(), new Date());
    await this.audit.record({
      actorId: actor.id,
      action: 'course.rotate_join_code',
      targetType: 'course',
      targetId: courseId,
    });
    return this.view(course, 'instructor');
  }

  async join(student: AuthUser, joinCode: string): Promise<CourseView> {
    const course = await this.findByJoinCodeOrFail(joinCode);
    const existing = await this.courses.membership(course.id, student.id);
    if (existing) return this.view(course, existing.role);
    await this.enroll(course.id, student.id);
    await this.audit.record({
      actorId: student.id,
      action: 'course.join',
      targetType: 'course',
      targetId: course.id,
    });
    return this.view(course, 'student');
  }

  async listStudents(actor: AuthUser, courseId: string): Promise<CourseStudent[]> {
    await this.requireInstructor(actor, courseId);
    const students = await this.courses.listStudents(courseId);
    return students.map((student) => ({ ...student, joinedAt: student.joinedAt.toISOString() }));
  }

  async findByJoinCodeOrFail(joinCode: string): Promise<Course> {
    const course = await this.courses.findByJoinCode(normaliseJoinCode(joinCode));
    if (!course)
      throw new NotFoundException('No course has this join code. Ask your instructor for the current one.');
    return course;
  }

  async enroll(courseId: string, userId: string): Promise<void> {
    await this.courses.enroll(courseId, userId, 'student');
  }

  /**
   * The course and the caller's role in it. Outsiders get 404, not 403, so course ids cannot be
   * probed for existence.
   */
  async access(user: AuthUser, courseId: string): Promise<{ course: Course; role: CourseView['role'] }> {
    const course = await this.courses.findById(courseId);
    if (course && user.role === 'admin') return { course, role: 'admin' };
    const membership = course ? await this.courses.membership(courseId, user.id) : null;
    if (!course || !membership) throw new NotFoundException('Course not found.');
    return { course, role: membership.role };
  }

  async requireInstructor(user: AuthUser, courseId: string): Promise<Course> {
    const { course, role } = await this.access(user, courseId);
    if (role === 'student') throw new ForbiddenException('Only the course instructors can do this.');
    return course;
  }

  private view(course: Course, role: CourseView['role']): CourseView {
    return {
      id: course.id,
      title: course.title,
      role,
      joinCode: role === 'student' ? undefined : course.joinCode,
      createdAt: course.createdAt.toISOString(),
      timeZone: course.timeZone,
    };
  }
}
