import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  LOCKFILE_CONTENT,
  readMigrations,
  writeMigration,
} from './migrations-directory.js';
import { PgMigrationAdapterFactory } from './pg-migration-adapter.js';
import { NO_EXTERNAL_ENTITIES, startSchemaEngine } from './schema-engine.js';

/** Where `db:migration:create` may create its throwaway shadow databases when DATABASE_URL is unset. */
export const DEFAULT_SHADOW_SERVER_URL = 'postgresql://root@127.0.0.1:5432/postgres';

export interface CreateMigrationOptions {
  /** Migration name; becomes `<timestamp>_<name>`. Letters, digits and underscores. */
  name: string;
  /** Any database on the PostgreSQL server that may host temporary shadow databases. */
  shadowServerUrl?: string;
  schemaPath?: string;
  migrationsDir?: string;
  /** Defaults to now; the directory timestamp is taken from it (UTC). */
  now?: Date;
}

export type CreateMigrationResult =
  { created: true; directory: string; migrationName: string; script: string } | { created: false };

/**
 * Like `prisma migrate dev --create-only`: replays the existing migrations into a shadow database,
 * diffs the result against the schema, and writes the difference as a new migration. Writes
 * nothing when the schema matches the migrations.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreateMigrationResult> {
  const name = normaliseMigrationName(options.name);
  const migrationsDir = path.resolve(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const schemaText = readFileSync(options.schemaPath ?? DEFAULT_SCHEMA_PATH, 'utf8');
  const migrations = readMigrations(migrationsDir);
  // A first migration has no lockfile yet; the engine needs one to know the provider.
  migrations.lockfile.content ??= LOCKFILE_CONTENT;

  const shadowServerUrl = options.shadowServerUrl ?? DEFAULT_SHADOW_SERVER_URL;
  // Diffing only ever touches shadow databases; the "main" connection is a shadow one as well.
  const adapterFactory = new PgMigrationAdapterFactory(null, shadowServerUrl);
  let script: string;
  try {
    const engine = await startSchemaEngine(adapterFactory, schemaText);
    try {
      const diff = await engine.diff({
        from: { tag: 'migrations', ...migrations },
        to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schemaText }] },
        script: true,
        exitCode: true,
        filters: NO_EXTERNAL_ENTITIES,
      });
      // With exitCode requested, the engine answers 2 when the diff is non-empty.
      if (diff.exitCode !== 2) return { created: false };
      script = diff.stdout ?? '';
    } finally {
      engine.free();
    }
  } finally {
    await adapterFactory.close();
  }

  const migrationName = `${timestampOf(options.now ?? new Date())}_${name}`;
  const latest = migrations.migrationDirectories.at(-1)?.path;
  if (latest && latest >= migrationName) {
    throw new Error(
      `New migration ${migrationName} would not sort after the latest one (${latest}); check the clock`,
    );
  }
  const directory = writeMigration(migrationsDir, migrationName, script);
  return { created: true, directory, migrationName, script };
}

export function normaliseMigrationName(raw: string): string {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (!/^[a-z0-9][a-z0-9_]{0,199}$/.test(name)) {
    throw new Error(
      `Invalid migration name "${raw}": use letters, digits and underscores, e.g. add_lab_tags`,
    );
  }
  return name;
}

/** `prisma migrate` names directories with the UTC time as YYYYMMDDHHMMSS. */
function timestampOf(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}
