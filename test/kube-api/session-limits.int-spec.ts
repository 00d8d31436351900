import type { AppConfig } from '../../src/config/app-config';
import { RedisConnections } from '../../src/infra/redis/redis-connections';
import { SessionLimitsService } from '../../src/kube-api/session-limits.service';
import { RedisRepository } from '../../src/repositories/redis.repository';
import { SessionMailboxRepository } from '../../src/repositories/session-mailbox.repository';
import { uniquePrefix } from '../support/api';

/** The Kubernetes API's per-session limits and a write's turn (SessionMailboxRepository.lockIdle), on the real Redis. */
describe('Kubernetes API limits and turns on Redis', () => {
  const base = { redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', redisPrefix: uniquePrefix() };
  const config = {
    ...base,
    kubeApi: { requestsPerSecond: 5, watchesPerSession: 2, streamsPerSession: 1 },
  } as unknown as AppConfig;
  let redis: RedisRepository;
  let limits: SessionLimitsService;
  let mailbox: SessionMailboxRepository;

  beforeAll(async () => {
    const connections = new RedisConnections(base);
    redis = new RedisRepository(connections);
    await redis.onModuleInit();
    limits = new SessionLimitsService(config, redis);
    mailbox = new SessionMailboxRepository(config, redis, connections);
  });

  afterAll(async () => {
    const keys = await redis.client.keys(`${base.redisPrefix}:*`);
    if (keys.length > 0) await redis.client.del(...keys);
    redis.client.disconnect();
  });

  /** Starts at the beginning of a second, so a test's requests fall in one window. */
  async function atSecondStart(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
  }

  it('answers the sixth request of a second with a retry after 1 s, per session', async () => {
    await atSecondStart();
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await limits.admit('rate-a', 'read'));
    expect(verdicts.slice(0, 5).every((verdict) => verdict.ok)).toBe(true);
    expect(verdicts[5]).toEqual({
      ok: false,
      retryAfterSeconds: 1,
      why: "this lab session's API takes at most 5 requests a second",
    });
    // Another session has its own window.
    expect((await limits.admit('rate-b', 'read')).ok).toBe(true);
  });

  it('counts open watches and streams until they are released', async () => {
    await atSecondStart();
    const first = await limits.admit('open-a', 'watch');
    const second = await limits.admit('open-a', 'watch');
    const third = await limits.admit('open-a', 'watch');
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(third).toEqual({
      ok: false,
      retryAfterSeconds: 1,
      why: 'this lab session may keep at most 2 watches open',
    });
    if (first.ok) {
      first.release();
      first.release();
    }
    expect((await limits.admit('open-a', 'watch')).ok).toBe(true);
    await atSecondStart();
    expect((await limits.admit('open-a', 'stream')).ok).toBe(true);
    expect(await limits.admit('open-a', 'stream')).toMatchObject({
      ok: false,
      why: 'this lab session may keep at most 1 stream (logs -f, exec, attach, port-forward) open',
    });
  });

  it("gives a write the session's turn only while no terminal command waits or runs", async () => {
    expect(await mailbox.lockIdle('turn-a', 'write-1', 10_000)).toBe(true);
    // Held: neither another write nor a drain takes it.
    expect(await mailbox.lockIdle('turn-a', 'write-2', 10_000)).toBe(false);
    await mailbox.post('turn-a', 1, { runId: 'run-1', command: 'kubectl get pods' });
    expect(await mailbox.lockAndTakeFirst('turn-a', 'drain', 10_000)).toBeNull();
    await mailbox.unlock('turn-a', 'write-1');
    // A command waits: the next write comes after it.
    expect(await mailbox.lockIdle('turn-a', 'write-2', 10_000)).toBe(false);
    expect(await mailbox.lockAndTakeFirst('turn-a', 'drain', 10_000)).toMatchObject({ runId: 'run-1' });
    // It runs (in flight): still no turn for a write.
    expect(await mailbox.lockIdle('turn-a', 'write-2', 10_000)).toBe(false);
    expect(await mailbox.takeNextOrRelease('turn-a', 'drain')).toBeNull();
    expect(await mailbox.lockIdle('turn-a', 'write-2', 10_000)).toBe(true);
    await mailbox.unlock('turn-a', 'write-2');
  });
});
