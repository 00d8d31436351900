import 'reflect-metadata';
import { createLogger } from '../infra/logging/create-logger';
import { createApiApp } from './api-app';
import { CRASH_LOG, loadConfigOrExit } from './load-config';

/** Entry point of the API process (HTTP + websocket gateway). */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config, 'api');
  const app = await createApiApp(config, logger);
  await app.listen(config.http.port, config.http.host);
  logger.log({ msg: 'API listening', url: config.http.publicUrl }, 'Bootstrap');
}

main().catch((error: unknown) => {
  createLogger(CRASH_LOG, 'api').error(error instanceof Error ? error : String(error), 'Bootstrap');
  process.exit(1);
});
