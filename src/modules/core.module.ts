import { Global, Module } from '@nestjs/common';
import { RunLedger } from '../commands/run-ledger';
import { HeldRecords } from '../commands/held-records';
import { clusterDriverProvider } from '../clusters/cluster-driver.provider';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { createPrismaClient } from '../infra/database/prisma-client.factory';
import { RedisConnections } from '../infra/redis/redis-connections';
import { AuditRepository } from '../repositories/audit.repository';
import { AuthSessionRepository } from '../repositories/auth-session.repository';
import { ClusterRepository } from '../repositories/cluster.repository';
import { CommandRunRepository } from '../repositories/command-run.repository';
import { CommandRecordsRepository } from '../repositories/command-records.repository';
import { CourseRepository } from '../repositories/course.repository';
import { DatabaseRepository, PRISMA_CLIENT } from '../repositories/database.repository';
import { EventRepository } from '../repositories/event.repository';
import { JobRepository } from '../repositories/job.repository';
import { LabRepository } from '../repositories/lab.repository';
import { LabSessionRepository } from '../repositories/lab-session.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { EditorBuffersRepository } from '../repositories/editor-buffers.repository';
import { RunSignalsRepository } from '../repositories/run-signals.repository';
import { SessionJobsRepository } from '../repositories/session-jobs.repository';
import { SessionMailboxRepository } from '../repositories/session-mailbox.repository';
import { StepResultRepository } from '../repositories/step-result.repository';
import { UserRepository } from '../repositories/user.repository';
import { ClusterEpochService } from '../services/cluster-epoch.service';
import { ClusterLifecycleService } from '../services/cluster-lifecycle.service';
import { ClusterLookupService } from '../services/cluster-lookup.service';
import { ClusterMaintenanceService } from '../services/cluster-maintenance.service';
import { GradingService } from '../services/grading.service';
import { LabCatalogService } from '../services/lab-catalog.service';
import { HomeRepository } from '../repositories/home.repository';
import { CourseScheduleRepository } from '../repositories/course-schedule.repository';
import { HomeStoreService } from '../services/home-store.service';
import { SessionPlacementService } from '../placement/session-placement.service';
import { SessionRouter } from '../placement/session-router.service';
import { WorkerDirectoryRepository } from '../placement/worker-directory.repository';
import { authoringCoreProviders } from '../authoring/authoring.module';

const repositories = [
  DatabaseRepository,
  WorkerDirectoryRepository,
  RedisRepository,
  JobRepository,
  EventRepository,
  SessionMailboxRepository,
  SessionJobsRepository,
  RunSignalsRepository,
  EditorBuffersRepository,
  UserRepository,
  AuthSessionRepository,
  CourseRepository,
  AuditRepository,
  LabRepository,
  LabSessionRepository,
  ClusterRepository,
  CommandRunRepository,
  CommandRecordsRepository,
  StepResultRepository,
  HomeRepository,
  CourseScheduleRepository,
];

/** A session's cluster: its lifecycle, the hot-path lookup, and housekeeping (see each class). */
const clusterServices = [
  ClusterEpochService,
  ClusterLifecycleService,
  ClusterLookupService,
  ClusterMaintenanceService,
];

/** Services both processes use: clusters change state from API and worker; grading reads from both. */
const sharedServices = [
  // Where a session's jobs go (issue 21): API and workers queue them; workers hold and read placements.
  SessionPlacementService,
  SessionRouter,
  RunLedger,
  HeldRecords,
  ...clusterServices,
  GradingService,
  LabCatalogService,
  HomeStoreService,
];

/** What both the API and the worker need: the database, Redis, queues, events, repositories, drivers. */
@Global()
@Module({
  providers: [
    {
      provide: PRISMA_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        createPrismaClient({
          url: config.databaseUrl,
          pgliteDir: `${config.dataDir}/pglite`,
          poolSize: config.databasePoolSize,
        }),
    },
    {
      provide: RedisConnections,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new RedisConnections(config),
    },
    clusterDriverProvider,
    ...repositories,
    ...sharedServices,
    ...authoringCoreProviders,
  ],
  exports: [
    RedisConnections,
    clusterDriverProvider,
    ...repositories,
    ...sharedServices,
    ...authoringCoreProviders,
  ],
})
export class CoreModule {}
