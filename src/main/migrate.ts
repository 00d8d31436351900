import { createLogger } from '../infra/logging/create-logger';
import { migrate } from '../infra/database/migrate';
import { CRASH_LOG, loadConfigOrExit } from './load-config';

/** `node dist/main/migrate.js`: applies pending migrations (production images run it before the API). */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config, 'migrate');
  const result = await migrate({ url: config.databaseUrl, pgliteDir: `${config.dataDir}/pglite` });
  logger.log({ msg: 'migrations applied', backend: result.backend, applied: result.applied }, 'Migrate');
  // The wasm schema engine leaves a timer behind; the work is done.
  process.exit(0);
}

main().catch((error: unknown) => {
  createLogger(CRASH_LOG, 'migrate').error(error instanceof Error ? error : String(error), 'Migrate');
  process.exit(1);
});
