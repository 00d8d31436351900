import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../test/support/database';
import { freePort } from '../../../test/support/platform';
import { isDatabaseUnavailable } from './database-errors';
import type { PrismaClient } from './generated/client';
import { createPrismaClient, sqlRunnerOf } from './prisma-client.factory';

/** Real errors: a server that is not there (a closed port), and statements a live server refuses. */
describe('isDatabaseUnavailable', () => {
  let live: TestDatabase;
  let away: PrismaClient;
  let awayUrl: string;

  beforeAll(async () => {
    live = await createTestDatabase();
    awayUrl = `postgresql://postgres@127.0.0.1:${await freePort()}/kubelab`;
    away = await createPrismaClient({ url: awayUrl, pgliteDir: '', poolSize: 1 });
  });

  afterAll(async () => {
    await away.$disconnect();
    await live.drop();
  });

  async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
    try {
      await work();
    } catch (error) {
      return error;
    }
    throw new Error('expected the statement to fail');
  }

  it('recognises a server that cannot be reached, through Prisma, the plain-SQL runner and pg', async () => {
    expect(isDatabaseUnavailable(await failureOf(() => away.$queryRaw`SELECT 1`))).toBe(true);
    expect(isDatabaseUnavailable(await failureOf(() => away.user.findFirst()))).toBe(true);
    const sql = sqlRunnerOf(away);
    expect(isDatabaseUnavailable(await failureOf(() => sql({ name: 'probe', text: 'SELECT 1' }, [])))).toBe(
      true,
    );
    const pool = new Pool({ connectionString: awayUrl });
    try {
      expect(isDatabaseUnavailable(await failureOf(() => pool.query('SELECT 1')))).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('does not take a statement the server refused for an outage', async () => {
    expect(
      isDatabaseUnavailable(await failureOf(() => live.prisma.$queryRaw`SELECT * FROM no_such_table`)),
    ).toBe(false);
    const sql = sqlRunnerOf(live.prisma);
    expect(isDatabaseUnavailable(await failureOf(() => sql({ name: 'bad', text: 'SELEKT 1' }, [])))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
