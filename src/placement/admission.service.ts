import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobRepository } from '../repositories/job.repository';
import { RedisRepository } from '../repositories/redis.repository';
import type { WorkerLoad } from './worker-directory.repository';
import { IDLE_LOAD } from './worker-load';

/**
 * How old a target's load may be when admission decides on it: one read per target and API process every
 * 250 ms at most, so an average command costs no round trip; with the workers' 500 ms sampling, a queue that
 * has drained is seen as such well within the 5 s recovery target.
 */
export const ADMISSION_CACHE_MS = 250;
/** A retry hint never asks for more than this: the backlog clears or the student is asked again. */
const MAX_RETRY_AFTER_SECONDS = 30;
const REFUSAL_WINDOW_SECONDS = 60;

export type AdmissionVerdict =
  { ok: true } | { ok: false; retryAfterSeconds: number; reason: string; load: WorkerLoad };

/** Whether a commands queue is beyond the configured bounds, and how long a refused client should wait. */
export function judgeLoad(load: WorkerLoad, bounds: AppConfig['admission']): AdmissionVerdict {
  const deep = bounds.maxWaiting > 0 && load.waiting > bounds.maxWaiting;
  const old = bounds.maxWaitMs > 0 && load.oldestWaitingMs > bounds.maxWaitMs;
  if (!deep && !old) return { ok: true };
  // The oldest waiting command has waited this long: about as long as the backlog takes to clear.
  const retryAfterSeconds = Math.min(
    MAX_RETRY_AFTER_SECONDS,
    Math.max(1, Math.ceil(load.oldestWaitingMs / 1000)),
  );
  const reason = deep
    ? `${load.waiting} sessions wait for a worker (bound ${bounds.maxWaiting})`
    : `commands wait ${(load.oldestWaitingMs / 1000).toFixed(1)} s for a worker (bound ${bounds.maxWaitMs / 1000} s)`;
  return { ok: false, retryAfterSeconds, reason, load };
}

/**
 * Admission by worker load (issue 21): a new command (terminal line or Kubernetes API request) is refused
 * while the commands queue it would join is beyond ADMISSION_MAX_WAITING / ADMISSION_MAX_WAIT_MS, with a retry
 * hint. Refusals are counted per second in Redis, so the dashboard shows every API process's refusals.
 */
@Injectable()
export class AdmissionService {
  private readonly loads = new Map<string, { at: number; load: Promise<WorkerLoad> }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobRepository,
    private readonly redis: RedisRepository,
  ) {}

  /** `target`: the worker (or Docker host) whose commands queue the command joins; undefined = the shared one. */
  async check(target: string | undefined): Promise<AdmissionVerdict> {
    const verdict = judgeLoad(await this.loadOf(target), this.config.admission);
    if (!verdict.ok) this.countRefusal();
    return verdict;
  }

  /** The load of a target's queue, read at most every ADMISSION_CACHE_MS; one read serves every caller meanwhile. */
  loadOf(target: string | undefined, now = Date.now()): Promise<WorkerLoad> {
    const key = target ?? '';
    const cached = this.loads.get(key);
    if (cached && now - cached.at < ADMISSION_CACHE_MS) return cached.load;
    // Redis unreadable: admit, and let the mailbox's own failure say the service is unavailable.
    const load = this.jobs.commandsLoad(target, now).catch(() => IDLE_LOAD);
    this.loads.set(key, { at: now, load });
    return load;
  }

  /** Refusals of every API process in the last minute. */
  async refusalsLastMinute(now = Date.now()): Promise<number> {
    const second = Math.floor(now / 1000);
    const keys = Array.from({ length: REFUSAL_WINDOW_SECONDS }, (_, ago) => this.refusalKey(second - ago));
    const counts = await this.redis.client.mget(keys);
    return counts.reduce((sum, count) => sum + Number(count ?? 0), 0);
  }

  /** Fire and forget: a refusal that is not counted must not turn into an error for the student. */
  private countRefusal(): void {
    const key = this.refusalKey(Math.floor(Date.now() / 1000));
    void this.redis.client
      .multi()
      .incr(key)
      .expire(key, REFUSAL_WINDOW_SECONDS * 2)
      .exec()
      .catch(() => undefined);
  }

  private refusalKey(second: number): string {
    return `${this.config.redisPrefix}:admission:refusals:${second}`;
  }
}
