import { parseConfig } from '../../src/config/app-config';
import { RedisConnections } from '../../src/infra/redis/redis-connections';
import { JobHandlers, JobName, QueueName } from '../../src/jobs/job.types';
import { AdmissionService } from '../../src/placement/admission.service';
import type { ClusterDriver } from '../../src/clusters/cluster-driver';
import { WorkerDirectoryRepository } from '../../src/placement/worker-directory.repository';
import { WorkerLoadSampler } from '../../src/placement/worker-load';
import { WorkerPresenceService } from '../../src/placement/worker-presence.service';
import { CommandRefsRepository } from '../../src/repositories/command-refs.repository';
import { JobRepository } from '../../src/repositories/job.repository';
import { RedisRepository } from '../../src/repositories/redis.repository';
import type { CommandAccepted } from '../../src/shared/events';
import { uniquePrefix } from '../support/api';

/**
 * Overload admission against the real Redis and BullMQ: the commands queue's load as a worker and the API read
 * it, refusals with retry hints beyond a small bound, acceptance again once the queue drains, and the client
 * references that make a retried submit idempotent.
 */
describe('admission by load on Redis and BullMQ', () => {
  const config = parseConfig({
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: uniquePrefix(),
    ADMISSION_MAX_WAITING: '5',
    ADMISSION_MAX_WAIT_MS: '0',
  });
  let connections: RedisConnections;
  let redis: RedisRepository;
  let producer: JobRepository;
  let consumer: JobRepository | undefined;

  beforeAll(async () => {
    connections = new RedisConnections(config);
    redis = new RedisRepository(connections);
    await redis.onModuleInit();
    producer = new JobRepository(config, connections);
  });

  afterAll(async () => {
    await consumer?.onModuleDestroy();
    await producer.onModuleDestroy();
    const keys = await redis.client.keys(`${config.redisPrefix}:*`);
    if (keys.length > 0) await redis.client.del(...keys);
    redis.client.disconnect();
  });

  const drain = (session: string) =>
    producer.queue({ name: JobName.CommandRun, data: { labSessionId: session, runId: `${session}-run` } });

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`never saw ${what}`);
  }

  it('measures the queue, refuses beyond the bound with a hint, and accepts again once it drains', async () => {
    const admission = new AdmissionService(config, producer, redis);
    expect(await producer.commandsLoad()).toEqual({ waiting: 0, oldestWaitingMs: 0, active: 0 });
    expect(await admission.check(undefined)).toEqual({ ok: true });

    // No worker runs yet: six sessions' drains wait, one beyond the bound of 5.
    for (let session = 1; session <= 6; session++) await drain(`s${session}`);
    const load = await producer.commandsLoad();
    expect(load).toMatchObject({ waiting: 6, active: 0 });
    expect(load.oldestWaitingMs).toBeGreaterThanOrEqual(0);

    // The admission's read from before is cached; a fresh service reads the queue now.
    const fresh = new AdmissionService(config, producer, redis);
    const refused = await fresh.check(undefined);
    expect(refused).toMatchObject({ ok: false, reason: '6 sessions wait for a worker (bound 5)' });
    expect(refused.ok === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await until(
      () => fresh.refusalsLastMinute(),
      (count) => count === 1,
      'the refusal counted',
    );

    // A worker drains the queue: admission accepts again as soon as its cached read is renewed.
    consumer = new JobRepository(config, connections);
    const ran: string[] = [];
    const handlers = {
      [JobName.CommandRun]: async (data: { labSessionId: string }) => void ran.push(data.labSessionId),
    } as unknown as JobHandlers;
    consumer.startWorkers(
      handlers,
      {
        [QueueName.Commands]: 2,
        [QueueName.Clusters]: 1,
        [QueueName.Grading]: 1,
        [QueueName.Authoring]: 1,
      },
      { workerId: 'overload-test-worker', hosts: [] },
    );
    await until(
      () => fresh.check(undefined),
      (verdict) => verdict.ok,
      'admission accept again',
    );
    expect(ran.sort()).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
  });

  it('samples a worker’s own queues for its heartbeat, which carries the load into the worker directory', async () => {
    const hosted = { ...config, worker: { ...config.worker, hosts: ['sampled-host'] } };
    const directory = new WorkerDirectoryRepository(hosted, redis);
    const presence = new WorkerPresenceService(directory);
    // The driver is asked for its hosts only when a worker serves "all"; this one lists its host.
    const sampler = new WorkerLoadSampler(hosted, undefined as unknown as ClusterDriver, producer, presence);
    sampler.onModuleInit();
    try {
      await producer.queue(
        { name: JobName.CommandRun, data: { labSessionId: 'mine', runId: 'mine-1' } },
        presence.workerId,
      );
      await producer.queue(
        { name: JobName.CommandRun, data: { labSessionId: 'hosted', runId: 'hosted-1' } },
        'sampled-host',
      );
      await until(
        async () => sampler.current(),
        (load) => load?.waiting === 2,
        'both waiting drains sampled',
      );
      await presence.announceRelay({ url: 'http://127.0.0.1:1', secret: 'unused' });
      const entry = (await directory.all()).find((worker) => worker.workerId === presence.workerId);
      expect(entry?.load).toMatchObject({ waiting: 2, active: 0 });
    } finally {
      sampler.onModuleDestroy();
      await presence.leave();
    }
  });

  it('refuses on the age of the oldest waiting drain on a queue no worker serves', async () => {
    const aged = { ...config, admission: { maxWaiting: 0, maxWaitMs: 100 } };
    const admission = new AdmissionService(aged, producer, redis);
    await producer.queue(
      { name: JobName.CommandRun, data: { labSessionId: 'old', runId: 'old-run' } },
      'unserved-host',
    );
    const refused = await until(
      () => new AdmissionService(aged, producer, redis).check('unserved-host'),
      (verdict) => !verdict.ok,
      'the waiting drain grow older than 100 ms',
    );
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    // Other queues are judged on their own load.
    expect(await admission.check('another-host')).toEqual({ ok: true });
  });

  it('claims a client reference once, answers its acceptance to a repeat, and frees it after a refusal', async () => {
    const refs = new CommandRefsRepository(config, redis);
    const accepted: CommandAccepted = {
      labSessionId: 'session-a',
      runId: 'run-1',
      seq: 1,
      command: 'kubectl get pods',
      kind: 'foreground',
      queuedAt: new Date(0).toISOString(),
    };
    expect(await refs.claim('session-a', 'c1')).toEqual({ claimed: true });
    expect(await refs.claim('session-a', 'c1')).toEqual({ claimed: false, inFlight: true });
    await refs.remember('session-a', 'c1', accepted);
    expect(await refs.claim('session-a', 'c1')).toEqual({ claimed: false, accepted });
    // The same reference in another session is another line.
    expect(await refs.claim('session-b', 'c1')).toEqual({ claimed: true });
    await refs.release('session-b', 'c1');
    expect(await refs.claim('session-b', 'c1')).toEqual({ claimed: true });
  });
});
