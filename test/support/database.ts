import { randomBytes } from 'node:crypto';

import type { PrismaClient } from '../../src/infra/database/generated/client';
import { migrate } from '../../src/infra/database/migrate';
import { dropDatabase, withDatabase } from '../../src/infra/database/postgres-server';
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
 * Creates a throwaway PostgreSQL database `kubelab_test_<random>` with all migrations applied.
 * Call drop() in afterAll/afterEach; databases are independent, so test files may run in parallel.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = withDatabase(TEST_POSTGRES_SERVER_URL, `kubelab_test_${randomBytes(6).toString('hex')}`);
  await migrate({ url, pgliteDir: '' });
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
