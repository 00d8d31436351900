import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createLogger } from '../infra/logging/create-logger';
import { WorkerModule } from '../modules/worker.module';
import { CRASH_LOG, loadConfigOrExit } from './load-config';

/** Entry point of a worker process: runs commands, provisions clusters and grades, from BullMQ. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config, 'worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger });
  app.enableShutdownHooks();
  logger.log({ msg: 'worker started', concurrency: config.commands.workerConcurrency }, 'Bootstrap');
}

main().catch((error: unknown) => {
  createLogger(CRASH_LOG, 'worker').error(error instanceof Error ? error : String(error), 'Bootstrap');
  process.exit(1);
});
