import { Inject, Injectable } from '@nestjs/common';
import type { ClusterDriver, ClusterRef, ClusterSnapshot } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { ClusterRepository, ClusterSummary } from '../repositories/cluster.repository';
import type { LabSession } from '../repositories/lab-session.repository';
import type { ClusterStatusEvent } from '../shared/events';
import { ClusterEpochService } from './cluster-epoch.service';
import { ClusterLifecycleService, SessionKey, statusEventOf } from './cluster-lifecycle.service';

/** A command cannot run: its cluster failed to start, or is still starting after the wait. */
export class ClusterUnavailableError extends Error {}

const READY_POLL_MS = 50;

/**
 * Finds a session's cluster for the paths every command takes (the command runner, the terminal,
 * grading): cached per session while the session's cluster epoch holds, so a command usually needs
 * one Redis read and no database read. Changes nothing of a cluster's lifecycle except asking for a
 * cluster when a command finds none (ClusterLifecycleService.ensureCluster).
 */
@Injectable()
export class ClusterLookupService {
  constructor(
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly clusters: ClusterRepository,
    private readonly lifecycle: ClusterLifecycleService,
    private readonly epochs: ClusterEpochService,
  ) {}

  /**
   * The ready cluster a command should run on: waits while it is being provisioned, and brings an
   * expired one back. Throws ClusterUnavailableError when provisioning failed or took longer than
   * `timeoutMs`.
   *
   * `epochRead` lets a caller start reading the session's cluster epoch alongside its own Redis
   * calls, so both travel in one write (the command runner's hot path).
   */
  async readyRef(
    session: SessionKey,
    timeoutMs = 120_000,
    epochRead: Promise<string | null> = this.epochOf(session.id),
  ): Promise<{ cluster: ClusterSummary; ref: ClusterRef }> {
    const epoch = await epochRead;
    const cached = this.epochs.cached(session.id, epoch);
    if (cached) return { cluster: cached, ref: this.clusters.refOf(cached) };
    const deadline = Date.now() + timeoutMs;
    let cluster = await this.lifecycle.ensureCluster(session);
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
      cluster = latest && latest.status !== 'gone' ? latest : await this.lifecycle.ensureCluster(session);
    }
    this.epochs.remember(session.id, epoch, cluster);
    return { cluster, ref: this.clusters.refOf(cluster) };
  }

  /** The counter that changes whenever the session's cluster does: cached cluster views check it. */
  epochOf(labSessionId: string): Promise<string | null> {
    return this.epochs.read(labSessionId);
  }

  /** Where the epoch is kept in Redis, for a caller that reads it inside a script of its own. */
  epochKey(labSessionId: string): string {
    return this.epochs.keyOf(labSessionId);
  }

  /** The session's ready cluster, if it has one, without creating anything (for grading). */
  async readyCluster(labSessionId: string): Promise<{ cluster: ClusterSummary; ref: ClusterRef } | null> {
    const epoch = await this.epochOf(labSessionId);
    const cached = this.epochs.cached(labSessionId, epoch);
    if (cached) return { cluster: cached, ref: this.clusters.refOf(cached) };
    const cluster = await this.clusters.liveForSession(labSessionId);
    if (!cluster || cluster.status !== 'ready') return null;
    this.epochs.remember(labSessionId, epoch, cluster);
    return { cluster, ref: this.clusters.refOf(cluster) };
  }

  /** The host whose workers run this session's commands, on backends spread over several hosts. */
  async hostOf(labSessionId: string): Promise<string | undefined> {
    if (!this.driver.capabilities.multiHost) return undefined;
    const cluster = await this.clusters.liveForSession(labSessionId);
    return cluster?.status === 'ready' && cluster.host ? cluster.host : undefined;
  }

  /**
   * Persists a cluster's snapshot (ClusterDriver.snapshot) unless the record already holds that version, or one
   * this state follows from with time alone (`replays`: pods starting, a rollout going on after a command).
   */
  async saveSnapshot(cluster: ClusterSummary, snapshot: ClusterSnapshot | null): Promise<void> {
    if (!snapshot || snapshot.version === cluster.snapshotVersion) return;
    if (snapshot.replays !== undefined && snapshot.replays === cluster.snapshotVersion) return;
    await this.clusters.saveSnapshot(cluster.id, snapshot);
    // Other workers must notice the newer state; this one already holds it.
    await this.epochs.advance(cluster.labSessionId, { ...cluster, snapshotVersion: snapshot.version });
  }

  /** The session's latest cluster as a status event (what a joining client is shown), or null. */
  async statusEvent(session: LabSession): Promise<ClusterStatusEvent | null> {
    const cluster = await this.clusters.latestForSession(session.id);
    if (!cluster) return null;
    return {
      ...statusEventOf(cluster),
      idleExpiresAt: session.idleExpiresAt?.toISOString() ?? null,
      hardDeadlineAt: session.hardDeadlineAt?.toISOString() ?? null,
      message: cluster.error && cluster.status === 'failed' ? cluster.error : undefined,
    };
  }
}
