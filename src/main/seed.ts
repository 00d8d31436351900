import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { JsonLogger } from '../infra/logging/json-logger';
import { ApiModule } from '../modules/api.module';
import { SeedService } from '../services/seed.service';
import { loadConfigOrExit } from './load-config';

/** `node dist/main/seed.js`: creates (or refreshes) the demo accounts and course; prints them as JSON. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(ApiModule.forRoot(config), {
    logger: new JsonLogger('warn', 'seed'),
  });
  const demo = await app.get(SeedService).seedDemo();
  process.stdout.write(JSON.stringify(demo) + '\n');
  await app.close();
}

main().catch((error: unknown) => {
  new JsonLogger('error', 'seed').error(error instanceof Error ? error : String(error), 'Seed');
  process.exit(1);
});
