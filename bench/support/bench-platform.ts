/** The platform as the multi-worker benchmarks start it: API and N worker processes, production-sized pools. */
import { startPlatform, TestPlatform } from '../../test/support/platform';

export interface BenchPlatform {
  platform: TestPlatform;
  /** The worker processes running: one on a platform from before worker placement, whatever was asked. */
  workers: TestPlatform['worker'][];
}

export async function startBenchPlatform(
  workers: number,
  extraEnv: Record<string, string> = {},
): Promise<BenchPlatform> {
  // Each process has its own database pool: 20 (the production size) up to 2 workers, smaller beyond, so the
  // platform stays well under PostgreSQL's 100 connections.
  const poolSize = process.env.DATABASE_POOL_SIZE ?? String(Math.min(20, Math.floor(60 / (workers + 1))));
  // A variable, not a literal: a platform from before worker placement has no `workers` option, and ignores it.
  const options: Parameters<typeof startPlatform>[1] & { workers?: number } = { workers };
  const platform = await startPlatform(
    {
      LOG_LEVEL: 'error',
      COMMANDS_PER_MINUTE: '1000',
      WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '50',
      DATABASE_POOL_SIZE: poolSize,
      ...extraEnv,
    },
    options,
  );
  const running = (platform as Partial<Pick<TestPlatform, 'workers'>>).workers ?? [platform.worker];
  return { platform, workers: running };
}
