import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';

import { createMigration } from '../../src/infra/database/create-migration';
import { migrate } from '../../src/infra/database/migrate';
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH } from '../../src/infra/database/migrations-directory';
import { withMaintenanceConnection } from '../../src/infra/database/postgres-server';
import { createTestDatabase, TEST_POSTGRES_SERVER_URL } from '../support/database';

const FUTURE = new Date('2099-01-02T03:04:05Z');

function listDirectory(dir: string): string[] {
  return readdirSync(dir).sort();
}

async function countShadowDatabases(): Promise<number> {
  return withMaintenanceConnection(TEST_POSTGRES_SERVER_URL, async (client: pg.Client) => {
    const result = await client.query(
      "SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'prisma_shadow_%'",
    );
    return result.rows[0].n as number;
  });
}

describe('createMigration()', () => {
  let workDir: string;
  let migrationsDir: string;
  let schemaPath: string;

  beforeEach(() => {
    // Work on copies: nothing here may leave a migration behind in prisma/migrations.
    workDir = mkdtempSync(path.join(tmpdir(), 'kubelab-create-migration-'));
    migrationsDir = path.join(workDir, 'migrations');
    schemaPath = path.join(workDir, 'schema.prisma');
    cpSync(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
    cpSync(DEFAULT_SCHEMA_PATH, schemaPath);
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  it('reports no changes when the committed schema matches the committed migrations', async () => {
    const before = listDirectory(DEFAULT_MIGRATIONS_DIR);
    const shadowsBefore = await countShadowDatabases();

    expect(await createMigration({ name: 'nothing', shadowServerUrl: TEST_POSTGRES_SERVER_URL })).toEqual({
      created: false,
    });
    expect(listDirectory(DEFAULT_MIGRATIONS_DIR)).toEqual(before);
    expect(await countShadowDatabases()).toBe(shadowsBefore);
  });

  it('writes the schema change as a new migration that migrate() then applies', async () => {
    const schema = readFileSync(schemaPath, 'utf8');
    writeFileSync(
      schemaPath,
      schema.replace('  version    String\n', '  version    String\n  tags       String[]\n'),
    );
    const options = {
      name: 'Add lab tags',
      shadowServerUrl: TEST_POSTGRES_SERVER_URL,
      migrationsDir,
      schemaPath,
    };

    const result = await createMigration({ ...options, now: FUTURE });
    expect(result).toMatchObject({ created: true, migrationName: '20990102030405_add_lab_tags' });
    const written = readFileSync(
      path.join(migrationsDir, '20990102030405_add_lab_tags', 'migration.sql'),
      'utf8',
    );
    expect(written).toContain('ALTER TABLE "labs" ADD COLUMN     "tags" TEXT[]');
    expect(await createMigration({ ...options, now: new Date('2099-01-03T00:00:00Z') })).toEqual({
      created: false,
    });

    const database = await createTestDatabase();
    try {
      const applied = await migrate({ url: database.url, pgliteDir: '' }, { migrationsDir });
      expect(applied.applied).toEqual(['20990102030405_add_lab_tags']);
      const columns = await database.prisma.$queryRaw<{ data_type: string }[]>`
        SELECT data_type FROM information_schema.columns WHERE table_name = 'labs' AND column_name = 'tags'`;
      expect(columns).toEqual([{ data_type: 'ARRAY' }]);
    } finally {
      await database.drop();
    }
  });

  it('refuses a timestamp that would sort before the existing migrations', async () => {
    writeFileSync(schemaPath, readFileSync(schemaPath, 'utf8').replace('  ip         String?\n', ''));
    await expect(
      createMigration({
        name: 'drop_session_ip',
        shadowServerUrl: TEST_POSTGRES_SERVER_URL,
        migrationsDir,
        schemaPath,
        now: new Date('2001-01-01T00:00:00Z'),
      }),
    ).rejects.toThrow(/would not sort after the latest one/);
    expect(listDirectory(migrationsDir)).toEqual(listDirectory(DEFAULT_MIGRATIONS_DIR));
  });

  it('starts a history with a lockfile in an empty folder', async () => {
    const emptyDir = path.join(workDir, 'fresh');
    const result = await createMigration({
      name: 'init',
      shadowServerUrl: TEST_POSTGRES_SERVER_URL,
      migrationsDir: emptyDir,
      schemaPath,
      now: FUTURE,
    });
    expect(result.created).toBe(true);
    expect(listDirectory(emptyDir)).toEqual(['20990102030405_init', 'migration_lock.toml']);
    expect(readFileSync(path.join(emptyDir, 'migration_lock.toml'), 'utf8')).toContain(
      'provider = "postgresql"',
    );
  });
});
