import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RedisRepository, RedisScript } from './redis.repository';

/** A background job as the session's job table keeps it. */
export interface StoredJob {
  number: number;
  pid: number;
  runId: string;
  command: string;
  /** The worker process running it: when that worker's heartbeat lapses, the job is orphaned. */
  workerId: string;
  startedAt: string;
}

export type JobStart = { number: number; pid: number } | { full: true };

/** The first pid a session's jobs get; bash's pids are just as arbitrary. */
const FIRST_PID = 4242;

/**
 * Starts a job in the session's table (KEYS[1], field = job number) unless ARGV[1] jobs run
 * already: bash's rule, the next number is one more than the highest in use. The pid comes from the
 * session's counter (KEYS[2]); the job is also listed among the runs in flight (KEYS[3], by run id).
 */
const START = `local numbers = redis.call('hkeys', KEYS[1])
if #numbers >= tonumber(ARGV[1]) then return {0, 0} end
local highest = 0
for _, n in ipairs(numbers) do if tonumber(n) > highest then highest = tonumber(n) end end
local number = highest + 1
local pid = redis.call('incr', KEYS[2])
if pid < tonumber(ARGV[4]) then redis.call('set', KEYS[2], ARGV[4]); pid = tonumber(ARGV[4]) end
local job = cjson.decode(ARGV[2])
job['number'] = number
job['pid'] = pid
redis.call('hset', KEYS[1], number, cjson.encode(job))
redis.call('hset', KEYS[3], job['runId'], ARGV[3])
return {number, pid}`;

/**
 * Removes run ARGV[1]'s job from the table (KEYS[1]) and the runs in flight (KEYS[2]); answers the
 * job and the whole table as it was, so the caller can tell which job was current (bash's `+`).
 */
const END = `local all = redis.call('hgetall', KEYS[1])
redis.call('hdel', KEYS[2], ARGV[1])
for i = 1, #all, 2 do
  local job = cjson.decode(all[i + 1])
  if job['runId'] == ARGV[1] then
    redis.call('hdel', KEYS[1], all[i])
    return all
  end
end
return false`;

/**
 * Each lab session's background jobs (` &` lines) in Redis, with the worker process running each (its
 * heartbeat is in the worker directory, src/placement/). The table is the session's, not a worker's: `jobs` and `kill` find a job
 * whichever worker runs them.
 */
@Injectable()
export class SessionJobsRepository {
  private readonly scripts: Record<'start' | 'end', RedisScript>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
  ) {
    this.scripts = { start: redis.script(START, 3), end: redis.script(END, 2) };
  }

  /** Adds a job to the session's table: its number and pid, or `full` when `max` jobs run already. */
  async start(labSessionId: string, job: Omit<StoredJob, 'number' | 'pid'>, max: number): Promise<JobStart> {
    const [number, pid] = (await this.scripts.start(
      [this.tableKey(labSessionId), this.pidKey(labSessionId), this.inFlightKey()],
      [max, JSON.stringify(job), JSON.stringify({ labSessionId, workerId: job.workerId }), FIRST_PID],
    )) as [number, number];
    return number === 0 ? { full: true } : { number, pid };
  }

  /**
   * Takes run `runId`'s job out of the table; answers it with the table as it was just before, or
   * null when it is not there (already ended).
   */
  async end(labSessionId: string, runId: string): Promise<{ job: StoredJob; table: StoredJob[] } | null> {
    const raw = (await this.scripts.end([this.tableKey(labSessionId), this.inFlightKey()], [runId])) as
      string[] | null;
    if (!raw) return null;
    const table: StoredJob[] = [];
    for (let i = 1; i < raw.length; i += 2) table.push(JSON.parse(raw[i]) as StoredJob);
    table.sort((a, b) => a.number - b.number);
    const job = table.find((candidate) => candidate.runId === runId) as StoredJob;
    return { job, table };
  }

  /** The session's jobs, by number. */
  async list(labSessionId: string): Promise<StoredJob[]> {
    const all = await this.redis.client.hvals(this.tableKey(labSessionId));
    return all.map((raw) => JSON.parse(raw) as StoredJob).sort((a, b) => a.number - b.number);
  }

  /** Every background run in flight, with its session and worker. */
  async inFlight(): Promise<{ runId: string; labSessionId: string; workerId: string }[]> {
    const all = await this.redis.client.hgetall(this.inFlightKey());
    return Object.entries(all).map(([runId, raw]) => ({
      runId,
      ...(JSON.parse(raw) as { labSessionId: string; workerId: string }),
    }));
  }

  private tableKey(labSessionId: string): string {
    return `${this.config.redisPrefix}:jobs:${labSessionId}`;
  }

  private pidKey(labSessionId: string): string {
    return `${this.config.redisPrefix}:pids:${labSessionId}`;
  }

  private inFlightKey(): string {
    return `${this.config.redisPrefix}:jobs-in-flight`;
  }
}
