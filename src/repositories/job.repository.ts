import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Job, JobsOptions, Queue, Worker } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RedisConnections } from '../infra/redis/redis-connections';
import { JOB_QUEUE, JobHandlers, JobItem, JobName, QueueName } from '../jobs/job.types';

function queueNameOf(queue: QueueName, host: string | undefined): string {
  return host ? `${queue}-${host}` : queue;
}

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

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connections: RedisConnections,
  ) {}

  /**
   * Queues a job. `host` sends it to that host's own queue (commands of a cluster that lives on one
   * Docker host are run by the workers beside that host).
   */
  async queue(item: JobItem, host?: string): Promise<void> {
    await this.queueFor(queueNameOf(JOB_QUEUE[item.name], host)).add(item.name, item.data, {
      removeOnComplete: true,
      removeOnFail: 1000,
      ...optionsFor(item),
    });
  }

  /**
   * Starts one BullMQ worker per queue, dispatching each job to its handler by name; `hosts` adds
   * the per-host command queues this worker serves.
   */
  startWorkers(handlers: JobHandlers, concurrency: Record<QueueName, number>, hosts: string[] = []): void {
    const queues: [string, number][] = [
      ...Object.values(QueueName).map((name): [string, number] => [name, concurrency[name]]),
      ...hosts.map((host): [string, number] => [
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

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
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
