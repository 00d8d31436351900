import 'reflect-metadata';
import { createLogger } from '../infra/logging/create-logger';
import { migrate } from '../infra/database/migrate';
import { DEMO_INSTRUCTOR, DEMO_PASSWORD, DEMO_STUDENTS, SeedService } from '../services/seed.service';
import { createApiApp } from './api-app';
import { CRASH_LOG, loadConfigOrExit } from './load-config';

/**
 * `npm run demo`: the whole platform in one process on the embedded defaults (PGlite unless
 * DATABASE_URL is set, the in-process cluster engine), migrated and seeded with the demo course.
 */
async function main(): Promise<void> {
  const setupStartedAt = Number(process.env.KUBELAB_SETUP_STARTED_AT) || Date.now();
  const config = loadConfigOrExit();
  const logger = createLogger(config, 'demo');
  const migration = await migrate({ url: config.databaseUrl, pgliteDir: `${config.dataDir}/pglite` });
  logger.log({ msg: 'database migrated', backend: migration.backend, applied: migration.applied }, 'Demo');
  const app = await createApiApp(config, logger, { withWorker: true });
  const demo = await app.get(SeedService).seedDemo();
  await app.listen(config.http.port, config.http.host);
  const seconds = ((Date.now() - setupStartedAt) / 1000).toFixed(1);
  const banner = [
    '',
    `  Kubelab is running at ${config.http.publicUrl}  (ready ${seconds} s after start)`,
    `  Health: ${config.http.publicUrl}/api/health   API docs: ${config.http.publicUrl}/api/docs`,
    '',
    `  Instructor: ${DEMO_INSTRUCTOR}`,
    `  Students:   ${DEMO_STUDENTS[0]} … ${DEMO_STUDENTS[DEMO_STUDENTS.length - 1]}`,
    `  Password:   ${DEMO_PASSWORD}   (course "DevOps 导论", join code ${demo.joinCode})`,
    `  Database:   ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}/pglite`}`,
    '',
    '  Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(banner.join('\n') + '\n');
}

main().catch((error: unknown) => {
  createLogger(CRASH_LOG, 'demo').error(error instanceof Error ? error : String(error), 'Demo');
  process.exit(1);
});
