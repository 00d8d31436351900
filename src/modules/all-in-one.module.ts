import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { ApiModule } from './api.module';
import { WorkerModule } from './worker.module';

/** API and worker in one process: the demo's shape (PGlite allows only one process per data directory). */
@Module({})
export class AllInOneModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AllInOneModule, imports: [ApiModule.forRoot(config), WorkerModule.forRoot(config)] };
  }
}
