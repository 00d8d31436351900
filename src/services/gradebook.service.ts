import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { ownClientOf } from './session-history';
import type { Lab } from '../labs';
import { AuditRepository } from '../repositories/audit.repository';
import { CommandRunRepository } from '../repositories/command-run.repository';
import { CourseRepository } from '../repositories/course.repository';
import { CourseScheduleRepository } from '../repositories/course-schedule.repository';
import { LabSessionRepository } from '../repositories/lab-session.repository';
import { StepResult, StepResultRepository } from '../repositories/step-result.repository';
import { UserRepository } from '../repositories/user.repository';
import { courseRoom, sessionRoom } from '../shared/events';
import type { Gradebook, GradebookRow, Replay, ReplayEvent, StepResultView } from '../shared/http-api';
import { EventRepository } from '../repositories/event.repository';
import type { AuthUser } from './auth.service';
import { CourseService } from './course.service';
import { effectivePoints, GradingService } from './grading.service';
import { LabCatalogService } from './lab-catalog.service';
import { LabSessionService } from './lab-session.service';
import { LabVersionRepository } from '../authoring/repositories/lab-version.repository';
import { effectiveDueAt, isLabLate, isLate } from './lateness';

/** What instructors see of a course: the gradebook, a student's session replay, overrides and CSV. */
@Injectable()
export class GradebookService {
  constructor(
    private readonly courses: CourseService,
    private readonly courseRecords: CourseRepository,
    private readonly catalog: LabCatalogService,
    private readonly sessions: LabSessionRepository,
    private readonly sessionAccess: LabSessionService,
    private readonly results: StepResultRepository,
    private readonly runs: CommandRunRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly grading: GradingService,
    private readonly events: EventRepository,
    private readonly schedules: CourseScheduleRepository,
    private readonly labVersions: LabVersionRepository,
  ) {}

  async gradebook(actor: AuthUser, courseId: string, labId: string): Promise<Gradebook> {
    await this.courses.requireInstructor(actor, courseId);
    const lab = this.labOrFail(labId);
    const students = await this.courseRecords.listStudents(courseId);
    const sessions = await this.sessions.listForCourse(courseId, labId);
    const bySession = groupBy(
      await this.results.listForSessions(sessions.map((s) => s.id)),
      (r) => r.labSessionId,
    );
    const sessionOf = new Map(sessions.map((session) => [session.userId, session]));
    // Which published version each student worked on (authored labs; null for built-in ones).
    const versionOf = await this.labVersions.versionNumbers(sessions.flatMap((s) => s.labVersionId ?? []));
    const labDueAt = (await this.schedules.findEntry(courseId, labId))?.dueAt ?? null;
    const extensions = new Map(
      (await this.schedules.listExtensions(courseId, labId)).map((extension) => [
        extension.userId,
        extension.dueAt,
      ]),
    );
    const maxPoints = lab.steps.reduce((sum, step) => sum + step.points, 0);
    const rows = students.map((student): GradebookRow => {
      const session = sessionOf.get(student.id);
      const results = new Map((session ? (bySession.get(session.id) ?? []) : []).map((r) => [r.stepId, r]));
      const steps: GradebookRow['steps'] = {};
      const dueAt = effectiveDueAt(labDueAt, extensions.get(student.id));
      for (const step of lab.steps) {
        const result = results.get(step.id);
        steps[step.id] = {
          state: result?.state ?? 'pending',
          points: effectivePoints(result),
          firstPassedAt: result?.firstPassedAt?.toISOString() ?? null,
          overridden: result?.overridePoints !== null && result?.overridePoints !== undefined,
          late: isLate(result?.firstPassedAt, dueAt),
        };
      }
      const passedTimes = lab.steps.map((step) => results.get(step.id)?.firstPassedAt ?? null);
      const complete = passedTimes.every((time) => time !== null);
      return {
        userId: student.id,
        email: student.email,
        displayName: student.displayName,
        labSessionId: session?.id ?? null,
        totalPoints: Object.values(steps).reduce((sum, step) => sum + step.points, 0),
        maxPoints,
        completedAt: complete
          ? new Date(Math.max(...passedTimes.map((time) => (time as Date).getTime()))).toISOString()
          : null,
        dueAt: dueAt?.toISOString() ?? null,
        late: isLabLate(passedTimes, dueAt),
        labVersion: (session?.labVersionId && versionOf.get(session.labVersionId)) || null,
        steps,
      };
    });
    return {
      lab: {
        id: lab.id,
        title: lab.title,
        steps: lab.steps.map((step) => ({ id: step.id, title: step.title, points: step.points })),
      },
      rows,
    };
  }

  /**
   * The gradebook as CSV: UTF-8 with a byte-order mark so spreadsheet programs show Chinese names.
   * `late` is yes/no for the lab; `late_steps` names the steps passed after the student's due time;
   * `lab_version` is the published version the student's session is pinned to (empty for built-in labs).
   */
  async csv(actor: AuthUser, courseId: string, labId: string): Promise<string> {
    const book = await this.gradebook(actor, courseId, labId);
    const header = [
      'email',
      'name',
      ...book.lab.steps.map((step) => `${step.id} (${step.points})`),
      'total',
      'max',
      'completed_at',
      'due_at',
      'late',
      'late_steps',
      'lab_version',
    ];
    const lines = [
      header,
      ...book.rows.map((row) => [
        row.email,
        row.displayName,
        ...book.lab.steps.map((step) => String(row.steps[step.id].points)),
        String(row.totalPoints),
        String(row.maxPoints),
        row.completedAt ?? '',
        row.dueAt ?? '',
        row.late ? 'yes' : 'no',
        book.lab.steps
          .filter((step) => row.steps[step.id].late)
          .map((step) => step.id)
          .join(' '),
        row.labVersion === null ? '' : String(row.labVersion),
      ]),
    ];
    return '\ufeff' + lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }

  async replay(actor: AuthUser, labSessionId: string): Promise<Replay> {
    const session = await this.sessionAccess.get(actor, labSessionId);
    if (session.userId !== actor.id) await this.courses.requireInstructor(actor, session.courseId);
    const student = await this.users.findById(session.userId);
    if (!student) throw new NotFoundException('Lab session not found.');
    const commands = await this.runs.recent(labSessionId, 10_000);
    const gradings = await this.results.events(labSessionId);
    const overrides = await this.audit.listForTarget('lab_session', labSessionId);
    const events: ReplayEvent[] = [
      ...commands.map((run): ReplayEvent => ({
        type: 'command',
        at: (run.startedAt ?? run.queuedAt).toISOString(),
        runId: run.id,
        seq: run.seq,
        command: run.command,
        output: run.output,
        exitCode: run.exitCode,
        status: run.status,
        ownClient: ownClientOf(run.effects),
      })),
      ...gradings.map((event): ReplayEvent => ({
        type: 'grading',
        at: event.createdAt.toISOString(),
        stepId: event.stepId,
        state: event.state,
        points: event.points,
      })),
      ...overrides
        .filter((event) => event.action === 'grade.override')
        .map((event): ReplayEvent => {
          const data = (event.data ?? {}) as {
            stepId?: string;
            points?: number | null;
            comment?: string;
            by?: string;
          };
          return {
            type: 'override',
            at: event.createdAt.toISOString(),
            stepId: data.stepId ?? '',
            points: data.points ?? null,
            comment: data.comment ?? '',
            by: data.by ?? '',
          };
        }),
    ];
    events.sort((a, b) => a.at.localeCompare(b.at) || order(a) - order(b));
    return {
      session,
      student: { id: student.id, email: student.email, displayName: student.displayName },
      events,
    };
  }

  async override(
    actor: AuthUser,
    labSessionId: string,
    stepId: string,
    input: { points: number | null; comment: string },
  ): Promise<StepResultView> {
    const { session } = await this.sessionAccess.access(actor, labSessionId);
    await this.courses.requireInstructor(actor, session.courseId);
    const step = this.labOrFail(session.labId).steps.find((candidate) => candidate.id === stepId);
    if (!step) throw new NotFoundException(`The lab has no step "${stepId}".`);
    if (input.points !== null && input.points > step.points) {
      throw new BadRequestException(`points: at most ${step.points} for step "${stepId}".`);
    }
    const result = await this.results.override({
      labSessionId,
      stepId,
      points: input.points,
      maxPoints: step.points,
      comment: input.comment,
      actorId: actor.id,
      at: new Date(),
    });
    await this.audit.record({
      actorId: actor.id,
      action: 'grade.override',
      targetType: 'lab_session',
      targetId: labSessionId,
      data: { stepId, points: input.points, comment: input.comment, by: actor.email },
    });
    const update = await this.grading.current(session);
    if (update)
      this.events.emit([sessionRoom(labSessionId), courseRoom(session.courseId)], 'grading.updated', update);
    return stepResultView(result);
  }

  private labOrFail(labId: string): Lab {
    const lab = this.catalog.get(labId);
    if (!lab) throw new NotFoundException('Lab not found.');
    return lab;
  }
}

function stepResultView(result: StepResult): StepResultView {
  return {
    ...result,
    firstPassedAt: result.firstPassedAt?.toISOString() ?? null,
    lastCheckedAt: result.lastCheckedAt?.toISOString() ?? null,
    overriddenAt: result.overriddenAt?.toISOString() ?? null,
  };
}

export function csvCell(value: string): string {
  // Quote every cell that could break the row; neutralise leading characters spreadsheets treat as formulas.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function order(event: ReplayEvent): number {
  return event.type === 'command' ? 0 : event.type === 'grading' ? 1 : 2;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
