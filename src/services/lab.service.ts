import { Injectable, NotFoundException } from '@nestjs/common';
import type { Lab } from '../labs';
import { LabSessionRepository } from '../repositories/lab-session.repository';
import type { LabSessionView, LabView } from '../shared/http-api';
import { toZonedLocal } from '../shared/zoned-time';
import type { AuthUser } from './auth.service';
import { LabCatalogService } from './lab-catalog.service';
import { LabSessionService } from './lab-session.service';
import { TRIAL_LAB_PREFIX } from '../authoring/services/draft.service';
import { LabWindow, ScheduleService } from './schedule.service';

/**
 * Labs as students and instructors read them, in the course's schedule order; reference solutions
 * go to instructors only. A student sees only labs that have opened: any other is 404, as if absent.
 */
@Injectable()
export class LabService {
  constructor(
    private readonly catalog: LabCatalogService,
    private readonly schedules: ScheduleService,
    private readonly sessions: LabSessionService,
    private readonly sessionRecords: LabSessionRepository,
  ) {}

  async listForCourse(user: AuthUser, courseId: string): Promise<LabView[]> {
    const windows = await this.schedules.windows(user, courseId);
    return windows.flatMap((window) => {
      const lab = this.catalog.get(window.entry.labId);
      return lab ? [this.view(lab, window)] : [];
    });
  }

  async get(user: AuthUser, courseId: string, labId: string): Promise<LabView> {
    const trial = await this.trialOf(user, courseId, labId);
    const window = trial ? trialWindow(trial) : await this.schedules.window(user, courseId, labId);
    const lab = this.catalog.get(labId);
    if (!lab) throw new NotFoundException('Lab not found in this course.');
    return this.view(lab, window);
  }

  /**
   * Starts (or resumes) the student's session, only on a lab they can see. An author trying a draft "as a
   * student" resumes the trial session the authoring API started (its hidden lab is in no schedule).
   */
  async start(user: AuthUser, courseId: string, labId: string): Promise<LabSessionView> {
    const trial = await this.trialOf(user, courseId, labId);
    if (trial) return this.sessions.get(user, trial.id);
    await this.schedules.window(user, courseId, labId);
    return this.sessions.start(user, courseId, labId);
  }

  private trialOf(user: AuthUser, courseId: string, labId: string) {
    if (!labId.startsWith(TRIAL_LAB_PREFIX)) return Promise.resolve(null);
    return this.sessionRecords.findTrial(user.id, courseId, labId);
  }

  private view(lab: Lab, window: LabWindow): LabView {
    const { entry, timeZone, dueAt } = window;
    const withSolutions = window.role !== 'student';
    return {
      // The id the course knows the lab by: a trial's hidden lab carries its draft's definition (and id).
      id: entry.labId,
      title: lab.title,
      description: lab.description,
      estimatedMinutes: lab.estimatedMinutes,
      totalPoints: lab.steps.reduce((sum, step) => sum + step.points, 0),
      steps: lab.steps.map((step) => ({
        id: step.id,
        title: step.title,
        instructions: step.instructions,
        points: step.points,
        hints: step.hints,
        solution: withSolutions ? step.solution : undefined,
      })),
      schedule: {
        position: entry.position,
        opensAt: entry.opensAt?.toISOString() ?? null,
        opensAtLocal: entry.opensAt ? toZonedLocal(entry.opensAt, timeZone) : null,
        dueAt: dueAt?.toISOString() ?? null,
        dueAtLocal: dueAt ? toZonedLocal(dueAt, timeZone) : null,
        timeZone,
        extended: window.extended,
        weight: entry.weight,
      },
    };
  }
}

/** A trial is seen as a student sees a lab (no solutions), open and never due. */
function trialWindow(trial: { courseId: string; labId: string }): LabWindow {
  return {
    role: 'student',
    entry: {
      courseId: trial.courseId,
      labId: trial.labId,
      addedAt: new Date(0),
      position: 0,
      opensAt: null,
      dueAt: null,
      weight: 0,
    },
    timeZone: 'UTC',
    dueAt: null,
    extended: false,
  };
}
