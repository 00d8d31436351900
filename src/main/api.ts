import 'reflect-metadata';
import { JsonLogger } from '../infra/logging/json-logger';
import { createApiApp } from './api-app';
import { loadConfigOrExit } from './load-config';

/** Entry point of the API process (HTTP + websocket gateway). */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = new JsonLogger(config.logLevel, 'api');
  const app = await createApiApp(config, logger);
  await app.listen(config.http.port, config.http.host);
  logger.log({ msg: 'API listening', url: config.http.publicUrl }, 'Bootstrap');
}

main().catch((error: unknown) => {
  new JsonLogger('error', 'api').error(error instanceof Error ? error : String(error), 'Bootstrap');
  process.exit(1);
});
