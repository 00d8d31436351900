import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createLogger } from '../infra/logging/create-logger';
import { ApiModule } from '../modules/api.module';
import { SeedService } from '../services/seed.service';
import { CRASH_LOG, loadConfigOrExit } from './load-config';

/** `node dist/main/seed.js`: creates (or refreshes) the demo accounts and course; prints them as JSON. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(ApiModule.forRoot(config), {
    logger: createLogger({ ...config, logLevel: 'warn' }, 'seed'),
  });
  const demo = await app.get(SeedService).seedDemo();
  process.stdout.write(JSON.stringify(demo) + '\n');
  await app.close();
}

main().catch((error: unknown) => {
  createLogger(CRASH_LOG, 'seed').error(error instanceof Error ? error : String(error), 'Seed');
  process.exit(1);
});
