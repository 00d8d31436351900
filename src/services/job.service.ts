import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { ClusterDriver } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { buildJobRegistry, QueueName } from '../jobs/job.types';
import { JobRepository } from '../repositories/job.repository';
import { ClusterLifecycleService } from './cluster-lifecycle.service';
import { CommandRunnerService } from '../commands/command-runner.service';
import { GradingService } from './grading.service';
import { ProofJobService } from '../authoring/services/proof-job.service';
import { RegradeJobService } from '../authoring/services/regrade-job.service';

/** Starts the worker's queue consumers once every handler is known; a gap or a clash stops start-up. */
@Injectable()
export class JobService implements OnApplicationBootstrap, OnApplicationShutdown {
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
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handlers = buildJobRegistry([
      this.commands,
      this.clusters,
      this.grading,
      this.proofs,
      this.regrades,
    ]);
    // Before the first job: a one-time cost paid inside a student's command holds every command in flight.
    const problems = await this.driver.warmUp?.();
    if (problems) this.logger.warn(`cluster driver warm-up: ${problems}`);
    const concurrency = this.config.commands.workerConcurrency;
    const hosts =
      this.config.worker.hosts === 'all' ? (this.driver.hostIds?.() ?? []) : this.config.worker.hosts;
    this.jobs.startWorkers(
      handlers,
      {
        [QueueName.Commands]: concurrency,
        [QueueName.Clusters]: Math.max(2, Math.ceil(concurrency / 5)),
        // Grading is coalesced per session and may lag a little; commands come first.
        [QueueName.Grading]: Math.max(2, Math.ceil(concurrency / 10)),
        // A proof keeps a core busy for seconds (in its own thread); two at a time leave room for the rest.
        [QueueName.Authoring]: 2,
      },
      hosts,
    );
    void this.driver.fillWarmPool?.();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.driver.close?.();
  }
}
