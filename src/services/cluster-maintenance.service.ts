import { Inject, Injectable } from '@nestjs/common';
import type { ClusterDriver } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { ClusterRepository } from '../repositories/cluster.repository';
import { ClusterLifecycleService } from './cluster-lifecycle.service';

/**
 * Housekeeping of clusters (run by HousekeepingService, one worker at a time): decides which clusters
 * to re-queue, stop, warn or mark gone, and has ClusterLifecycleService do it, so every change of a
 * cluster is still made and announced in one place. Every step is safe to repeat.
 */
@Injectable()
export class ClusterMaintenanceService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly clusters: ClusterRepository,
    private readonly lifecycle: ClusterLifecycleService,
  ) {}

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
      if (cluster?.status === 'ready') await this.lifecycle.markMissing(cluster);
    }
    return report;
  }

  /**
   * Provisioning jobs can be lost (Redis restarted, a worker died mid-way): those of clusters still
   * not ready after `olderThanMs` are queued again.
   */
  async requeueStuck(olderThanMs: number): Promise<void> {
    for (const cluster of await this.clusters.listPending(new Date(Date.now() - olderThanMs))) {
      await this.lifecycle.requestProvision(cluster);
    }
  }

  /**
   * Stops clusters past their idle expiry or hard deadline, and warns sessions about to go idle
   * (once each: `warned` answers true the first time it is asked about a cluster).
   */
  async sweep(warned: (clusterId: string) => Promise<boolean>): Promise<void> {
    const now = Date.now();
    const warningMs = this.config.clusters.idleWarningMinutes * 60_000;
    for (const cluster of await this.clusters.listExpiring(new Date(now + warningMs))) {
      const deadlinePassed = cluster.hardDeadlineAt !== null && cluster.hardDeadlineAt.getTime() <= now;
      const idlePassed = cluster.idleExpiresAt !== null && cluster.idleExpiresAt.getTime() <= now;
      if (deadlinePassed || idlePassed) {
        await this.lifecycle.requestStop(cluster, deadlinePassed ? 'deadline' : 'idle');
      } else if (cluster.idleExpiresAt && (await warned(cluster.id))) {
        this.lifecycle.warnIdle(cluster, cluster.idleExpiresAt);
      }
    }
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
}
