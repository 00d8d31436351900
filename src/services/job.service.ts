import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { ClusterDriver } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { buildJobRegistry, JobHandlers, JobItem, labSessionOf, QueueName } from '../jobs/job.types';
import { JobRepository } from '../repositories/job.repository';
import { ClusterLifecycleService } from './cluster-lifecycle.service';
import { CommandRunnerService } from '../commands/command-runner.service';
import { GradingService } from './grading.service';
import { ProofJobService } from '../authoring/services/proof-job.service';
import { RegradeJobService } from '../authoring/services/regrade-job.service';
import { SessionPlacementService } from '../placement/session-placement.service';
import { SessionRouter } from '../placement/session-router.service';
import { WorkerPresenceService } from '../placement/worker-presence.service';

/**
 * Starts the worker's queue consumers once every handler is known; a gap or a clash stops start-up. A job of a lab
 * session holds the session's placement on this worker while it runs. At shutdown the worker leaves the worker
 * directory first, finishes the jobs it runs, and moves the jobs still waiting on its own queues to their sessions'
 * new workers.
 */
@Injectable()
export class JobService implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(JobService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobRepository,
    private readonly commands: CommandRunnerService,
    private readonly clusters: ClusterLifecycleService,
    private readonly grading: GradingService,
    private readonly proofs: ProofJobService,
    private readonly regrades: RegradeJobService,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly presence: WorkerPresenceService,
    private readonly placement: SessionPlacementService,
    private readonly router: SessionRouter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const registry = buildJobRegistry([
      this.commands,
      this.clusters,
      this.grading,
      this.proofs,
      this.regrades,
    ]);
    // Before the first job: a one-time cost paid inside a student's command holds every command in flight.
    const problems = await this.driver.warmUp?.();
    if (problems) this.logger.warn(`cluster driver warm-up: ${problems}`);
    // Gradings queued for this worker run here: the grading service knows which of them are still waiting.
    this.grading.gradesFor(this.presence.workerId);
    const concurrency = this.config.commands.workerConcurrency;
    const hosts =
      this.config.worker.hosts === 'all' ? (this.driver.hostIds?.() ?? []) : this.config.worker.hosts;
    this.jobs.startWorkers(
      this.holdingPlacement(registry),
      {
        [QueueName.Commands]: concurrency,
        [QueueName.Clusters]: Math.max(2, Math.ceil(concurrency / 5)),
        // Grading is coalesced per session and may lag a little; commands come first.
        [QueueName.Grading]: Math.max(2, Math.ceil(concurrency / 10)),
        // A proof keeps a core busy for seconds (in its own thread); two at a time leave room for the rest.
        [QueueName.Authoring]: 2,
      },
      { workerId: this.presence.workerId, hosts },
    );
    void this.driver.fillWarmPool?.();
  }

  async onModuleDestroy(): Promise<void> {
    await this.presence.leave();
    await this.jobs.closeWorkers();
    await this.router
      .moveWaitingOf(this.presence.workerId)
      .catch((error: Error) =>
        this.logger.warn({ msg: 'waiting jobs not moved (housekeeping moves them)', error: error.message }),
      );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.driver.close?.();
  }

  /** Each handler of a session's job keeps the session placed here while it runs. */
  private holdingPlacement(registry: JobHandlers): JobHandlers {
    const held = {} as Record<string, (data: unknown) => Promise<void>>;
    for (const [name, handler] of Object.entries(registry) as [string, (data: unknown) => Promise<void>][]) {
      held[name] = async (data) => {
        const labSessionId = labSessionOf({ name, data } as JobItem);
        const release = labSessionId ? this.placement.hold(labSessionId, this.presence.workerId) : undefined;
        try {
          await handler(data);
        } finally {
          release?.();
        }
      };
    }
    return held as unknown as JobHandlers;
  }
}
