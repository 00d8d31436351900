import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ClusterDriver } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { SessionPlacementService } from './session-placement.service';
import { WorkerPresenceService } from './worker-presence.service';

/**
 * Keeps a worker's memory to the clusters of the sessions placed on it: once per half idle window, a cluster held in
 * memory whose session runs no job here and is no longer placed here (placed on another worker, or idle past its
 * placement) is dropped. Its state is safe: every command and API write saves the snapshot, and the next job of the
 * session, wherever it runs, restores it from there. So memory follows placement, not the history of migrations.
 */
@Injectable()
export class ClusterMemoryService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ClusterMemory');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly placement: SessionPlacementService,
    private readonly presence: WorkerPresenceService,
  ) {}

  onModuleInit(): void {
    if (this.driver.capabilities.clustersLiveIn !== 'process' || !this.driver.heldInMemory) return;
    const everyMs = (this.config.worker.placementIdleSeconds * 1000) / 2;
    this.timer = setInterval(() => void this.dropUnplaced().catch(() => undefined), everyMs);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Drops the clusters this worker holds for sessions placed elsewhere; answers how many it dropped. */
  async dropUnplaced(): Promise<number> {
    const held = this.driver.heldInMemory?.() ?? [];
    if (held.length === 0) return 0;
    const placedOn = await this.placement.placedOn(held.map((cluster) => cluster.labSessionId));
    let dropped = 0;
    held.forEach(({ clusterId, labSessionId }, index) => {
      // Checked after the read, synchronously with the drop: a job that started meanwhile holds the session.
      if (placedOn[index] === this.presence.workerId || this.placement.isHeld(labSessionId)) return;
      this.driver.dropFromMemory?.(clusterId);
      dropped++;
    });
    if (dropped > 0)
      this.logger.log({ msg: 'clusters dropped from memory', dropped, kept: held.length - dropped });
    return dropped;
  }
}
