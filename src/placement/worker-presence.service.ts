import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  RelayAddress,
  WORKER_BEAT_MS,
  WorkerDirectoryRepository,
  WorkerLoad,
} from './worker-directory.repository';

/**
 * This worker process in the worker directory: its id (the one its own queues, its background jobs and its relay are
 * known by) and its heartbeat, which carries its relay address and its load. It leaves the directory first when it
 * stops (JobService), so no session is placed on it while it finishes.
 */
@Injectable()
export class WorkerPresenceService implements OnModuleInit {
  private readonly logger = new Logger('WorkerPresence');
  readonly workerId = randomUUID();
  private readonly startedAt = new Date().toISOString();
  private relay: RelayAddress | undefined;
  private loadOf: (() => Promise<WorkerLoad> | WorkerLoad) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private left = false;

  constructor(private readonly directory: WorkerDirectoryRepository) {}

  async onModuleInit(): Promise<void> {
    // In the directory before the first job is taken (JobService starts the consumers at bootstrap).
    await this.beat();
    this.timer = setInterval(() => void this.beat(), WORKER_BEAT_MS);
  }

  /** The worker's Kubernetes API relay, announced with the next beat (and this one). */
  announceRelay(relay: RelayAddress): Promise<void> {
    this.relay = relay;
    return this.beat();
  }

  /** Where each beat reads the worker's load from (the admission check reads it from the directory). */
  provideLoad(loadOf: () => Promise<WorkerLoad> | WorkerLoad): void {
    this.loadOf = loadOf;
  }

  /** Leaves the directory for good: sessions are placed elsewhere from now on. */
  async leave(): Promise<void> {
    if (this.left) return;
    this.left = true;
    clearInterval(this.timer);
    await this.directory
      .withdraw(this.workerId)
      .catch((error: Error) => this.logger.warn({ msg: 'not withdrawn', error: error.message }));
  }

  private async beat(): Promise<void> {
    if (this.left) return;
    try {
      const load = this.loadOf ? await this.loadOf() : undefined;
      if (this.left) return;
      await this.directory.beat({
        workerId: this.workerId,
        startedAt: this.startedAt,
        host: hostname(),
        pid: process.pid,
        relay: this.relay,
        load,
      });
    } catch (error) {
      // Redis is down: the next beat tries again (three per TTL, so one miss does not make this worker look dead).
      this.logger.warn({ msg: 'heartbeat missed', error: (error as Error).message });
    }
  }
}
