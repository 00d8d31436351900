// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (PostgreSQL, created if missing)
// or, when it is unset, to the PGlite database in $DATA_DIR/pglite (DATA_DIR defaults to `.data`).
import { backendOf, databaseSettingsFromEnv } from '../../src/infra/database/database-settings';
import { migrate } from '../../src/infra/database/migrate';
import { redactPassword } from '../../src/infra/database/postgres-server';
import { describeError } from './describe-error';

async function main(): Promise<void> {
  const settings = databaseSettingsFromEnv();
  const target = settings.url ? redactPassword(settings.url) : `PGlite in ${settings.pgliteDir}`;
  console.log(`Migrating ${backendOf(settings)} database: ${target}`);
  const startedAt = performance.now();
  const result = await migrate(settings);
  if (result.createdDatabase) console.log('Created the database.');
  for (const name of result.applied) console.log(`Applied ${name}`);
  for (const name of result.edited) {
    console.warn(
      `Warning: ${name} was changed after it was applied (checksum differs); the database keeps the old version.`,
    );
  }
  const elapsedMs = Math.round(performance.now() - startedAt);
  console.log(
    result.applied.length
      ? `${result.applied.length} migration(s) applied in ${elapsedMs} ms.`
      : `Already up to date (${elapsedMs} ms).`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`db:migrate failed: ${describeError(error)}`);
    process.exit(1);
  },
);
