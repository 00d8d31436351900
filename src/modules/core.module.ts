import { Global, Module } from '@nestjs/common';
import { clusterDriverProvider } from '../clusters/cluster-driver.provider';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { createPrismaClient } from '../infra/database/prisma-client.factory';
import { AuditRepository } from '../repositories/audit.repository';
import { AuthSessionRepository } from '../repositories/auth-session.repository';
import { ClusterRepository } from '../repositories/cluster.repository';
import { CommandRunRepository } from '../repositories/command-run.repository';
import { CourseRepository } from '../repositories/course.repository';
import { DatabaseRepository, PRISMA_CLIENT } from '../repositories/database.repository';
import { EventRepository } from '../repositories/event.repository';
import { JobRepository } from '../repositories/job.repository';
import { LabRepository } from '../repositories/lab.repository';
import { LabSessionRepository } from '../repositories/lab-session.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { SessionMailboxRepository } from '../repositories/session-mailbox.repository';
import { StepResultRepository } from '../repositories/step-result.repository';
import { UserRepository } from '../repositories/user.repository';
import { ClusterService } from '../services/cluster.service';
import { GradingService } from '../services/grading.service';
import { LabCatalogService } from '../services/lab-catalog.service';

const repositories = [
  DatabaseRepository,
  RedisRepository,
  JobRepository,
  EventRepository,
  SessionMailboxRepository,
  UserRepository,
  AuthSessionRepository,
  CourseRepository,
  AuditRepository,
  LabRepository,
  LabSessionRepository,
  ClusterRepository,
  CommandRunRepository,
  StepResultRepository,
];

/** Services both processes use: clusters change state from API and worker; grading reads from both. */
const sharedServices = [ClusterService, GradingService, LabCatalogService];

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
    clusterDriverProvider,
    ...repositories,
    ...sharedServices,
  ],
  exports: [clusterDriverProvider, ...repositories, ...sharedServices],
})
export class CoreModule {}
