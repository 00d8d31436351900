import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { JsonLogger } from '../../../src/infra/logging/json-logger';
import { loadConfigOrExit } from '../../../src/main/load-config';
import { ApiModule } from '../../../src/modules/api.module';
import { SeedService } from '../../../src/services/seed.service';

/**
 * Seeds the demo accounts and course into the database named by DATABASE_URL, the way `npm run demo`
 * does, and prints the result as one JSON line. The browser journey runs it before starting the platform.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(ApiModule.forRoot(config), {
    logger: new JsonLogger('error', 'seed'),
  });
  const demo = await app.get(SeedService).seedDemo();
  await app.close();
  process.stdout.write(`${JSON.stringify(demo)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
