/**
 * What one command costs the platform, summed over a workload: CPU time of the API, the workers (summed), the Redis
 * server and the database's PostgreSQL backends, Redis commands (INFO commandstats) and PostgreSQL
 * transactions (pg_stat_database's commits: each statement outside a transaction is one). Redis and
 * PostgreSQL are counted as a whole, so the figures are only the platform's when nothing else uses them:
 * run the bench against a Redis of its own (REDIS_URL) for the Redis figures to mean anything.
 */
import type Redis from 'ioredis';
import type { TestPlatform } from '../../test/support/platform';
import { processCpuMs } from './cpu';

interface Reading {
  api: number;
  worker: number;
  redis: number;
  postgres: Map<number, number>;
  redisCalls: Map<string, number>;
  commits: number;
}

export class CommandCosts {
  private constructor(
    private readonly platform: TestPlatform,
    private readonly redis: Redis,
    private readonly redisPid: number,
  ) {}

  static async open(platform: TestPlatform, redis: Redis): Promise<CommandCosts> {
    const server = await redis.info('server');
    const pid = Number(/process_id:(\d+)/.exec(server)?.[1]);
    return new CommandCosts(platform, redis, pid);
  }

  async read(): Promise<Reading> {
    const stats = await this.redis.info('commandstats');
    const redisCalls = new Map<string, number>();
    for (const match of stats.matchAll(/cmdstat_([^:]+):calls=(\d+)/g))
      redisCalls.set(match[1], Number(match[2]));
    const backends = (await this.platform.db.prisma.$queryRawUnsafe(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    )) as { pid: number }[];
    const [database] = (await this.platform.db.prisma.$queryRawUnsafe(
      `SELECT xact_commit::float8 AS commits FROM pg_stat_database WHERE datname = current_database()`,
    )) as { commits: number }[];
    return {
      api: processCpuMs(this.platform.api.child?.pid),
      worker: this.platform.workers.reduce((sum, worker) => sum + processCpuMs(worker.child?.pid), 0),
      redis: processCpuMs(this.redisPid),
      postgres: new Map(backends.map(({ pid }) => [pid, processCpuMs(pid)])),
      redisCalls,
      commits: database?.commits ?? 0,
    };
  }

  /** Lines describing the cost per command between two readings (`commands` run meanwhile). */
  async report(before: Reading, commands: number): Promise<string[]> {
    const after = await this.read();
    // A backend that was not there before started during the workload: all its time counts.
    let postgres = 0;
    for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
    const per = (value: number) => (commands > 0 ? value / commands : NaN);
    const calls = [...after.redisCalls]
      .map(([name, count]) => [name, count - (before.redisCalls.get(name) ?? 0)] as const)
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1]);
    const totalCalls = calls.reduce((sum, [, count]) => sum + count, 0);
    // The bench's own readings (INFO, the queries above) are a handful against thousands of commands.
    const cpu = (name: string, ms: number) => `${name} ${per(ms).toFixed(2)}`;
    return [
      `  CPU ms per command: ${[
        cpu('API', after.api - before.api),
        cpu(this.platform.workers.length > 1 ? 'workers' : 'worker', after.worker - before.worker),
        cpu('Redis', after.redis - before.redis),
        cpu('PostgreSQL (this database)', postgres),
      ].join(
        ', ',
      )}; total ${per(after.api - before.api + after.worker - before.worker + after.redis - before.redis + postgres).toFixed(2)} (${commands} commands, /proc ticks of 10 ms)`,
      `  Redis commands per command ${per(totalCalls).toFixed(2)}: ${calls
        .slice(0, 12)
        .map(([name, count]) => `${name} ${per(count).toFixed(2)}`)
        .join(', ')}`,
      `  PostgreSQL commits per command ${per(after.commits - before.commits).toFixed(2)}`,
    ];
  }
}
