import { Inject, Injectable } from '@nestjs/common';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import type { ClusterDriver } from '../clusters/cluster-driver';
import { DatabaseRepository } from '../repositories/database.repository';
import { RedisRepository } from '../repositories/redis.repository';
import type { HealthCheck, HealthReport } from '../shared/http-api';

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

@Injectable()
export class HealthService {
  constructor(
    private readonly db: DatabaseRepository,
    private readonly redis: RedisRepository,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, redis, clusterDriver] = await Promise.all([
      timed(() => this.db.ping()),
      timed(() => this.redis.ping()),
      timed(async () => {
        const health = await this.driver.health();
        if (!health.ok) throw new Error(health.detail);
        return `${this.driver.name}: ${health.detail}`;
      }),
    ]);
    const ok = database.ok && redis.ok && clusterDriver.ok;
    return { status: ok ? 'ok' : 'degraded', checks: { database, redis, clusterDriver } };
  }
}
