import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { CommandRunnerService } from '../commands/command-runner.service';
import { HousekeepingService } from '../services/housekeeping.service';
import { RecordRetentionService } from '../services/record-retention.service';
import { JobService } from '../services/job.service';
import { CoreModule } from './core.module';
import { ClusterMemoryService } from '../placement/cluster-memory.service';
import { WorkerPresenceService } from '../placement/worker-presence.service';
import { WorkerLoadSampler } from '../placement/worker-load';
import { authoringJobProviders } from '../authoring/authoring.module';
import { kubeApiWorkerProviders } from '../kube-api/kube-api.module';

/** The worker process: BullMQ consumers that run commands, provision clusters and grade. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), CoreModule],
      providers: [
        // This process in the worker directory, and its memory kept to the sessions placed on it (src/placement/).
        WorkerPresenceService,
        // Its load for the heartbeat: the overload signal (issue 21).
        WorkerLoadSampler,
        ClusterMemoryService,
        CommandRunnerService,
        HousekeepingService,
        RecordRetentionService,
        JobService,
        ...authoringJobProviders,
        ...kubeApiWorkerProviders,
      ],
    };
  }
}
