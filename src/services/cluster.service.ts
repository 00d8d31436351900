import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { ClusterDriver, ClusterRef, ClusterSnapshot } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { JobHandlerProvider, JobName, JobPayloads } from '../jobs/job.types';
import { ClusterRepository, ClusterSummary } from '../repositories/cluster.repository';
import { EventRepository } from '../repositories/event.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { JobRepository } from '../repositories/job.repository';
import { LabSession, LabSessionRepository } from '../repositories/lab-session.repository';
import { ClusterStatusEvent, sessionRoom } from '../shared/events';

export class ClusterUnavailableError extends Error {}

/** What cluster lifecycle needs to know of a lab session. */
export type SessionKey = Pick<LabSession, 'id' | 'userId'>;

const READY_POLL_MS = 50;

/**
 * The lifecycle of a lab session's cluster: requested → provisioning → ready → stopping → gone,
 * or failed. The API requests and resets; the worker provisions, stops and expires. Every change is
 * pushed to the session's room.
 */
@Injectable()
export class ClusterService implements JobHandlerProvider {
  private readonly logger = new Logger('ClusterService');
  /**
   * Ready clusters by session, so a command needs no database read to find its cluster. An entry is
   * valid while the session's cluster epoch in Redis (bumped on every change of the session's
   * cluster, and on every saved snapshot) still has the value read before the entry was filled.
   */
  private readonly readyCache = new Map<string, { epoch: string | null; cluster: ClusterSummary }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly clusters: ClusterRepository,
    private readonly sessions: LabSessionRepository,
    private readonly jobs: JobRepository,
    private readonly events: EventRepository,
    private readonly redis: RedisRepository,
  ) {}

  /** The session's live cluster, requesting a new one when there is none (resuming saved state). */
  async ensureCluster(session: SessionKey, options: { fresh?: boolean } = {}): Promise<ClusterSummary> {
    const live = await this.clusters.liveForSession(session.id);
    if (live) return live;
    await this.checkCaps(session.userId);
    // An idle-expired embedded cluster comes back with its objects; a reset one does not.
    const previous = options.fresh ? null : await this.clusters.latestForSession(session.id);
    const resume =
      previous && previous.error !== 'reset' && this.driver.name === 'embedded' && previous.snapshotVersion
        ? await this.clusters.loadSnapshot(previous.id)
        : null;
    const cluster = await this.clusters.create({
      labSessionId: session.id,
      driver: this.driver.name,
      snapshot: resume,
      snapshotVersion: resume ? previous?.snapshotVersion : null,
    });
    await this.changed(session.id);
    const now = Date.now();
    await this.sessions.setDeadlines(
      session.id,
      new Date(now + this.config.clusters.idleMinutes * 60_000),
      new Date(now + this.config.clusters.hardLimitMinutes * 60_000),
    );
    // Announced before the job exists: a worker's "ready" must never reach the client before this.
    this.publish(cluster, { message: resume ? 'Restoring your cluster' : 'Cluster requested' });
    await this.jobs.queue({ name: JobName.ClusterProvision, data: { clusterId: cluster.id } });
    return cluster;
  }

  /** Replaces the session's cluster with a fresh one; the worker removes the old one. */
  async reset(session: LabSession): Promise<ClusterSummary> {
    const live = await this.clusters.liveForSession(session.id);
    if (
      live &&
      (await this.clusters.transition(live.id, ['requested', 'provisioning', 'ready'], 'stopping'))
    ) {
      this.publish(live, { status: 'stopping', message: 'Resetting: removing the old cluster' });
      await this.jobs.queue({ name: JobName.ClusterStop, data: { clusterId: live.id, reason: 'reset' } });
    }
    return this.ensureCluster(session, { fresh: true });
  }

  /** Pushes the idle expiry back, never past the hard deadline. */
  async extend(session: LabSession): Promise<{ idleExpiresAt: Date; hardDeadlineAt: Date | null }> {
    const wanted = new Date(Date.now() + this.config.clusters.idleMinutes * 60_000);
    const idleExpiresAt =
      session.hardDeadlineAt && session.hardDeadlineAt < wanted ? session.hardDeadlineAt : wanted;
    await this.sessions.touch([session.id], new Date(), idleExpiresAt);
    const live = await this.clusters.liveForSession(session.id);
    if (live) {
      this.publish(live, {
        idleExpiresAt: idleExpiresAt.toISOString(),
        hardDeadlineAt: session.hardDeadlineAt?.toISOString() ?? null,
      });
    }
    return { idleExpiresAt, hardDeadlineAt: session.hardDeadlineAt };
  }

  /** The host whose workers run this session's commands, for backends spread over several hosts. */
  async hostOf(labSessionId: string): Promise<string | undefined> {
    if (!this.driver.hostFor) return undefined;
    const cluster = await this.clusters.liveForSession(labSessionId);
    return cluster?.status === 'ready' && cluster.host ? cluster.host : undefined;
  }

  /**
   * Brings the records and the backend into agreement: the backend drops what no live record
   * claims; ready records whose resources vanished are marked gone, so the next command provisions
   * a new cluster.
   */
  async reconcile(): Promise<{ removed: string[]; missing: string[] }> {
    const live = await this.clusters.listLive();
    const ids = live.map((cluster) => cluster.id);
    const report = this.driver.reconcile
      ? await this.driver.reconcile(ids)
      : await this.reconcileByList(new Set(ids));
    for (const clusterId of report.missing) {
      const cluster = live.find((candidate) => candidate.id === clusterId);
      if (!cluster || cluster.status !== 'ready') continue;
      const gone = await this.clusters.transition(clusterId, ['ready'], 'gone', {
        stoppedAt: new Date(),
        error: 'missing',
      });
      if (gone)
        this.publish(cluster, {
          status: 'gone',
          message: 'The cluster disappeared; a new one starts with your next command',
        });
    }
    return report;
  }

  private async reconcileByList(live: Set<string>): Promise<{ removed: string[]; missing: string[] }> {
    const held = await this.driver.list();
    const removed: string[] = [];
    for (const cluster of held) {
      if (live.has(cluster.clusterId)) continue;
      await this.driver.destroy({ clusterId: cluster.clusterId, attachState: {} });
      removed.push(cluster.clusterId);
    }
    // An in-process backend cannot tell a cluster it never held from one it lost: nothing is missing.
    return { removed, missing: [] };
  }

  async statusEvent(session: LabSession): Promise<ClusterStatusEvent | null> {
    const cluster = await this.clusters.latestForSession(session.id);
    if (!cluster) return null;
    return {
      ...this.baseEvent(cluster),
      idleExpiresAt: session.idleExpiresAt?.toISOString() ?? null,
      hardDeadlineAt: session.hardDeadlineAt?.toISOString() ?? null,
      message: cluster.error && cluster.status === 'failed' ? cluster.error : undefined,
    };
  }

  // ---- worker side ----

  jobHandlers() {
    return {
      [JobName.ClusterProvision]: (data: JobPayloads[JobName.ClusterProvision]) => this.provision(data),
      [JobName.ClusterStop]: (data: JobPayloads[JobName.ClusterStop]) => this.stop(data),
    };
  }

  async provision({ clusterId }: JobPayloads[JobName.ClusterProvision]): Promise<void> {
    const cluster = await this.clusters.findById(clusterId);
    if (
      !cluster ||
      !(await this.clusters.transition(clusterId, ['requested', 'provisioning'], 'provisioning'))
    )
      return;
    const session = await this.sessions.findById(cluster.labSessionId);
    if (!session) return;
    this.publish(cluster, { status: 'provisioning', message: 'Provisioning' });
    try {
      const ref = await this.driver.provision(
        {
          clusterId,
          labSessionId: session.id,
          ownerId: session.userId,
          nodeCount: 1,
          snapshot: cluster.snapshot,
        },
        (progress) => this.publish(cluster, { status: 'provisioning', progress, message: progress.step }),
      );
      const snapshot = await this.driver.snapshot(ref);
      const host = typeof ref.attachState.host === 'string' ? ref.attachState.host : null;
      const ready = await this.clusters.transition(clusterId, ['provisioning'], 'ready', {
        attachState: ref.attachState,
        readyAt: new Date(),
        host,
        snapshot: snapshot ?? undefined,
      });
      if (!ready) {
        // Stopped while provisioning: release what was just created.
        await this.driver.destroy(ref);
        return;
      }
      this.publish(cluster, {
        status: 'ready',
        message: 'Cluster ready',
        idleExpiresAt: session.idleExpiresAt?.toISOString() ?? null,
        hardDeadlineAt: session.hardDeadlineAt?.toISOString() ?? null,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error({ msg: 'provisioning failed', clusterId, error: message });
      await this.clusters.transition(clusterId, ['provisioning'], 'failed', { error: message });
      this.publish(cluster, { status: 'failed', message: `Cluster could not be created: ${message}` });
    }
  }

  async stop({ clusterId, reason }: JobPayloads[JobName.ClusterStop]): Promise<void> {
    const cluster = await this.clusters.findById(clusterId);
    if (!cluster) return;
    const stoppable = await this.clusters.transition(
      clusterId,
      ['requested', 'provisioning', 'ready', 'stopping'],
      'stopping',
    );
    if (!stoppable) return;
    // No worker may pick this cluster from its cache once it is going away.
    await this.changed(cluster.labSessionId);
    this.publish(cluster, { status: 'stopping', message: `Stopping (${reason})` });
    try {
      const ref = this.refOf(cluster);
      // Keep the final state, so an idle-expired session resumes where the student left off.
      const snapshot = reason === 'reset' ? undefined : ((await this.driver.snapshot(ref)) ?? undefined);
      await this.driver.destroy(ref);
      await this.clusters.transition(clusterId, ['stopping'], 'gone', {
        stoppedAt: new Date(),
        error: reason,
        snapshot: snapshot?.version === cluster.snapshotVersion ? undefined : snapshot,
      });
      this.publish(cluster, { status: 'gone', message: stopMessages[reason] });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.clusters.transition(clusterId, ['stopping'], 'failed', { error: message });
      this.publish(cluster, { status: 'failed', message });
    }
  }

  /**
   * The ready cluster a command should run on: waits while it is being provisioned, and brings an
   * expired one back. Throws ClusterUnavailableError when provisioning failed or took too long.
   */
  /**
   * `epochRead` lets a caller start reading the session's cluster epoch alongside its own Redis
   * calls, so both travel in one write (the command runner's hot path).
   */
  async readyRef(
    session: SessionKey,
    timeoutMs = 120_000,
    epochRead: Promise<string | null> = this.epochOf(session.id),
  ): Promise<{ cluster: ClusterSummary; ref: ClusterRef }> {
    const epoch = await epochRead;
    const cached = this.readyCache.get(session.id);
    if (cached && cached.epoch === epoch) return { cluster: cached.cluster, ref: this.refOf(cached.cluster) };
    const deadline = Date.now() + timeoutMs;
    let cluster = await this.ensureCluster(session);
    while (cluster.status !== 'ready') {
      if (cluster.status === 'failed') {
        throw new ClusterUnavailableError(
          `the cluster could not be created (${cluster.error ?? 'unknown error'})`,
        );
      }
      if (Date.now() > deadline)
        throw new ClusterUnavailableError('the cluster is still starting; try again shortly');
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
      const latest = await this.clusters.findSummary(cluster.id);
      cluster = latest && latest.status !== 'gone' ? latest : await this.ensureCluster(session);
    }
    this.readyCache.set(session.id, { epoch, cluster });
    return { cluster, ref: this.refOf(cluster) };
  }

  /** The counter that changes whenever the session's cluster does: cached cluster views check it. */
  epochOf(labSessionId: string): Promise<string | null> {
    return this.redis.get(this.epochKey(labSessionId));
  }

  /** The session's ready cluster, if it has one, without creating anything (for grading). */
  async readyCluster(labSessionId: string): Promise<{ cluster: ClusterSummary; ref: ClusterRef } | null> {
    const epoch = await this.epochOf(labSessionId);
    const cached = this.readyCache.get(labSessionId);
    if (cached && cached.epoch === epoch) return { cluster: cached.cluster, ref: this.refOf(cached.cluster) };
    const cluster = await this.clusters.liveForSession(labSessionId);
    if (!cluster || cluster.status !== 'ready') return null;
    this.readyCache.set(labSessionId, { epoch, cluster });
    return { cluster, ref: this.refOf(cluster) };
  }

  /** Persists the cluster's state if it changed since the version the record holds. */
  /** Persists a cluster's snapshot (ClusterDriver.snapshot) unless the record already holds that version. */
  async saveSnapshot(cluster: ClusterSummary, snapshot: ClusterSnapshot | null): Promise<void> {
    if (snapshot && snapshot.version !== cluster.snapshotVersion) {
      await this.clusters.saveSnapshot(cluster.id, snapshot);
      // Other workers must notice the newer state; this one already holds it.
      const epoch = await this.changed(cluster.labSessionId);
      this.readyCache.set(cluster.labSessionId, {
        epoch: String(epoch),
        cluster: { ...cluster, snapshotVersion: snapshot.version },
      });
    }
  }

  /**
   * Provisioning jobs can be lost (Redis restarted, a worker died mid-way); re-queueing is harmless
   * because the job id is the cluster's and provisioning resumes from whatever state it finds.
   */
  async requeueStuck(olderThanMs: number): Promise<void> {
    for (const cluster of await this.clusters.listPending(new Date(Date.now() - olderThanMs))) {
      await this.jobs.queue({ name: JobName.ClusterProvision, data: { clusterId: cluster.id } });
    }
  }

  /** Warns sessions about to go idle and stops clusters past their idle expiry or hard deadline. */
  async sweep(warned: (clusterId: string) => Promise<boolean>): Promise<void> {
    const now = Date.now();
    const warningMs = this.config.clusters.idleWarningMinutes * 60_000;
    for (const cluster of await this.clusters.listExpiring(new Date(now + warningMs))) {
      const deadlinePassed = cluster.hardDeadlineAt !== null && cluster.hardDeadlineAt.getTime() <= now;
      const idlePassed = cluster.idleExpiresAt !== null && cluster.idleExpiresAt.getTime() <= now;
      if (deadlinePassed || idlePassed) {
        await this.jobs.queue({
          name: JobName.ClusterStop,
          data: { clusterId: cluster.id, reason: deadlinePassed ? 'deadline' : 'idle' },
        });
      } else if (cluster.idleExpiresAt && (await warned(cluster.id))) {
        this.events.emit(sessionRoom(cluster.labSessionId), 'cluster.idle-warning', {
          labSessionId: cluster.labSessionId,
          clusterId: cluster.id,
          expiresAt: cluster.idleExpiresAt.toISOString(),
        });
      }
    }
  }

  refOf(cluster: ClusterSummary): ClusterRef {
    return {
      clusterId: cluster.id,
      attachState: (cluster.attachState ?? {}) as Record<string, unknown>,
      snapshotVersion: cluster.snapshotVersion,
      loadSnapshot: () => this.clusters.loadSnapshot(cluster.id),
    };
  }

  private async checkCaps(userId: string): Promise<void> {
    const { maxPerStudent, maxTotal } = this.config.clusters;
    if ((await this.clusters.countLive({ userId })) >= maxPerStudent) {
      throw new HttpException(
        `You already have ${maxPerStudent} running cluster(s). Stop or reset one of your labs first.`,
        HttpStatus.CONFLICT,
      );
    }
    if ((await this.clusters.countLive()) >= maxTotal) {
      throw new HttpException(
        'The platform is at its cluster limit right now. Please try again in a few minutes.',
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
  }

  /** Invalidates every worker's cached view of the session's cluster. */
  private async changed(labSessionId: string): Promise<number> {
    this.readyCache.delete(labSessionId);
    return this.redis.increment(this.epochKey(labSessionId));
  }

  private epochKey(labSessionId: string): string {
    return `${this.config.redisPrefix}:cluster-epoch:${labSessionId}`;
  }

  private baseEvent(cluster: ClusterSummary): ClusterStatusEvent {
    return { labSessionId: cluster.labSessionId, clusterId: cluster.id, status: cluster.status };
  }

  private publish(cluster: ClusterSummary, change: Partial<ClusterStatusEvent>): void {
    if (change.status) void this.changed(cluster.labSessionId).catch(() => undefined);
    this.events.emit(sessionRoom(cluster.labSessionId), 'cluster.status', {
      ...this.baseEvent(cluster),
      ...change,
    });
  }
}

const stopMessages: Record<JobPayloads[JobName.ClusterStop]['reason'], string> = {
  reset: 'Cluster removed for a reset',
  idle: 'Cluster stopped after a period without activity; it comes back with your work when you continue',
  deadline: 'Cluster stopped: the session reached its time limit',
  finished: 'Cluster stopped: the lab is finished',
  admin: 'Cluster stopped by an administrator',
};
