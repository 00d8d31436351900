import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Job, JobsOptions, JobType, Queue, Worker } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RedisConnections } from '../infra/redis/redis-connections';
import { JOB_QUEUE, JobHandlers, JobItem, JobName, PER_WORKER_QUEUES, QueueName } from '../jobs/job.types';

/** A commands queue's load: drains waiting for a slot, the age of the oldest one, and drains running. */
export interface QueueLoad {
  waiting: number;
  oldestWaitingMs: number;
  active: number;
}

/**
 * The one naming of queues: the shared queue, or a target's own (`commands@<worker id>` for a worker a session is
 * placed on, `commands@<host id>` for the workers beside a Docker host).
 */
export function queueNameOf(queue: QueueName, target: string | undefined): string {
  return target ? `${queue}@${target}` : queue;
}

/** What a worker consumes besides the shared queues: its own queues, and the command queues of its hosts. */
export interface WorkerQueues {
  workerId?: string;
  hosts?: string[];
}

/** BullMQ states of jobs not started yet. */
const NOT_STARTED: JobType[] = ['waiting', 'prioritized', 'delayed'];

/**
 * Per-job options. One pending drain per session is enough (the drain takes every command in the
 * mailbox), so further requests fold into the one already waiting: measured, this keeps the queue
 * short under load.
 */
function optionsFor(item: JobItem): JobsOptions {
  switch (item.name) {
    case JobName.CommandRun:
      return { deduplication: { id: `session-${item.data.labSessionId}`, keepLastIfActive: true } };
    case JobName.GradingRun:
      // Likewise one waiting grading per session: it reads the history when it runs, so it covers
      // every command that asked for it meanwhile.
      return { deduplication: { id: `grading-${item.data.labSessionId}`, keepLastIfActive: true } };
    case JobName.ClusterProvision:
      return { jobId: `provision-${item.data.clusterId}` };
    case JobName.ClusterStop:
      return { jobId: `stop-${item.data.clusterId}` };
    case JobName.LabProve:
      return { jobId: `prove-${item.data.proofId}` };
    case JobName.LabRegrade:
      return { jobId: `regrade-${item.data.regradeId}` };
  }
}

/** The only place that touches BullMQ: queues for producers, workers for the worker process. */
@Injectable()
export class JobRepository implements OnModuleDestroy {
  private readonly logger = new Logger('JobRepository');
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private closingWorkers: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connections: RedisConnections,
  ) {}

  /**
   * Queues a job. `target` sends it to that target's own queue (SessionRouter decides: the worker a session is
   * placed on, or the Docker host its cluster lives on); without one it goes to the shared queue.
   */
  async queue(item: JobItem, target?: string): Promise<void> {
    await this.queueFor(queueNameOf(JOB_QUEUE[item.name], target)).add(item.name, item.data, {
      removeOnComplete: true,
      removeOnFail: 1000,
      ...optionsFor(item),
    });
  }

  /**
   * Starts one BullMQ worker per queue, dispatching each job to its handler by name: the shared queues, this
   * worker's own queues, and the command queues of the hosts it serves.
   */
  startWorkers(handlers: JobHandlers, concurrency: Record<QueueName, number>, own: WorkerQueues = {}): void {
    const queues: [string, number][] = [
      ...Object.values(QueueName).map((name): [string, number] => [name, concurrency[name]]),
      ...(own.workerId ? PER_WORKER_QUEUES : []).map((name): [string, number] => [
        queueNameOf(name, own.workerId),
        concurrency[name],
      ]),
      ...(own.hosts ?? []).map((host): [string, number] => [
        queueNameOf(QueueName.Commands, host),
        concurrency[QueueName.Commands],
      ]),
    ];
    for (const [queueName, slots] of queues) {
      const worker = new Worker(
        queueName,
        async (job: Job) => {
          const handler = handlers[job.name as JobName] as (data: unknown) => Promise<void>;
          if (!handler) throw new Error(`no handler for job ${job.name}`);
          await handler(job.data);
        },
        {
          // Blocking reads that retry forever, so a Redis restart is ridden out.
          connection: this.connections.options('blocking'),
          prefix: this.config.redisPrefix,
          concurrency: slots,
          // A killed worker's job is picked up again within seconds; handlers are written to be re-runnable.
          lockDuration: 10_000,
          stalledInterval: 5000,
          maxStalledCount: 2,
        },
      );
      worker.on('failed', (job, error) =>
        this.logger.error({ msg: 'job failed', job: job?.name, id: job?.id, error: error.message }),
      );
      worker.on('error', (error) =>
        this.logger.warn({ msg: 'worker connection problem', error: error.message }),
      );
      this.workers.push(worker);
    }
  }

  /**
   * The load of the commands queue `host` names (none: the shared one). Two BullMQ scripts sent together (the
   * counts; the oldest waiting job's id and hash), so one round trip; inside Redis about seven O(1) list and hash
   * reads (measured with MONITOR), whatever the queue's length.
   */
  async commandsLoad(host?: string, now = Date.now()): Promise<QueueLoad> {
    const queue = this.queueFor(queueNameOf(QueueName.Commands, host));
    const [counts, [oldest]] = await Promise.all([
      queue.getJobCounts('waiting', 'active'),
      queue.getJobs(['waiting'], 0, 0, true),
    ]);
    return {
      waiting: counts.waiting ?? 0,
      oldestWaitingMs: oldest ? Math.max(0, now - oldest.timestamp) : 0,
      active: counts.active ?? 0,
    };
  }

  /** Stops taking jobs and waits for the jobs running to finish (once, however often it is asked). */
  closeWorkers(): Promise<void> {
    this.closingWorkers ??= Promise.all(this.workers.map((worker) => worker.close())).then(() => undefined);
    return this.closingWorkers;
  }

  /**
   * Takes the jobs not started yet off a worker's own queues, oldest first, and hands each to `requeue` (which
   * queues it where it belongs now); answers how many were taken. A job that a consumer starts meanwhile stays.
   */
  async takeWaiting(workerId: string, requeue: (item: JobItem) => Promise<void>): Promise<number> {
    let taken = 0;
    for (const name of PER_WORKER_QUEUES) {
      const queue = this.queueFor(queueNameOf(name, workerId));
      const jobs = await queue.getJobs(NOT_STARTED, 0, -1, true);
      for (const job of jobs) {
        // remove() fails for a job that is locked (started): that one runs where it is.
        const removed = await job.remove().then(
          () => true,
          () => false,
        );
        if (!removed) continue;
        await requeue({ name: job.name, data: job.data } as JobItem);
        taken++;
      }
    }
    return taken;
  }

  /** Deletes a gone worker's own queues (their waiting jobs moved first; a running one died with the worker). */
  async removeQueuesOf(workerId: string): Promise<void> {
    for (const name of PER_WORKER_QUEUES) {
      const queueName = queueNameOf(name, workerId);
      await this.queueFor(queueName).obliterate({ force: true });
      await this.queueFor(queueName).close();
      this.queues.delete(queueName);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.closeWorkers();
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  private queueFor(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // Producers fail fast while Redis is down, so a request gets a clear error instead of hanging.
      queue = new Queue(name, {
        connection: this.connections.options('queue'),
        prefix: this.config.redisPrefix,
      });
      queue.on('error', (error) =>
        this.logger.warn({ msg: 'queue connection problem', error: error.message }),
      );
      this.queues.set(name, queue);
    }
    return queue;
  }
}
