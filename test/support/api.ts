import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../src/config/app-config';
import { parseConfig } from '../../src/config/app-config';
import { JsonLogger } from '../../src/infra/logging/json-logger';
import { createApiApp } from '../../src/main/api-app';
import { createTestDatabase } from './database';

export interface TestApi {
  app: INestApplication;
  config: AppConfig;
  /** The Node HTTP server, for supertest. */
  server: Parameters<typeof import('supertest')>[0];
  close(): Promise<void>;
}

/** A unique Redis prefix keeps concurrent test files (and earlier runs) from seeing each other's keys. */
export function uniquePrefix(): string {
  return `kubelab-test-${randomBytes(4).toString('hex')}`;
}

/** Starts the real API on a throwaway PostgreSQL database and the real Redis. */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATABASE_URL: database.url,
    REDIS_PREFIX: uniquePrefix(),
    WEB_DIR: '.tmp/no-web-client',
    // Suites share PostgreSQL's 100 connections (see platform.ts).
    DATABASE_POOL_SIZE: '4',
    ...env,
  });
  const app = await createApiApp(config, new JsonLogger('error', 'api-test', () => undefined));
  await app.init();
  return {
    app,
    config,
    server: app.getHttpServer(),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
