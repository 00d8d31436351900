import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ClusterDriver } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobRepository } from '../repositories/job.repository';
import type { WorkerLoad } from './worker-directory.repository';
import { WorkerPresenceService } from './worker-presence.service';

/** How often a worker samples its own load: half a second keeps a heartbeat's figure fresh for admission. */
export const WORKER_LOAD_SAMPLE_MS = 500;

export const IDLE_LOAD: WorkerLoad = { waiting: 0, oldestWaitingMs: 0, active: 0 };

/** The load of several commands queues as one: counts add up, the oldest wait is the longest. */
export function combineLoads(loads: WorkerLoad[]): WorkerLoad {
  return loads.reduce(
    (sum, load) => ({
      waiting: sum.waiting + load.waiting,
      oldestWaitingMs: Math.max(sum.oldestWaitingMs, load.oldestWaitingMs),
      active: sum.active + load.active,
    }),
    IDLE_LOAD,
  );
}

/**
 * Reads the load of the commands queues `targets` name (undefined: the shared queue) from BullMQ.
 * Each queue costs one round trip's time (a counts script, the oldest waiting job's list read and hash,
 * sent together); nothing is counted on the hot path.
 */
export async function measureCommandsLoad(
  jobs: JobRepository,
  targets: (string | undefined)[],
): Promise<WorkerLoad> {
  return combineLoads(await Promise.all(targets.map((target) => jobs.commandsLoad(target))));
}

/**
 * A worker's own load, sampled every WORKER_LOAD_SAMPLE_MS from its own commands queue and those of the Docker
 * hosts it serves, for its heartbeat to carry (WorkerPresenceService.provideLoad): a beat reads the last
 * sample and costs no Redis read of its own.
 */
@Injectable()
export class WorkerLoadSampler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('WorkerLoadSampler');
  private latest: WorkerLoad | undefined;
  private timer: NodeJS.Timeout | undefined;
  private targets: (string | undefined)[] = [];
  private sampling = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly jobs: JobRepository,
    private readonly presence: WorkerPresenceService,
  ) {}

  onModuleInit(): void {
    const hosts =
      this.config.worker.hosts === 'all' ? (this.driver.hostIds?.() ?? []) : this.config.worker.hosts;
    this.presence.provideLoad(() => this.current() ?? IDLE_LOAD);
    void this.watch([this.presence.workerId, ...hosts]);
  }

  /** Samples these queues from now on (replacing earlier ones); the first sample is taken at once. */
  watch(targets: (string | undefined)[]): Promise<void> {
    this.targets = [...targets];
    if (!this.timer) {
      this.timer = setInterval(() => void this.sample(), WORKER_LOAD_SAMPLE_MS);
      this.timer.unref();
    }
    return this.sample();
  }

  /** The last sample, at most about WORKER_LOAD_SAMPLE_MS old (undefined before the first one). */
  current(): WorkerLoad | undefined {
    return this.latest;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sample at a time: a slow Redis skips a beat rather than piling reads up. */
  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      this.latest = await measureCommandsLoad(this.jobs, this.targets);
    } catch (error) {
      // The last sample stands: a heartbeat carries it, and admission would rather accept than guess.
      this.logger.warn({ msg: 'load not sampled', error: (error as Error).message });
    } finally {
      this.sampling = false;
    }
  }
}
