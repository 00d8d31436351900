import type { AppConfig } from '../../src/config/app-config';
import { RedisConnections } from '../../src/infra/redis/redis-connections';
import { RedisRepository } from '../../src/repositories/redis.repository';
import { SessionMailboxRepository } from '../../src/repositories/session-mailbox.repository';
import { uniquePrefix } from '../support/api';

/**
 * The mailbox's Redis scripts against the real Redis: a drain that died leaves its run in flight, and no
 * later drain may take the session over until the housekeeping has ended that run — otherwise the only
 * record of the run (its in-flight entry) is erased and the student's command never ends.
 */
describe('session mailbox on Redis: a dead drain’s run in flight', () => {
  const config = { redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', redisPrefix: uniquePrefix() };
  let redis: RedisRepository;
  let mailbox: SessionMailboxRepository;

  beforeAll(async () => {
    const connections = new RedisConnections(config);
    redis = new RedisRepository(connections);
    await redis.onModuleInit();
    mailbox = new SessionMailboxRepository(config as AppConfig, redis, connections);
  });

  afterAll(async () => {
    const keys = await redis.client.keys(`${config.redisPrefix}:*`);
    if (keys.length > 0) await redis.client.del(...keys);
    redis.client.disconnect();
  });

  async function post(labSessionId: string, runId: string, seq: number) {
    await mailbox.post(labSessionId, seq, { runId, command: `echo ${runId}` });
  }

  it('hands runs to one drain at a time, and forgets the run in flight when the mailbox runs dry', async () => {
    await post('s1', 'run-1', 1);
    await post('s1', 'run-2', 2);
    expect(await mailbox.lockAndTakeFirst('s1', 'drain-a', 10_000)).toMatchObject({ runId: 'run-1', seq: 1 });
    expect(await mailbox.lockAndTakeFirst('s1', 'drain-b', 10_000)).toBeNull();
    expect(await mailbox.inFlight()).toContainEqual({ labSessionId: 's1', runId: 'run-1' });
    expect(await mailbox.takeNextOrRelease('s1', 'drain-a')).toMatchObject({ runId: 'run-2' });
    expect(await mailbox.takeNextOrRelease('s1', 'drain-a')).toBeNull();
    expect(await mailbox.isLocked('s1')).toBe(false);
    expect((await mailbox.inFlight()).filter((run) => run.labSessionId === 's1')).toEqual([]);
  });

  it('reads the keys asked for alongside a take, in their order, and only when it takes an entry', async () => {
    const [present, absent, later] = ['present', 'absent', 'later'].map(
      (name) => `${config.redisPrefix}:${name}`,
    );
    await redis.client.set(present, '7');
    await redis.client.set(later, 'x');
    await post('s3', 'run-1', 1);
    await post('s3', 'run-2', 2);
    // A missing key reads null, wherever it stands in the list.
    expect(await mailbox.lockAndTakeFirst('s3', 'drain', 10_000, [present, absent, later])).toEqual({
      runId: 'run-1',
      command: 'echo run-1',
      seq: 1,
      alongside: ['7', null, 'x'],
    });
    expect(await mailbox.takeNextOrRelease('s3', 'drain', [absent, present])).toMatchObject({
      runId: 'run-2',
      alongside: [null, '7'],
    });
    expect(await mailbox.takeNextOrRelease('s3', 'drain', [present])).toBeNull();
    expect(await mailbox.isLocked('s3')).toBe(false);
  });

  it('refuses a new drain while a dead drain’s run is in flight, and lets it in once that run is forgotten', async () => {
    await post('s2', 'interactive', 1);
    expect(await mailbox.lockAndTakeFirst('s2', 'dead-drain', 100)).toMatchObject({ runId: 'interactive' });
    // The worker holding the drain is killed: its lock lapses, the run stays in flight.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await mailbox.isLocked('s2')).toBe(false);

    // BullMQ hands the dead worker's drain job to a new worker before the housekeeping has swept:
    // with an empty mailbox it must neither erase the run in flight nor take the lock.
    expect(await mailbox.lockAndTakeFirst('s2', 'redelivered-drain', 10_000)).toBeNull();
    await post('s2', 'typed-next', 2);
    expect(await mailbox.lockAndTakeFirst('s2', 'redelivered-drain', 10_000)).toBeNull();
    expect(await mailbox.inFlight()).toContainEqual({ labSessionId: 's2', runId: 'interactive' });
    expect(await mailbox.isLocked('s2')).toBe(false);

    // The housekeeping ends the run, forgets it, and queues a drain, which now takes what waited.
    await mailbox.forgetInFlight('s2', 'interactive');
    expect(await mailbox.lockAndTakeFirst('s2', 'new-drain', 10_000)).toMatchObject({ runId: 'typed-next' });
    expect(await mailbox.inFlight()).toContainEqual({ labSessionId: 's2', runId: 'typed-next' });
  });
});
