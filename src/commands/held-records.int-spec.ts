import { createTestDatabase, TestDatabase } from '../../test/support/database';
import { freePort } from '../../test/support/platform';
import type { PrismaClient } from '../infra/database/generated/client';
import { createPrismaClient } from '../infra/database/prisma-client.factory';
import { HeldRecords, HeldRecordsFullError } from './held-records';

/**
 * Held records against real PostgreSQL clients: one on a closed port (the database away) and one on a
 * live test database. Each write goes to whichever the "server" currently is, as a worker's writes go
 * to its one database that stops and comes back.
 */
describe('HeldRecords', () => {
  let live: TestDatabase;
  let away: PrismaClient;
  let server: PrismaClient;
  /** What reached the database, in the order it landed. */
  let landed: string[];

  beforeAll(async () => {
    live = await createTestDatabase();
    away = await createPrismaClient({
      url: `postgresql://postgres@127.0.0.1:${await freePort()}/kubelab`,
      pgliteDir: '',
      poolSize: 1,
    });
  });

  afterAll(async () => {
    await away.$disconnect();
    await live.drop();
  });

  beforeEach(() => {
    server = live.prisma;
    landed = [];
  });

  /** A record write: a statement on the current server, then noted as landed. */
  const record = (name: string) => async () => {
    await server.$queryRaw`SELECT 1`;
    landed.push(name);
    return name;
  };

  it('writes at once while the database answers', async () => {
    const held = new HeldRecords({ retryMs: 10 });
    expect(await held.write('run-end:a', 10, record('a'))).toEqual({ held: false, value: 'a' });
    expect(held.size).toBe(0);
    expect(landed).toEqual(['a']);
  });

  it('holds writes while the database is away and writes them in order once it is back', async () => {
    const held = new HeldRecords({ retryMs: 10 });
    let caughtUp = 0;
    held.onCaughtUp(() => caughtUp++);
    server = away;
    expect(await held.write('run-end:a', 10, record('a'))).toMatchObject({ held: true });
    expect(await held.write('home:b', 10, record('b'))).toMatchObject({ held: true });
    expect(held.holds('run-end:a')).toBe(true);
    await held.flush();
    expect(held.size).toBe(2);

    server = live.prisma;
    // A later write queues behind the held ones, though the database answers again.
    expect(await held.write('run-end:c', 10, record('c'))).toMatchObject({ held: true });
    await held.flush();
    expect(landed).toEqual(['a', 'b', 'c']);
    expect(held.size).toBe(0);
    expect(held.holds('run-end:a')).toBe(false);
    expect(caughtUp).toBe(1);
    expect(await held.write('run-end:d', 10, record('d'))).toEqual({ held: false, value: 'd' });
  });

  it("gives each held write's answer once it lands, and undefined for one the database refuses", async () => {
    const held = new HeldRecords({ retryMs: 10 });
    server = away;
    const a = await held.write('home:a', 10, record('a'));
    const refused = await held.write('home:x', 10, async () => {
      await server.$queryRaw`SELECT * FROM no_such_table`;
      return 'x';
    });
    // A later held write can wait for an earlier one's answer: it runs only once that has landed.
    const b = await held.write('run-end:b', 10, async () => {
      const earlier = a.held ? await a.written : undefined;
      return record(`b after ${earlier}`)();
    });
    if (!a.held || !refused.held || !b.held) throw new Error('expected every write held');
    server = live.prisma;
    await held.flush();
    expect(await a.written).toBe('a');
    expect(await refused.written).toBeUndefined();
    expect(await b.written).toBe('b after a');
    expect(landed).toEqual(['a', 'b after a']);
  });

  it('keeps only the newest of writes held under one key with replace (a cluster snapshot)', async () => {
    const held = new HeldRecords({ retryMs: 10 });
    server = away;
    await held.write('snapshot:c1', 10, record('v1'), { replace: true });
    await held.write('run-end:a', 10, record('a'));
    await held.write('snapshot:c1', 10, record('v2'), { replace: true });
    expect(held.size).toBe(2);
    server = live.prisma;
    await held.flush();
    expect(landed).toEqual(['v2', 'a']);
  });

  it('refuses to hold beyond its limits, and retries on its own', async () => {
    const held = new HeldRecords({ records: 2, bytes: 100, retryMs: 10 });
    server = away;
    await held.write('run-end:a', 40, record('a'));
    await expect(held.write('run-end:b', 70, record('b'))).rejects.toThrow(HeldRecordsFullError);
    await held.write('run-end:c', 40, record('c'));
    await expect(held.write('run-end:d', 1, record('d'))).rejects.toThrow(HeldRecordsFullError);
    server = live.prisma;
    const caughtUp = new Promise<void>((resolve) => held.onCaughtUp(resolve));
    await caughtUp;
    expect(landed).toEqual(['a', 'c']);
  });

  it('lets an error other than an outage reach the caller, and drops a held write the database refuses', async () => {
    const held = new HeldRecords({ retryMs: 10 });
    const refused = async () => {
      await server.$queryRaw`SELECT * FROM no_such_table`;
    };
    await expect(held.write('run-end:x', 10, refused)).rejects.toThrow(/no_such_table/);
    server = away;
    await held.write('run-end:a', 10, record('a'));
    await held.write('run-end:y', 10, refused);
    await held.write('run-end:b', 10, record('b'));
    server = live.prisma;
    await held.flush();
    expect(landed).toEqual(['a', 'b']);
    expect(held.size).toBe(0);
  });
});
