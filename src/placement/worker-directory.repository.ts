import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { QueueLoad } from '../repositories/job.repository';
import { RedisRepository } from '../repositories/redis.repository';

/** How busy a worker is (its commands queues' QueueLoad, sampled by the worker; read for admission and the dashboard). */
export type WorkerLoad = QueueLoad;

/** A worker's internal Kubernetes API relay: where it serves the API of the clusters it holds, and its secret. */
export interface RelayAddress {
  url: string;
  secret: string;
}

/** One worker process as its heartbeat describes it. */
export interface WorkerEntry {
  workerId: string;
  /** ISO time the process started. */
  startedAt: string;
  /** Where it runs, for people (and tests) who need to find the process: the host's name and the process id. */
  host?: string;
  pid?: number;
  /** Epoch milliseconds of its last beat. */
  at: number;
  relay?: RelayAddress;
  load?: WorkerLoad;
}

/** A worker that has not beaten for this long is gone (it died, or stopped without withdrawing). */
export const WORKER_TTL_MS = 10_000;
/** How often a worker beats: three beats per TTL, so one late beat does not make it look dead. */
export const WORKER_BEAT_MS = WORKER_TTL_MS / 3;
/** A process reads the list of live workers at most this often (placement and the relay use it per request). */
const LIVE_CACHE_MS = 1000;

/**
 * The worker processes of the platform (one Redis hash, one field per worker): each worker beats with its id, start
 * time, relay address and load; a worker whose last beat is older than WORKER_TTL_MS is dead. It is the one
 * heartbeat of a worker: placement, the Kubernetes API relay and the orphaned background jobs all read it.
 */
@Injectable()
export class WorkerDirectoryRepository {
  private listed: { at: number; workers: Promise<WorkerEntry[]> } | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
  ) {}

  async beat(entry: Omit<WorkerEntry, 'at'>): Promise<void> {
    await this.redis.client.hset(this.key(), entry.workerId, JSON.stringify({ ...entry, at: Date.now() }));
  }

  /** Takes the worker out of the directory: no new session is placed on it from now on. */
  async withdraw(workerId: string): Promise<void> {
    await this.redis.client.hdel(this.key(), workerId);
    this.listed = undefined;
  }

  /** The live workers, read at most once a second per process (cached; a withdrawal here clears it). */
  live(): Promise<WorkerEntry[]> {
    if (this.listed && Date.now() - this.listed.at < LIVE_CACHE_MS) return this.listed.workers;
    const workers = this.all().then((all) => all.filter((entry) => isLive(entry)));
    this.listed = { at: Date.now(), workers };
    workers.catch(() => (this.listed = undefined));
    return workers;
  }

  /** Every worker in the directory, dead ones included (uncached: for the sweeper). */
  async all(): Promise<WorkerEntry[]> {
    const all = await this.redis.client.hvals(this.key());
    return all.map((raw) => JSON.parse(raw) as WorkerEntry);
  }

  /** Whether the worker beat recently (uncached). */
  async isAlive(workerId: string): Promise<boolean> {
    const raw = await this.redis.client.hget(this.key(), workerId);
    return raw !== null && isLive(JSON.parse(raw) as WorkerEntry);
  }

  /** Forgets the list read last, so the next read sees a change this process has just caused or noticed. */
  forgetCachedList(): void {
    this.listed = undefined;
  }

  private key(): string {
    return `${this.config.redisPrefix}:workers`;
  }
}

function isLive(entry: WorkerEntry, now = Date.now()): boolean {
  return now - entry.at < WORKER_TTL_MS;
}
