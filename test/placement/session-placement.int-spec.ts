import type { ClusterDriver } from '../../src/clusters/cluster-driver';
import type { AppConfig } from '../../src/config/app-config';
import { RedisConnections } from '../../src/infra/redis/redis-connections';
import { JobName, QueueName } from '../../src/jobs/job.types';
import { EmbeddedClusterDriver } from '../../src/clusters/embedded/embedded-cluster.driver';
import { ClusterMemoryService } from '../../src/placement/cluster-memory.service';
import { rendezvousPick } from '../../src/placement/placement';
import type { WorkerPresenceService } from '../../src/placement/worker-presence.service';
import { SessionPlacementService } from '../../src/placement/session-placement.service';
import { SessionRouter } from '../../src/placement/session-router.service';
import { WorkerDirectoryRepository } from '../../src/placement/worker-directory.repository';
import type { ClusterRepository } from '../../src/repositories/cluster.repository';
import { JobRepository, queueNameOf } from '../../src/repositories/job.repository';
import { RedisRepository } from '../../src/repositories/redis.repository';
import { uniquePrefix } from '../support/api';

const sessions = Array.from({ length: 60 }, (_, i) => `session-${i}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Session placement against the real Redis, as two processes (each its own connection, directory cache and
 * placement service) see it: sticky assignments, agreement, re-placement when a worker goes or a session idles.
 */
describe('session placement on Redis', () => {
  const config = {
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: uniquePrefix(),
    // The shortest idle window the configuration allows, so a lapse is seen within the test.
    worker: { placementIdleSeconds: 2, hosts: [] },
  } as unknown as AppConfig;
  const processes: {
    redis: RedisRepository;
    directory: WorkerDirectoryRepository;
    placement: SessionPlacementService;
  }[] = [];

  async function startProcess(): Promise<(typeof processes)[number]> {
    const redis = new RedisRepository(new RedisConnections(config));
    await redis.onModuleInit();
    const directory = new WorkerDirectoryRepository(config, redis);
    const placement = new SessionPlacementService(config, redis, directory);
    processes.push({ redis, directory, placement });
    return { redis, directory, placement };
  }

  async function join(directory: WorkerDirectoryRepository, workerId: string) {
    await directory.beat({ workerId, startedAt: new Date().toISOString() });
    for (const each of processes) each.directory.forgetCachedList();
  }

  async function leave(directory: WorkerDirectoryRepository, workerId: string) {
    await directory.withdraw(workerId);
    for (const each of processes) each.directory.forgetCachedList();
  }

  const placeAll = (placement: SessionPlacementService) =>
    Promise.all(sessions.map((session) => placement.workerFor(session)));

  afterAll(async () => {
    const [{ redis }] = processes;
    const keys = await redis.client.keys(`${config.redisPrefix}:*`);
    if (keys.length > 0) await redis.client.del(...keys);
    for (const each of processes) {
      each.placement.onModuleDestroy();
      each.redis.client.disconnect();
    }
  });

  it('places nothing while no worker is live (the shared queue takes the job)', async () => {
    const { placement } = await startProcess();
    expect(await placement.workerFor('lonely')).toBeUndefined();
    expect(await placement.placedOn(['lonely'])).toEqual([null]);
  });

  it('places sessions by rendezvous over the live workers, and two processes placing at once agree', async () => {
    const [a, b] = [processes[0], await startProcess()];
    await join(a.directory, 'worker-a');
    await join(a.directory, 'worker-b');
    const [fromA, fromB] = await Promise.all([placeAll(a.placement), placeAll(b.placement)]);
    expect(fromB).toEqual(fromA);
    expect(fromA).toEqual(sessions.map((session) => rendezvousPick(session, ['worker-a', 'worker-b'])));
    expect(new Set(fromA)).toEqual(new Set(['worker-a', 'worker-b']));
    expect(await a.directory.isAlive('worker-a')).toBe(true);
    expect(await a.directory.isAlive('worker-z')).toBe(false);
  });

  it('keeps placed sessions where they are when a worker joins; only new sessions go to the newcomer', async () => {
    const [a] = processes;
    const before = await placeAll(a.placement);
    await join(a.directory, 'worker-c');
    expect(await placeAll(a.placement)).toEqual(before);
    const fresh = Array.from({ length: 60 }, (_, i) => `fresh-${i}`);
    const placed = await Promise.all(fresh.map((session) => a.placement.workerFor(session)));
    expect(placed).toContain('worker-c');
  });

  it('moves only the sessions of a worker that left, each to a live worker', async () => {
    const [a, b] = processes;
    const before = await placeAll(a.placement);
    await leave(a.directory, 'worker-a');
    const after = await placeAll(b.placement);
    sessions.forEach((session, index) => {
      if (before[index] === 'worker-a') expect(['worker-b', 'worker-c']).toContain(after[index]);
      else expect(after[index]).toBe(before[index]);
    });
    expect(await placeAll(a.placement)).toEqual(after);
  });

  it('lets an idle session lapse and be placed afresh, while a held one (a job runs for it) stays', async () => {
    const [a] = processes;
    const [held, idle] = ['held-session', 'idle-session'];
    const heldOn = (await a.placement.workerFor(held)) as string;
    await a.placement.workerFor(idle);
    const release = a.placement.hold(held, heldOn);
    // Past the 2 s idle window: the hold refreshes every half second.
    await sleep(2600);
    expect(await a.placement.placedOn([held, idle])).toEqual([heldOn, null]);
    release();
    expect(a.placement.isHeld(held)).toBe(false);
  });

  it('answers a placement read lately without Redis while its worker is live, for a quarter of the idle window', async () => {
    const [a] = processes;
    const session = 'recent-session';
    const key = `${config.redisPrefix}:placement:${session}`;
    const placedOn = (await a.placement.workerFor(session)) as string;
    // The key gone (as if it lapsed): within 0.5 s (a quarter of 2 s) the remembered answer stands, unread.
    await a.redis.client.del(key);
    expect(await a.placement.workerFor(session)).toBe(placedOn);
    expect(await a.placement.placedOn([session])).toEqual([null]);
    // After it, the placement is read (and made) again.
    await sleep(600);
    expect(await a.placement.workerFor(session)).toBe(placedOn);
    expect(await a.placement.placedOn([session])).toEqual([placedOn]);
    // A worker that leaves is not answered from memory: its session is placed on a live one at once.
    await leave(a.directory, placedOn);
    const moved = await a.placement.workerFor(session);
    expect(moved).not.toBe(placedOn);
    expect(await a.placement.placedOn([session])).toEqual([moved]);
    await join(a.directory, placedOn);
  });

  it('drops from a worker’s memory the clusters of sessions placed elsewhere, and keeps those placed or running here', async () => {
    const [a] = processes;
    const driver = new EmbeddedClusterDriver();
    const provision = (labSessionId: string) =>
      driver.provision(
        { clusterId: `cluster-of-${labSessionId}`, labSessionId, ownerId: 'student', nodeCount: 1 },
        () => undefined,
      );
    const here = 'worker-b';
    const [placedHere, placedElsewhere, runningHere] = ['mine', 'theirs', 'busy'];
    for (const session of [placedHere, placedElsewhere, runningHere]) await provision(session);
    await a.redis.client.set(`${config.redisPrefix}:placement:${placedHere}`, here);
    await a.redis.client.set(`${config.redisPrefix}:placement:${placedElsewhere}`, 'worker-c');
    const release = a.placement.hold(runningHere, here);
    const memory = new ClusterMemoryService(config, driver, a.placement, {
      workerId: here,
    } as unknown as WorkerPresenceService);
    expect(await memory.dropUnplaced()).toBe(1);
    expect(
      driver
        .heldInMemory()
        .map((cluster) => cluster.labSessionId)
        .sort(),
    ).toEqual([runningHere, placedHere]);
    release();
    // Its job over and never placed here, the busy session's cluster goes too.
    expect(await memory.dropUnplaced()).toBe(1);
    expect(driver.heldInMemory().map((cluster) => cluster.labSessionId)).toEqual([placedHere]);
  });

  it('moves the jobs waiting on a gone worker’s queues to their sessions’ workers', async () => {
    const [a] = processes;
    const jobs = new JobRepository(config, new RedisConnections(config));
    const router = new SessionRouter(
      { capabilities: { clustersLiveIn: 'process' } } as ClusterDriver,
      jobs,
      a.placement,
      undefined as unknown as ClusterRepository,
    );
    try {
      // Queued for worker-gone (as a producer would have while it was live), never taken.
      await jobs.queue(
        { name: JobName.CommandRun, data: { labSessionId: 'session-1', runId: 'r1' } },
        'worker-gone',
      );
      await jobs.queue(
        { name: JobName.GradingRun, data: { labSessionId: 'session-2', trigger: 'command' } },
        'worker-gone',
      );
      expect(await router.moveWaitingOf('worker-gone')).toBe(2);
      const [to1, to2] = await Promise.all([
        a.placement.workerFor('session-1'),
        a.placement.workerFor('session-2'),
      ]);
      const counts = async (queue: QueueName, target: string) =>
        (await a.redis.client.llen(`${config.redisPrefix}:${queueNameOf(queue, target)}:wait`)) as number;
      expect(await counts(QueueName.Commands, to1 as string)).toBe(1);
      expect(await counts(QueueName.Grading, to2 as string)).toBe(1);
      expect(await counts(QueueName.Commands, 'worker-gone')).toBe(0);
      await router.removeQueuesOf('worker-gone');
      expect(
        await a.redis.client.exists(
          `${config.redisPrefix}:${queueNameOf(QueueName.Commands, 'worker-gone')}:id`,
        ),
      ).toBe(0);
    } finally {
      await jobs.onModuleDestroy();
    }
  });
});
