import { RunSignalsRepository } from '../repositories/run-signals.repository';
import { SessionJobsRepository } from '../repositories/session-jobs.repository';
import { HttpException, HttpStatus, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ClusterDriver, ClusterRef } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { JobHandlerProvider, JobName, JobPayloads } from '../jobs/job.types';
import { ClusterRepository, ClusterSummary } from '../repositories/cluster.repository';
import { EventRepository } from '../repositories/event.repository';
import { SessionRouter } from '../placement/session-router.service';
import { LabSession, LabSessionRepository } from '../repositories/lab-session.repository';
import { ClusterStatusEvent, sessionRoom } from '../shared/events';
import { ClusterEpochService } from './cluster-epoch.service';
import { LabCatalogService } from './lab-catalog.service';
import { applyClusterShape } from '../labs/runner/cluster-setup';
import type { ClusterShape } from '../labs/format/types';

/** What cluster lifecycle needs to know of a lab session. */
export type SessionKey = Pick<LabSession, 'id' | 'userId'>;

export type StopReason = JobPayloads[JobName.ClusterStop]['reason'];
/** A cluster's record as far as queueing its jobs goes: the session routes them to its worker. */
type ClusterOfSession = Pick<ClusterSummary, 'id' | 'labSessionId'>;

/** The status event of a cluster record, before any detail of the change is added. */
export function statusEventOf(cluster: ClusterSummary): ClusterStatusEvent {
  return { labSessionId: cluster.labSessionId, clusterId: cluster.id, status: cluster.status };
}

/**
 * The one owner of a lab session's cluster lifecycle: requested → provisioning → ready → stopping →
 * gone, or failed. Every change of a cluster's status is made here (a guarded transition of its
 * record), bumps the session's cluster epoch and is announced to the session's room from here.
 *
 * The API requests, resets and extends; the worker provisions and stops (the `cluster.provision` and
 * `cluster.stop` jobs). Housekeeping (ClusterMaintenanceService) decides what to stop, re-queue or mark
 * gone and asks this service to do it.
 */
@Injectable()
export class ClusterLifecycleService implements JobHandlerProvider {
  private readonly logger = new Logger('ClusterLifecycle');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly clusters: ClusterRepository,
    private readonly sessions: LabSessionRepository,
    private readonly router: SessionRouter,
    private readonly events: EventRepository,
    private readonly epochs: ClusterEpochService,
    private readonly sessionJobs: SessionJobsRepository,
    private readonly signals: RunSignalsRepository,
    // The labs' cluster shapes; specs of the lifecycle alone leave it out (every cluster then has one node).
    @Optional() private readonly catalog?: LabCatalogService,
  ) {}

  // ---- API side ----

  /** The session's live cluster, requesting a new one when there is none (resuming saved state). */
  async ensureCluster(session: SessionKey, options: { fresh?: boolean } = {}): Promise<ClusterSummary> {
    const live = await this.clusters.liveForSession(session.id);
    if (live) return live;
    await this.checkCaps(session.userId);
    // A cluster stopped for idleness comes back with its objects where the driver can restore them;
    // a reset one does not.
    const previous = options.fresh ? null : await this.clusters.latestForSession(session.id);
    const resume =
      previous &&
      previous.error !== 'reset' &&
      this.driver.capabilities.restoresFromSnapshot &&
      previous.snapshotVersion
        ? await this.clusters.loadSnapshot(previous.id)
        : null;
    const cluster = await this.clusters.create({
      labSessionId: session.id,
      driver: this.driver.name,
      snapshot: resume,
      snapshotVersion: resume ? previous?.snapshotVersion : null,
    });
    await this.epochs.bump(session.id);
    const now = Date.now();
    await this.sessions.setDeadlines(
      session.id,
      new Date(now + this.config.clusters.idleMinutes * 60_000),
      new Date(now + this.config.clusters.hardLimitMinutes * 60_000),
    );
    // Announced before the job exists: a worker's "ready" must never reach the client before this.
    this.publish(cluster, { message: resume ? 'Restoring your cluster' : 'Cluster requested' });
    await this.requestProvision(cluster);
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
      await this.requestStop(live, 'reset');
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

  // ---- worker side ----

  jobHandlers() {
    return {
      [JobName.ClusterProvision]: (data: JobPayloads[JobName.ClusterProvision]) => this.provision(data),
      [JobName.ClusterStop]: (data: JobPayloads[JobName.ClusterStop]) => this.stop(data),
    };
  }

  /**
   * Creates the cluster of a requested record. Safe to run again (a re-queued job): a record that is
   * no longer requested or provisioning is left alone.
   */
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
    const shape = this.catalog?.get(session.labId)?.cluster;
    try {
      const ref = await this.driver.provision(
        {
          clusterId,
          labSessionId: session.id,
          ownerId: session.userId,
          nodeCount: shape?.nodes ?? 1,
          snapshot: cluster.snapshot,
        },
        (progress) => this.publish(cluster, { status: 'provisioning', progress, message: progress.step }),
      );
      // A cluster restored from a snapshot has its shape already (and the student's changes since). The mark
      // that the shape is set up is the ready transition below, which stores the state with it: a worker that
      // dies before it leaves the record provisioning, and the re-queued job provisions and sets up again.
      if (!cluster.snapshot) await this.setUpShape(cluster, ref, shape);
      const snapshot = await this.driver.snapshot(ref);
      const host = this.driver.capabilities.multiHost ? (this.driver.hostFor?.(ref) ?? null) : null;
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
      // The driver removed what it had created (ClusterDriver.provision): only the record remains.
      await this.clusters.transition(clusterId, ['provisioning'], 'failed', { error: message });
      this.publish(cluster, { status: 'failed', message: `Cluster could not be created: ${message}` });
    }
  }

  /**
   * Brings a fresh cluster to its lab's `cluster:` shape through the driver's terminal, as `lab test` does
   * (applyClusterShape). A line that fails fails the provisioning, after the driver's cluster is removed.
   */
  private async setUpShape(cluster: ClusterSummary, ref: ClusterRef, shape: ClusterShape | undefined) {
    const signal = AbortSignal.timeout(this.config.clusters.provisionTimeoutSeconds * 1000);
    const failures = await applyClusterShape(
      shape,
      async (line) => {
        let output = '';
        const sink = {
          stdout: (chunk: string) => (output += chunk),
          stderr: (chunk: string) => (output += chunk),
        };
        const { exitCode } = await this.driver.exec(ref, line, sink, signal);
        return { exitCode, output };
      },
      (title, done, total) =>
        this.publish(cluster, {
          status: 'provisioning',
          progress: { step: `Setting up the lab: ${title}`, done, total },
          message: `Setting up the lab: ${title}`,
        }),
    ).catch(async (error: Error) => [error.message]);
    if (failures.length === 0) return;
    await this.driver.destroy(ref).catch(() => undefined);
    throw new Error(`the lab's cluster set-up failed: ${failures.join('; ')}`);
  }

  /** Removes a cluster, keeping its final state (unless reset) so the session can resume from it. */
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
    await this.epochs.bump(cluster.labSessionId);
    this.publish(cluster, { status: 'stopping', message: `Stopping (${reason})` });
    await this.endJobsOf(cluster.labSessionId);
    try {
      const ref = this.clusters.refOf(cluster);
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

  // ---- for housekeeping ----

  /**
   * Queues the provisioning of a record. Harmless to repeat: the job id is the cluster's and
   * provisioning resumes from whatever state it finds.
   */
  async requestProvision({ id, labSessionId }: ClusterOfSession): Promise<void> {
    await this.router.queue({ name: JobName.ClusterProvision, data: { clusterId: id, labSessionId } });
  }

  /** Queues the removal of a cluster (the worker's stop job does it). */
  async requestStop({ id, labSessionId }: ClusterOfSession, reason: StopReason): Promise<void> {
    await this.router.queue({ name: JobName.ClusterStop, data: { clusterId: id, labSessionId, reason } });
  }

  /**
   * Marks a ready cluster whose backend resources vanished as gone, so the next command provisions a
   * new one; false when it was no longer ready.
   */
  /** Background jobs end with the cluster they run against (the worker running each ends it). */
  private async endJobsOf(labSessionId: string): Promise<void> {
    const jobs = await this.sessionJobs.list(labSessionId).catch(() => []);
    await Promise.all(
      jobs.map((job) =>
        this.signals.send({ type: 'stop', runId: job.runId, reason: 'cluster-ended' }).catch(() => undefined),
      ),
    );
  }

  async markMissing(cluster: ClusterSummary): Promise<boolean> {
    const gone = await this.clusters.transition(cluster.id, ['ready'], 'gone', {
      stoppedAt: new Date(),
      error: 'missing',
    });
    if (gone)
      this.publish(cluster, {
        status: 'gone',
        message: 'The cluster disappeared; a new one starts with your next command',
      });
    return gone;
  }

  /** Tells the session its cluster stops soon unless the student does something. */
  warnIdle(cluster: Pick<ClusterSummary, 'id' | 'labSessionId'>, expiresAt: Date): void {
    this.events.emit(sessionRoom(cluster.labSessionId), 'cluster.idle-warning', {
      labSessionId: cluster.labSessionId,
      clusterId: cluster.id,
      expiresAt: expiresAt.toISOString(),
    });
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

  /** Announces a change; a change of status also invalidates every worker's cached view. */
  private publish(cluster: ClusterSummary, change: Partial<ClusterStatusEvent>): void {
    if (change.status) void this.epochs.bump(cluster.labSessionId).catch(() => undefined);
    this.events.emit(sessionRoom(cluster.labSessionId), 'cluster.status', {
      ...statusEventOf(cluster),
      ...change,
    });
  }
}

const stopMessages: Record<StopReason, string> = {
  reset: 'Cluster removed for a reset',
  idle: 'Cluster stopped after a period without activity; it comes back with your work when you continue',
  deadline: 'Cluster stopped: the session reached its time limit',
  finished: 'Cluster stopped: the lab is finished',
  admin: 'Cluster stopped by an administrator',
};
