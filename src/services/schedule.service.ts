import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { Lab } from '../labs';
import { AuditRepository } from '../repositories/audit.repository';
import { Course, CourseRepository } from '../repositories/course.repository';
import {
  CourseLab,
  CourseScheduleRepository,
  DueExtensionWithStudent,
  ScheduleEntryInput,
} from '../repositories/course-schedule.repository';
import type { Course as CourseView } from '../shared/http-api';
import type { CourseSchedule, DueExtensionView, ScheduleEntryView } from '../shared/schedule-api';
import { isValidTimeZone, parseScheduleTime, toZonedLocal } from '../shared/zoned-time';
import type { AuthUser } from './auth.service';
import { CourseService } from './course.service';
import { LabCatalogService } from './lab-catalog.service';

/** A schedule row as the API receives it: times as parseScheduleTime reads them, null for none. */
export interface ScheduleEntryRequest {
  labId: string;
  opensAt: string | null;
  dueAt: string | null;
  weight: number;
}

/** A lab as one caller may see it in a course: its schedule row and, for a student, their due time. */
export interface LabWindow {
  /** The caller's role in the course. */
  role: CourseView['role'];
  entry: CourseLab;
  timeZone: string;
  dueAt: Date | null;
  extended: boolean;
}

const local = (instant: Date | null, timeZone: string) => (instant ? toZonedLocal(instant, timeZone) : null);

/**
 * Which labs a course offers, in which order, when each opens and is due, and how much each weighs;
 * the course's time zone; and due-time extensions for single students. Instructors of the course
 * (and admins) change them; students only ever see opened labs.
 */
@Injectable()
export class ScheduleService {
  constructor(
    private readonly courses: CourseService,
    private readonly courseRecords: CourseRepository,
    private readonly schedules: CourseScheduleRepository,
    private readonly catalog: LabCatalogService,
    private readonly audit: AuditRepository,
  ) {}

  async schedule(actor: AuthUser, courseId: string): Promise<CourseSchedule> {
    const course = await this.courses.requireInstructor(actor, courseId);
    return this.scheduleOf(course);
  }

  async replace(actor: AuthUser, courseId: string, rows: ScheduleEntryRequest[]): Promise<CourseSchedule> {
    const course = await this.courses.requireInstructor(actor, courseId);
    const entries = rows.map((row, index) => this.entryFrom(row, index, course.timeZone));
    const seen = new Set<string>();
    for (const [index, entry] of entries.entries()) {
      if (seen.has(entry.labId))
        throw new BadRequestException(`labs[${index}]: lab "${entry.labId}" is listed twice.`);
      seen.add(entry.labId);
    }
    await this.schedules.replace(courseId, entries);
    await this.audit.record({
      actorId: actor.id,
      action: 'course.schedule',
      targetType: 'course',
      targetId: courseId,
      data: {
        labs: entries.map((entry) => ({
          labId: entry.labId,
          opensAt: entry.opensAt?.toISOString() ?? null,
          dueAt: entry.dueAt?.toISOString() ?? null,
          weight: entry.weight,
        })),
      },
    });
    return this.scheduleOf(course);
  }

  /** Stored times are instants: a new zone keeps them and shows them on its own clock. */
  async setTimeZone(actor: AuthUser, courseId: string, timeZone: string): Promise<CourseView> {
    await this.courses.requireInstructor(actor, courseId);
    if (!isValidTimeZone(timeZone))
      throw new BadRequestException(`timeZone: "${timeZone}" is not an IANA time zone (e.g. Asia/Shanghai).`);
    await this.schedules.setTimeZone(courseId, timeZone);
    await this.audit.record({
      actorId: actor.id,
      action: 'course.time_zone',
      targetType: 'course',
      targetId: courseId,
      data: { timeZone },
    });
    return this.courses.get(actor, courseId);
  }

  async setExtension(
    actor: AuthUser,
    courseId: string,
    labId: string,
    userId: string,
    dueAt: string,
  ): Promise<DueExtensionView> {
    const course = await this.courses.requireInstructor(actor, courseId);
    await this.requireScheduledLab(courseId, labId);
    const student = await this.requireStudent(courseId, userId);
    const instant = this.timeOrFail('dueAt', dueAt, course.timeZone);
    await this.schedules.setExtension(courseId, labId, userId, instant);
    await this.audit.record({
      actorId: actor.id,
      action: 'course.extension',
      targetType: 'course',
      targetId: courseId,
      data: { labId, userId, dueAt: instant.toISOString() },
    });
    return {
      labId,
      userId,
      email: student.email,
      displayName: student.displayName,
      dueAt: instant.toISOString(),
      dueAtLocal: toZonedLocal(instant, course.timeZone),
    };
  }

  async removeExtension(actor: AuthUser, courseId: string, labId: string, userId: string): Promise<void> {
    await this.courses.requireInstructor(actor, courseId);
    await this.schedules.removeExtension(courseId, labId, userId);
    await this.audit.record({
      actorId: actor.id,
      action: 'course.extension_removed',
      targetType: 'course',
      targetId: courseId,
      data: { labId, userId },
    });
  }

  /**
   * The lab as the caller may see it, or 404: students only see labs of the schedule that have
   * opened, and get their own due time; instructors and admins see every scheduled lab.
   */
  async window(user: AuthUser, courseId: string, labId: string): Promise<LabWindow> {
    const { course, role } = await this.courses.access(user, courseId);
    const entry = await this.schedules.findEntry(courseId, labId);
    if (!entry || !this.catalog.get(labId) || (role === 'student' && !isOpen(entry, new Date())))
      throw new NotFoundException('Lab not found in this course.');
    const extension =
      role === 'student' ? await this.schedules.findExtension(courseId, labId, user.id) : null;
    return {
      role,
      entry,
      timeZone: course.timeZone,
      dueAt: extension?.dueAt ?? entry.dueAt,
      extended: !!extension,
    };
  }

  /** Every lab the caller may see, in schedule order (students: opened ones, with their due times). */
  async windows(user: AuthUser, courseId: string): Promise<LabWindow[]> {
    const { course, role } = await this.courses.access(user, courseId);
    const now = new Date();
    const entries = (await this.schedules.listEntries(courseId)).filter(
      (entry) => this.catalog.get(entry.labId) && (role !== 'student' || isOpen(entry, now)),
    );
    const extensions =
      role === 'student'
        ? new Map(
            (await this.schedules.listExtensionsForStudent(courseId, user.id)).map((e) => [e.labId, e.dueAt]),
          )
        : new Map<string, Date>();
    return entries.map((entry) => ({
      role,
      entry,
      timeZone: course.timeZone,
      dueAt: extensions.get(entry.labId) ?? entry.dueAt,
      extended: extensions.has(entry.labId),
    }));
  }

  entryView(entry: CourseLab, lab: Lab, timeZone: string): ScheduleEntryView {
    return {
      labId: entry.labId,
      title: lab.title,
      position: entry.position,
      opensAt: entry.opensAt?.toISOString() ?? null,
      opensAtLocal: local(entry.opensAt, timeZone),
      dueAt: entry.dueAt?.toISOString() ?? null,
      dueAtLocal: local(entry.dueAt, timeZone),
      weight: entry.weight,
      maxPoints: lab.steps.reduce((sum, step) => sum + step.points, 0),
      stepCount: lab.steps.length,
    };
  }

  private async scheduleOf(course: Course): Promise<CourseSchedule> {
    const entries = await this.schedules.listEntries(course.id);
    const scheduled = new Set(entries.map((entry) => entry.labId));
    const extensions = await this.schedules.listExtensions(course.id);
    return {
      courseId: course.id,
      timeZone: course.timeZone,
      labs: entries.flatMap((entry) => {
        const lab = this.catalog.get(entry.labId);
        return lab ? [this.entryView(entry, lab, course.timeZone)] : [];
      }),
      otherLabs: this.catalog
        .all()
        .filter((lab) => !scheduled.has(lab.id))
        .map((lab) => ({ labId: lab.id, title: lab.title })),
      extensions: extensions.map((extension) => extensionView(extension, course.timeZone)),
    };
  }

  private entryFrom(row: ScheduleEntryRequest, index: number, timeZone: string): ScheduleEntryInput {
    const field = `labs[${index}]`;
    if (!this.catalog.get(row.labId)) throw new BadRequestException(`${field}.labId: no lab "${row.labId}".`);
    const opensAt = row.opensAt === null ? null : this.timeOrFail(`${field}.opensAt`, row.opensAt, timeZone);
    const dueAt = row.dueAt === null ? null : this.timeOrFail(`${field}.dueAt`, row.dueAt, timeZone);
    if (opensAt && dueAt && dueAt.getTime() <= opensAt.getTime())
      throw new BadRequestException(`${field}.dueAt: must be after opensAt.`);
    return { labId: row.labId, opensAt, dueAt, weight: row.weight };
  }

  private timeOrFail(field: string, value: string, timeZone: string): Date {
    try {
      return parseScheduleTime(value, timeZone);
    } catch (error) {
      throw new BadRequestException(`${field}: ${(error as Error).message}`);
    }
  }

  private async requireScheduledLab(courseId: string, labId: string): Promise<void> {
    if (!(await this.schedules.findEntry(courseId, labId)))
      throw new NotFoundException('Lab not found in this course.');
  }

  private async requireStudent(courseId: string, userId: string) {
    const student = (await this.courseRecords.listStudents(courseId)).find((s) => s.id === userId);
    if (!student) throw new NotFoundException('No student with this id in the course.');
    return student;
  }
}

function isOpen(entry: CourseLab, now: Date): boolean {
  return entry.opensAt === null || entry.opensAt.getTime() <= now.getTime();
}

function extensionView(extension: DueExtensionWithStudent, timeZone: string): DueExtensionView {
  return {
    labId: extension.labId,
    userId: extension.userId,
    email: extension.email,
    displayName: extension.displayName,
    dueAt: extension.dueAt.toISOString(),
    dueAtLocal: toZonedLocal(extension.dueAt, timeZone),
  };
}
