import { Inject, Injectable } from '@nestjs/common';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import type { ClusterDriver } from '../clusters/cluster-driver';
import { DatabaseRepository } from '../repositories/database.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { WorkerDirectoryRepository } from '../placement/worker-directory.repository';
import type { HealthCheck, HealthPart, HealthReport } from '../shared/http-api';

const CHECK_TIMEOUT_MS = 2000;

async function timed(probe: () => Promise<string | void>): Promise<HealthCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
    });
    const detail = await Promise.race([probe(), timeout]);
    return { ok: true, detail: detail || 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, detail, latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The platform's parts, each with its own status, so an operator sees which one is down: the
 * database (sign-ins and new labs need it; running terminals hold their records meanwhile), Redis
 * (commands, events and jobs need it), the workers (someone must run the commands) and the cluster
 * driver.
 */
@Injectable()
export class HealthService {
  constructor(
    private readonly db: DatabaseRepository,
    private readonly redis: RedisRepository,
    private readonly workerDirectory: WorkerDirectoryRepository,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, redis, workers, clusterDriver] = await Promise.all([
      timed(() => this.db.ping()),
      timed(() => this.redis.ping()),
      timed(async () => {
        const live = await this.workerDirectory.live();
        if (live.length === 0) throw new Error('no worker process is running: commands wait');
        return `${live.length} worker${live.length === 1 ? '' : 's'} alive`;
      }),
      timed(async () => {
        const health = await this.driver.health();
        if (!health.ok) throw new Error(health.detail);
        return `${this.driver.name}: ${health.detail}`;
      }),
    ]);
    const checks = { database, redis, workers, clusterDriver };
    const down = (Object.keys(checks) as HealthPart[]).filter((part) => !checks[part].ok);
    return { status: down.length === 0 ? 'ok' : 'degraded', down, checks };
  }
}
