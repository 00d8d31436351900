import { Global, Module } from '@nestjs/common';
import { clusterDriverProvider } from '../clusters/cluster-driver.provider';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { createPrismaClient } from '../infra/database/prisma-client.factory';
import { AuditRepository } from '../repositories/audit.repository';
import { AuthSessionRepository } from '../repositories/auth-session.repository';
import { CourseRepository } from '../repositories/course.repository';
import { DatabaseRepository, PRISMA_CLIENT } from '../repositories/database.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { UserRepository } from '../repositories/user.repository';

const repositories = [
  DatabaseRepository,
  RedisRepository,
  UserRepository,
  AuthSessionRepository,
  CourseRepository,
  AuditRepository,
];

/** What both the API and the worker need: the database, Redis, the repositories and the cluster driver. */
@Global()
@Module({
  providers: [
    {
      provide: PRISMA_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        createPrismaClient({ url: config.databaseUrl, pgliteDir: `${config.dataDir}/pglite` }),
    },
    clusterDriverProvider,
    ...repositories,
  ],
  exports: [clusterDriverProvider, ...repositories],
})
export class CoreModule {}
