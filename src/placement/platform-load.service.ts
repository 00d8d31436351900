import { Inject, Injectable } from '@nestjs/common';
import type { ClusterDriver } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { PlatformLoad } from '../shared/http-api';
import { AdmissionService, judgeLoad } from './admission.service';
import { WorkerDirectoryRepository } from './worker-directory.repository';

/** The name the dashboard shows for the commands queue every worker shares. */
export const SHARED_QUEUE = 'shared';

/**
 * The platform's load for the instructors' dashboard: each commands queue (every live worker's own, each Docker
 * host's, and the shared one) with its waiting drains, the oldest one's age and its running drains, and the
 * refusals of the last minute. The same cached reads as admission, so the dashboard shows what admission judges.
 */
@Injectable()
export class PlatformLoadService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly admission: AdmissionService,
    private readonly directory: WorkerDirectoryRepository,
  ) {}

  async report(now = Date.now()): Promise<PlatformLoad> {
    const workers = await this.directory.live();
    const targets: (string | undefined)[] = [
      ...workers.map((worker) => worker.workerId),
      ...(this.driver.hostIds?.() ?? []),
      undefined,
    ];
    const [loads, refusalsLastMinute] = await Promise.all([
      Promise.all(targets.map((target) => this.admission.loadOf(target, now))),
      this.admission.refusalsLastMinute(now),
    ]);
    return {
      workers: targets.map((target, index) => ({
        worker: target ?? SHARED_QUEUE,
        ...loads[index],
        overloaded: !judgeLoad(loads[index], this.config.admission).ok,
      })),
      refusalsLastMinute,
      bounds: { ...this.config.admission },
      measuredAt: new Date(now).toISOString(),
    };
  }
}
