import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { LabRepository } from '../repositories/lab.repository';
import { LabSession, LabSessionRepository } from '../repositories/lab-session.repository';
import type { LabSessionView } from '../shared/http-api';
import type { AuthUser } from './auth.service';
import { ClusterLifecycleService } from './cluster-lifecycle.service';
import { ClusterLookupService } from './cluster-lookup.service';
import { CourseService } from './course.service';
import { AuthoredLabCatalog } from '../authoring/authored-lab-catalog';

export type SessionAccess = 'owner' | 'watcher';

/** Who may see and drive a lab session: its student drives it, the course's instructors watch it. */
@Injectable()
export class LabSessionService {
  constructor(
    private readonly sessions: LabSessionRepository,
    private readonly labs: LabRepository,
    private readonly courses: CourseService,
    private readonly clusters: ClusterLifecycleService,
    private readonly lookup: ClusterLookupService,
    private readonly authored: AuthoredLabCatalog,
  ) {}

  async start(user: AuthUser, courseId: string, labId: string): Promise<LabSessionView> {
    const { role } = await this.courses.access(user, courseId);
    if (role !== 'student') throw new ForbiddenException('Only students of the course work on its labs.');
    if (!(await this.labs.isInCourse(courseId, labId)))
      throw new NotFoundException('Lab not found in this course.');
    const session = await this.sessions.upsert({ userId: user.id, courseId, labId });
    // An authored lab's session keeps the version it starts with, whatever is published later.
    await this.authored.pinOnStart(session);
    await this.clusters.ensureCluster(session);
    return this.view((await this.sessions.findById(session.id)) ?? session);
  }

  async get(user: AuthUser, labSessionId: string): Promise<LabSessionView> {
    const { session } = await this.access(user, labSessionId);
    return this.view(session);
  }

  async reset(user: AuthUser, labSessionId: string): Promise<LabSessionView> {
    const session = await this.requireOwner(user, labSessionId);
    await this.clusters.reset(session);
    return this.view((await this.sessions.findById(session.id)) ?? session);
  }

  async extend(user: AuthUser, labSessionId: string): Promise<LabSessionView> {
    const session = await this.requireOwner(user, labSessionId);
    await this.clusters.extend(session);
    return this.view((await this.sessions.findById(session.id)) ?? session);
  }

  /** The session and the caller's relation to it; anyone else gets 404 so ids cannot be probed. */
  async access(
    user: AuthUser,
    labSessionId: string,
  ): Promise<{ session: LabSession; access: SessionAccess }> {
    const session = UUID.test(labSessionId) ? await this.sessions.findById(labSessionId) : null;
    if (!session) throw new NotFoundException('Lab session not found.');
    if (session.userId === user.id) return { session, access: 'owner' };
    const role = await this.courses.access(user, session.courseId).then(
      (found) => found.role,
      () => undefined,
    );
    if (role === 'instructor' || role === 'admin') return { session, access: 'watcher' };
    throw new NotFoundException('Lab session not found.');
  }

  async requireOwner(user: AuthUser, labSessionId: string): Promise<LabSession> {
    const { session, access } = await this.access(user, labSessionId);
    if (access !== 'owner') throw new ForbiddenException('Only the student working on this lab can do that.');
    return session;
  }

  private async view(session: LabSession): Promise<LabSessionView> {
    return {
      id: session.id,
      courseId: session.courseId,
      labId: session.labId,
      userId: session.userId,
      status: session.status,
      startedAt: session.startedAt.toISOString(),
      idleExpiresAt: session.idleExpiresAt?.toISOString() ?? null,
      hardDeadlineAt: session.hardDeadlineAt?.toISOString() ?? null,
      cluster: await this.lookup.statusEvent(session),
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
