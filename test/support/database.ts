import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { PrismaClient } from '../../src/infra/database/generated/client';
import { migrate } from '../../src/infra/database/migrate';
import {
  dropDatabase,
  quoteIdentifier,
  withDatabase,
  withMaintenanceConnection,
} from '../../src/infra/database/postgres-server';
import { createPrismaClient } from '../../src/infra/database/prisma-client.factory';

/** The local PostgreSQL server tests create their databases on (trust auth, user root). */
export const TEST_POSTGRES_SERVER_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Connection URL of the new database, for code under test that opens its own client. */
  url: string;
  /** A client on it; drop() disconnects it. */
  prisma: PrismaClient;
  /** Disconnects the client and drops the database (safe to call twice). */
  drop(): Promise<void>;
}

/**
 * Creates a throwaway PostgreSQL database `kubelab_test_<random>` with all migrations applied, on
 * the shared test server or on `serverUrl`'s.
 * Call drop() in afterAll/afterEach; databases are independent, so test files may run in parallel.
 *
 * The database is a copy of a template (`template`, default: one with every migration applied), made once per
 * server and content: copying a template takes a fraction of a second where migrating took one and seeding (a
 * NestJS context, a password hash, the lab catalogue) five, and a run of the suite starts some forty platforms.
 */
export async function createTestDatabase(
  serverUrl = TEST_POSTGRES_SERVER_URL,
  template: DatabaseTemplate = MIGRATED,
): Promise<TestDatabase> {
  const name = `kubelab_test_${randomBytes(6).toString('hex')}`;
  const templateName = await ensureTemplate(serverUrl, template);
  await withMaintenanceConnection(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(templateName)}`),
  );
  const url = withDatabase(serverUrl, name);
  const prisma = await createPrismaClient({ url, pgliteDir: '', poolSize: 2 });
  let dropped = false;
  return {
    url,
    prisma,
    async drop() {
      if (dropped) return;
      dropped = true;
      await prisma.$disconnect();
      await dropDatabase(url);
    },
  };
}

/**
 * A database state tests start from: `key` names its content (it changes whenever what `build` would write does)
 * and `build` writes it into an empty database.
 */
export interface DatabaseTemplate {
  key: string;
  build(url: string): Promise<void>;
}

const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'prisma', 'migrations');

/** A digest of every file under the given paths (names and bytes), in a stable order. */
export function contentKey(...paths: string[]): string {
  const hash = createHash('sha256');
  const visit = (entry: string): void => {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry).sort()) visit(path.join(entry, child));
      return;
    }
    hash.update(entry).update('\0').update(fs.readFileSync(entry)).update('\0');
  };
  for (const each of paths) visit(each);
  return hash.digest('hex').slice(0, 16);
}

/** Every migration applied, nothing else. */
export const MIGRATED: DatabaseTemplate = {
  key: `m${contentKey(MIGRATIONS_DIR)}`,
  build: async (url) => {
    await migrate({ url, pgliteDir: '' });
  },
};

/**
 * The template's database on the server, built once: one builder at a time (an advisory lock on the server), under
 * a temporary name renamed when complete, so no test ever copies a half-built template.
 */
async function ensureTemplate(serverUrl: string, template: DatabaseTemplate): Promise<string> {
  const name = `kubelab_tpl_${template.key}`.slice(0, 63);
  const lock = Number.parseInt(createHash('sha1').update(name).digest('hex').slice(0, 12), 16);
  return withMaintenanceConnection(serverUrl, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [lock]);
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) return name;
      const building = `kubelab_build_${randomBytes(6).toString('hex')}`;
      await client.query(`CREATE DATABASE ${quoteIdentifier(building)}`);
      try {
        await template.build(withDatabase(serverUrl, building));
        await client.query(`ALTER DATABASE ${quoteIdentifier(building)} RENAME TO ${quoteIdentifier(name)}`);
      } catch (error) {
        await dropDatabase(withDatabase(serverUrl, building)).catch(() => undefined);
        throw error;
      }
      return name;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [lock]);
    }
  });
}
