import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

import { migrate } from '../../src/infra/database/migrate';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/infra/database/migrations-directory';
import { dropDatabase, withDatabase } from '../../src/infra/database/postgres-server';
import { TEST_POSTGRES_SERVER_URL } from '../support/database';

const EXPECTED_TABLES = [
  '_prisma_migrations',
  'audit_events',
  'auth_sessions',
  'clusters',
  'command_runs',
  'course_labs',
  'course_record_exports',
  'courses',
  'due_extensions',
  'enrollments',
  'grading_events',
  'home_revisions',
  'kube_api_certificates',
  'kube_api_tokens',
  'lab_drafts',
  'lab_proofs',
  'lab_regrades',
  'lab_session_homes',
  'lab_sessions',
  'lab_versions',
  'labs',
  'step_results',
  'users',
];

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}

const MIGRATION_ROWS_SQL =
  'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name';
const TABLES_SQL =
  "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name";

/** What `prisma migrate deploy` would have recorded for the committed migrations. */
function expectedMigrationRows(migrationsDir = DEFAULT_MIGRATIONS_DIR) {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      migration_name: name,
      checksum: createHash('sha256')
        .update(readFileSync(path.join(migrationsDir, name, 'migration.sql')))
        .digest('hex'),
      finished_at: expect.any(Date),
      rolled_back_at: null,
      applied_steps_count: 1,
    }));
}

function freshDatabaseUrl(): string {
  return withDatabase(TEST_POSTGRES_SERVER_URL, `kubelab_test_${randomBytes(6).toString('hex')}`);
}

async function queryPostgres<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrate() on PostgreSQL', () => {
  const url = freshDatabaseUrl();
  afterAll(() => dropDatabase(url));

  it('creates the missing database and applies every migration with deploy-compatible bookkeeping', async () => {
    const expected = expectedMigrationRows();
    const result = await migrate({ url, pgliteDir: '' });

    expect(result).toEqual({
      backend: 'postgresql',
      createdDatabase: true,
      applied: expected.map((row) => row.migration_name),
      edited: [],
    });
    const tables = await queryPostgres<{ table_name: string }>(url, TABLES_SQL);
    expect(tables.map((row) => row.table_name)).toEqual(EXPECTED_TABLES);
    expect(await queryPostgres<MigrationRow>(url, MIGRATION_ROWS_SQL)).toEqual(expected);
  });

  it('applies nothing the second time', async () => {
    const before = await queryPostgres<MigrationRow>(url, MIGRATION_ROWS_SQL);
    expect(await migrate({ url, pgliteDir: '' })).toEqual({
      backend: 'postgresql',
      createdDatabase: false,
      applied: [],
      edited: [],
    });
    expect(await queryPostgres<MigrationRow>(url, MIGRATION_ROWS_SQL)).toEqual(before);
  });
});

describe('concurrent migrate() calls', () => {
  const url = freshDatabaseUrl();
  afterAll(() => dropDatabase(url));

  it('create the database once and apply each migration once (API and workers may boot together)', async () => {
    const results = await Promise.all([1, 2, 3].map(() => migrate({ url, pgliteDir: '' })));
    expect(results.filter((result) => result.createdDatabase)).toHaveLength(1);
    expect(results.flatMap((result) => result.applied).sort()).toEqual(
      expectedMigrationRows().map((row) => row.migration_name),
    );
    expect(await queryPostgres<MigrationRow>(url, MIGRATION_ROWS_SQL)).toEqual(expectedMigrationRows());
  });
});

describe('migrate() with a broken migration', () => {
  const url = freshDatabaseUrl();
  let migrationsDir: string;
  beforeAll(() => {
    migrationsDir = mkdtempSync(path.join(tmpdir(), 'kubelab-migrations-'));
    cpSync(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
    mkdirSync(path.join(migrationsDir, '29991231000000_broken'));
    writeFileSync(
      path.join(migrationsDir, '29991231000000_broken', 'migration.sql'),
      'ALTER TABLE "no_such_table" ADD COLUMN "x" INT;',
    );
  });
  afterAll(async () => {
    rmSync(migrationsDir, { recursive: true, force: true });
    await dropDatabase(url);
  });

  it('records the failure and then refuses to continue, like migrate deploy', async () => {
    await expect(migrate({ url, pgliteDir: '' }, { migrationsDir })).rejects.toThrow(/no_such_table/);
    const rows = await queryPostgres<MigrationRow>(url, MIGRATION_ROWS_SQL);
    expect(rows.at(-1)).toMatchObject({
      migration_name: '29991231000000_broken',
      finished_at: null,
      applied_steps_count: 0,
    });

    await expect(migrate({ url, pgliteDir: '' }, { migrationsDir })).rejects.toThrow(/failed migrations/);
  });
});

describe('migrate() after an applied migration was edited', () => {
  const url = freshDatabaseUrl();
  let migrationsDir: string;
  beforeAll(() => {
    migrationsDir = mkdtempSync(path.join(tmpdir(), 'kubelab-migrations-'));
    cpSync(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
  });
  afterAll(async () => {
    rmSync(migrationsDir, { recursive: true, force: true });
    await dropDatabase(url);
  });

  it('keeps going, as migrate deploy does, but names the edited migration', async () => {
    await migrate({ url, pgliteDir: '' }, { migrationsDir });
    const [first] = expectedMigrationRows(migrationsDir);
    appendFileSync(path.join(migrationsDir, first.migration_name, 'migration.sql'), '\n-- edited later\n');
    expect(await migrate({ url, pgliteDir: '' }, { migrationsDir })).toMatchObject({
      applied: [],
      edited: [first.migration_name],
    });
  });
});

describe('migrate() on PGlite', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'kubelab-pglite-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the data directory, applies every migration with the same bookkeeping, then applies nothing', async () => {
    const pgliteDir = path.join(dataDir, 'pglite');
    const expected = expectedMigrationRows();

    const first = await migrate({ pgliteDir });
    expect(first).toEqual({
      backend: 'pglite',
      createdDatabase: false,
      applied: expected.map((row) => row.migration_name),
      edited: [],
    });
    const second = await migrate({ pgliteDir });
    expect(second).toMatchObject({ applied: [], edited: [] });

    const pglite = await PGlite.create({ dataDir: pgliteDir });
    try {
      const tables = await pglite.query<{ table_name: string }>(TABLES_SQL);
      expect(tables.rows.map((row) => row.table_name)).toEqual(EXPECTED_TABLES);
      expect((await pglite.query<MigrationRow>(MIGRATION_ROWS_SQL)).rows).toEqual(expected);
    } finally {
      await pglite.close();
    }
  });
});
