import { Injectable } from '@nestjs/common';
import { JobName } from '../jobs/job.types';
import { SessionRouter } from '../placement/session-router.service';
import type { GradingUpdate } from '../shared/events';
import type { GradingRequested } from '../shared/http-api';
import type { AuthUser } from './auth.service';
import { GradingService } from './grading.service';
import { LabSessionService } from './lab-session.service';

/** Grading as the people in a session see it: the current state, and grading on request. */
@Injectable()
export class SessionGradingService {
  constructor(
    private readonly sessions: LabSessionService,
    private readonly grading: GradingService,
    private readonly router: SessionRouter,
  ) {}

  async current(user: AuthUser, labSessionId: string): Promise<GradingUpdate | null> {
    const { session } = await this.sessions.access(user, labSessionId);
    return this.grading.current(session);
  }

  async request(user: AuthUser, labSessionId: string): Promise<GradingRequested> {
    await this.sessions.access(user, labSessionId);
    await this.router.queue({ name: JobName.GradingRun, data: { labSessionId, trigger: 'request' } });
    return { queued: true };
  }
}
