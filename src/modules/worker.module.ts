import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { CommandRunnerService } from '../commands/command-runner.service';
import { HousekeepingService } from '../services/housekeeping.service';
import { JobService } from '../services/job.service';
import { CoreModule } from './core.module';
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
        CommandRunnerService,
        HousekeepingService,
        JobService,
        ...authoringJobProviders,
        ...kubeApiWorkerProviders,
      ],
    };
  }
}
