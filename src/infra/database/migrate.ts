import type { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import { backendOf, type DatabaseBackend, type DatabaseSettings } from './database-settings.js';
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from './migrations-directory.js';
import { PgMigrationAdapterFactory } from './pg-migration-adapter.js';
import { ensureDatabaseExists } from './postgres-server.js';
import { openPglite } from './prisma-client.factory.js';
import { NO_EXTERNAL_ENTITIES, startSchemaEngine } from './schema-engine.js';

export interface MigrateOptions {
  migrationsDir?: string;
}

export interface MigrateResult {
  backend: DatabaseBackend;
  /** Names of the migrations this run applied, in order; empty when the database was up to date. */
  applied: string[];
  /**
   * Applied migrations whose migration.sql has changed since (checksum mismatch). Like
   * `migrate deploy`, migrate() does not stop for them, but the database may differ from what
   * the files now say.
   */
  edited: string[];
  /** True when the PostgreSQL database did not exist and was created first. */
  createdDatabase: boolean;
}

type MigrationOutcome = Pick<MigrateResult, 'applied' | 'edited'>;

/**
 * Applies the pending migrations of prisma/migrations, like `prisma migrate deploy`, through
 * Prisma's WebAssembly schema engine: same `_prisma_migrations` bookkeeping (checksum = sha256 of
 * migration.sql), same advisory lock against concurrent runs, same refusal to continue past a
 * failed migration. PostgreSQL when settings.url is set (the database is created if missing),
 * else the PGlite directory.
 */
export async function migrate(
  settings: DatabaseSettings,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  if (settings.url) {
    const createdDatabase = await ensureDatabaseExists(settings.url);
    const adapterFactory = new PgMigrationAdapterFactory(settings.url);
    try {
      const outcome = await applyMigrations(adapterFactory, options);
      return { backend: backendOf(settings), ...outcome, createdDatabase };
    } finally {
      await adapterFactory.close();
    }
  }
  const pglite = await openPglite(settings.pgliteDir);
  try {
    const outcome = await migratePglite(pglite, options);
    return { backend: backendOf(settings), ...outcome, createdDatabase: false };
  } finally {
    await pglite.close();
  }
}

/** Applies pending migrations to an already open PGlite database (which stays open). */
export function migratePglite(pglite: PGlite, options: MigrateOptions = {}): Promise<MigrationOutcome> {
  return applyMigrations(new PrismaPGlite(pglite), options);
}

async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: MigrateOptions,
): Promise<MigrationOutcome> {
  const migrationsList = readMigrations(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const engine = await startSchemaEngine(adapterFactory);
  try {
    const filters = NO_EXTERNAL_ENTITIES;
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters });
    const history = await engine.diagnoseMigrationHistory({
      migrationsList,
      optInToShadowDatabase: false,
      filters,
    });
    return { applied: appliedMigrationNames, edited: history.editedMigrationNames };
  } finally {
    engine.free();
  }
}
