import { Injectable } from '@nestjs/common';
import { CourseRepository } from '../repositories/course.repository';
import { CourseScheduleRepository } from '../repositories/course-schedule.repository';
import { LabSessionRepository } from '../repositories/lab-session.repository';
import { StepResultRepository } from '../repositories/step-result.repository';
import type { CourseOverview, OverviewCell, OverviewStudent } from '../shared/schedule-api';
import type { AuthUser } from './auth.service';
import { CourseService } from './course.service';
import { csvCell } from './gradebook.service';
import { effectivePoints } from './grading.service';
import { LabCatalogService } from './lab-catalog.service';
import { effectiveDueAt, isLabLate, weightedPercent } from './lateness';
import { ScheduleService } from './schedule.service';

/**
 * The course at a glance for its instructors: every scheduled lab's completion per student, late
 * work marked (the rule is in lateness.ts), and the weighted course total.
 */
@Injectable()
export class CourseOverviewService {
  constructor(
    private readonly courses: CourseService,
    private readonly courseRecords: CourseRepository,
    private readonly schedules: CourseScheduleRepository,
    private readonly scheduleViews: ScheduleService,
    private readonly catalog: LabCatalogService,
    private readonly sessions: LabSessionRepository,
    private readonly results: StepResultRepository,
  ) {}

  async overview(actor: AuthUser, courseId: string): Promise<CourseOverview> {
    const course = await this.courses.requireInstructor(actor, courseId);
    const labs = (await this.schedules.listEntries(courseId)).flatMap((entry) => {
      const lab = this.catalog.get(entry.labId);
      return lab ? [{ entry, lab }] : [];
    });
    const students = await this.courseRecords.listStudents(courseId);
    const sessions = await this.sessions.listForCourse(courseId);
    const resultsBySession = new Map<string, Awaited<ReturnType<StepResultRepository['listForSessions']>>>();
    for (const result of await this.results.listForSessions(sessions.map((session) => session.id))) {
      const list = resultsBySession.get(result.labSessionId) ?? [];
      list.push(result);
      resultsBySession.set(result.labSessionId, list);
    }
    const sessionOf = new Map(sessions.map((session) => [`${session.userId}/${session.labId}`, session]));
    const extensions = new Map(
      (await this.schedules.listExtensions(courseId)).map((e) => [`${e.userId}/${e.labId}`, e.dueAt]),
    );

    const rows = students.map((student): OverviewStudent => {
      const cells: Record<string, OverviewCell> = {};
      for (const { entry, lab } of labs) {
        const key = `${student.id}/${lab.id}`;
        const session = sessionOf.get(key);
        const results = new Map(
          (session ? (resultsBySession.get(session.id) ?? []) : []).map((result) => [result.stepId, result]),
        );
        const passedTimes = lab.steps.map((step) => results.get(step.id)?.firstPassedAt ?? null);
        const passed = passedTimes.filter((time): time is Date => time !== null);
        const dueAt = effectiveDueAt(entry.dueAt, extensions.get(key));
        cells[lab.id] = {
          labSessionId: session?.id ?? null,
          passedSteps: passed.length,
          totalSteps: lab.steps.length,
          points: lab.steps.reduce((sum, step) => sum + effectivePoints(results.get(step.id)), 0),
          maxPoints: lab.steps.reduce((sum, step) => sum + step.points, 0),
          completedAt:
            passed.length === lab.steps.length && passed.length > 0
              ? new Date(Math.max(...passed.map((time) => time.getTime()))).toISOString()
              : null,
          dueAt: dueAt?.toISOString() ?? null,
          extended: extensions.has(key),
          late: isLabLate(passedTimes, dueAt),
        };
      }
      return {
        userId: student.id,
        email: student.email,
        displayName: student.displayName,
        labs: cells,
        weightedPercent: weightedPercent(
          labs.map(({ entry, lab }) => ({
            weight: entry.weight,
            points: cells[lab.id].points,
            maxPoints: cells[lab.id].maxPoints,
          })),
        ),
      };
    });
    return {
      courseId,
      timeZone: course.timeZone,
      labs: labs.map(({ entry, lab }) => this.scheduleViews.entryView(entry, lab, course.timeZone)),
      students: rows,
    };
  }

  /**
   * The overview as CSV (UTF-8 with a byte-order mark, like the gradebook's): per lab the steps passed
   * (out of the count in the header: "3/5" would turn into a date in a spreadsheet), the points and
   * yes/no for late, then the weighted course total in percent.
   */
  async csv(actor: AuthUser, courseId: string): Promise<string> {
    const overview = await this.overview(actor, courseId);
    const header = [
      'email',
      'name',
      ...overview.labs.flatMap((lab) => [
        `${lab.labId} steps (${lab.stepCount})`,
        `${lab.labId} points (${lab.maxPoints})`,
        `${lab.labId} late`,
      ]),
      'weighted_total_percent',
    ];
    const lines = [
      header,
      ...overview.students.map((student) => [
        student.email,
        student.displayName,
        ...overview.labs.flatMap((lab) => {
          const cell = student.labs[lab.labId];
          return [String(cell.passedSteps), String(cell.points), cell.late ? 'yes' : 'no'];
        }),
        student.weightedPercent.toFixed(2),
      ]),
    ];
    return '\ufeff' + lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }
}
