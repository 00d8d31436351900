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
  /** True when the PostgreSQL database did not exist and was created first. */
  createdDatabase: boolean;
}

/**
 * Applies the pending migrations of prisma/migrations, like `prisma migrate deploy`, through
 * Prisma's WebAssembly schema engine: same `_prisma_migrations` bookkeeping (checksum = sha256 of
 * migration.sql), same refusal to continue past a failed or edited migration. PostgreSQL when
 * settings.url is set (the database is created if missing), else the PGlite directory.
 */
export async function migrate(
  settings: DatabaseSettings,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  if (settings.url) {
    const createdDatabase = await ensureDatabaseExists(settings.url);
    const adapterFactory = new PgMigrationAdapterFactory(settings.url);
    try {
      const applied = await applyMigrations(adapterFactory, options);
      return { backend: backendOf(settings), applied, createdDatabase };
    } finally {
      await adapterFactory.close();
    }
  }
  const pglite = await openPglite(settings.pgliteDir);
  try {
    const applied = await migratePglite(pglite, options);
    return { backend: backendOf(settings), applied, createdDatabase: false };
  } finally {
    await pglite.close();
  }
}

/** Applies pending migrations to an already open PGlite database (which stays open). */
export function migratePglite(pglite: PGlite, options: MigrateOptions = {}): Promise<string[]> {
  return applyMigrations(new PrismaPGlite(pglite), options);
}

async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: MigrateOptions,
): Promise<string[]> {
  const migrationsList = readMigrations(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const engine = await startSchemaEngine(adapterFactory);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList,
      filters: NO_EXTERNAL_ENTITIES,
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}
