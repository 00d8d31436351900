/**
 * The warm pool keeps ready clusters; a claim hands one to a student by renaming it (atomic in the
 * engine), tells its agent who claimed it, and the pool refills. On an engine of its own.
 */
import type { ProvisionProgress } from '../../src/clusters/cluster-driver';
import { LABEL } from '../../src/clusters/docker/cluster-names';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import { controlPlaneName } from '../../src/clusters/docker/provisioning';
import {
  type DockerTestEngine,
  driverSettings,
  execIn,
  neverAborted,
  recordingSink,
  SETUP_TIMEOUT_MS,
  startEngine,
  holdEngineExclusively,
  wipeEngine,
} from './support/docker-env';

let engine: DockerTestEngine;
let hold: { release(): void } | undefined;
let driver: DockerClusterDriver;

async function pooledNames(): Promise<string[]> {
  const containers = await engine.docker.findContainers({
    [LABEL.managed]: 'true',
    [LABEL.role]: 'control-plane',
  });
  return containers.filter((c) => c.name.startsWith('kubelab-pool-') && c.running).map((c) => c.name);
}

beforeAll(async () => {
  engine = await startEngine('pool');
  hold = await holdEngineExclusively('pool');
  await wipeEngine(engine.docker);
  driver = new DockerClusterDriver(driverSettings([engine], engine.image, { warmPoolSize: 2 }));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await driver?.close();
  if (engine) await wipeEngine(engine.docker);
  hold?.release();
});

test('the pool fills up with ready clusters that are nobody’s yet', async () => {
  await driver.fillWarmPool();
  expect(await pooledNames()).toHaveLength(2);
  expect(await driver.list()).toEqual([]);
  expect(await driver.reconcile([])).toEqual({ removed: [], missing: [], unreachableHosts: [] });
  expect(await pooledNames()).toHaveLength(2);
});

test('a claim hands a pooled cluster to the student and the pool refills', async () => {
  const events: ProvisionProgress[] = [];
  const ref = await driver.provision(
    { clusterId: 'claimed-1', labSessionId: 'lab-7', ownerId: 'alice', nodeCount: 1 },
    (e) => events.push(e),
  );
  expect(events).toEqual([{ step: 'ready', done: 1, total: 1 }]);
  expect(String(ref.attachState.key)).toMatch(/^pool-[0-9a-f]{12}$/);
  // Renamed, not copied: the pool name is gone and the student's name carries the pool key.
  expect(await engine.docker.inspectContainer(`kubelab-${ref.attachState.key}-minikube`)).toBeUndefined();
  const claimed = await engine.docker.inspectContainer(controlPlaneName('claimed-1'));
  expect(claimed?.labels[LABEL.clusterKey]).toBe(ref.attachState.key);
  expect(await driver.status(ref)).toBe('ready');

  const sink = recordingSink();
  expect(await driver.exec(ref, 'kubectl get nodes', sink, neverAborted())).toMatchObject({ exitCode: 0 });
  expect(sink.stdoutText()).toContain('minikube');

  const status = await execIn(engine.docker, controlPlaneName('claimed-1'), ['kubelab-exec', '--status']);
  expect(JSON.parse(status.stdout).claim).toEqual({
    clusterId: 'claimed-1',
    labSessionId: 'lab-7',
    ownerId: 'alice',
  });
  // The claim marker's labels make the assignment readable from Docker alone.
  expect(await driver.list()).toEqual([{ clusterId: 'claimed-1', labSessionId: 'lab-7', ownerId: 'alice' }]);

  await driver.fillWarmPool();
  expect(await pooledNames()).toHaveLength(2);
  expect(await driver.reconcile(['claimed-1'])).toEqual({ removed: [], missing: [], unreachableHosts: [] });

  await driver.destroy(ref);
  expect(await engine.docker.findContainers({ [LABEL.clusterKey]: String(ref.attachState.key) })).toEqual([]);
});

test('concurrent claims get different clusters; other node counts are provisioned cold', async () => {
  await driver.fillWarmPool();
  const request = { labSessionId: 'lab', ownerId: 'o', nodeCount: 1 };
  const [first, second] = await Promise.all([
    driver.provision({ ...request, clusterId: 'claimed-2' }, () => undefined),
    driver.provision({ ...request, clusterId: 'claimed-3' }, () => undefined),
  ]);
  expect(first.attachState.key).not.toBe(second.attachState.key);
  expect(String(first.attachState.key)).toMatch(/^pool-/);
  expect(String(second.attachState.key)).toMatch(/^pool-/);

  const cold = await driver.provision({ ...request, clusterId: 'two-nodes', nodeCount: 2 }, () => undefined);
  expect(cold.attachState.key).toBe('two-nodes');
  expect((await driver.readObjects(cold, { kind: 'Node' })).map((n) => n.metadata.name)).toEqual([
    'minikube',
    'minikube-m02',
  ]);
  expect((await driver.list()).map((c) => c.clusterId).sort()).toEqual([
    'claimed-2',
    'claimed-3',
    'two-nodes',
  ]);
});

test('a pool that cannot refill says why in health()', async () => {
  const broken = new DockerClusterDriver(
    driverSettings([engine], 'kubelab-node:no-such-image', { warmPoolSize: 1, warmPoolNodeCount: 3 }),
  );
  await broken.fillWarmPool();
  const health = await broken.health();
  expect(health.ok).toBe(false);
  expect(health.detail).toContain('image kubelab-node:no-such-image MISSING');
  expect(health.detail).toMatch(
    /warm pool refill failed: provisioning cluster warming-[0-9a-f]{12} on .* failed at step "containers"/,
  );
  expect(await engine.docker.findContainers({ [LABEL.managed]: 'true', [LABEL.nodeCount]: '3' })).toEqual([]);
  await broken.close();
});

test('pool clusters of an older image are never handed out and reconcile removes them', async () => {
  await engine.docker.tagImage(engine.image, 'kubelab-node:older');
  const old = new DockerClusterDriver(driverSettings([engine], 'kubelab-node:older', { warmPoolSize: 1 }));
  await old.fillWarmPool(); // the current pool is full, but none of its clusters has the older image
  await old.close();
  const olderPool = async () =>
    (
      await engine.docker.findContainers({
        [LABEL.image]: 'kubelab-node:older',
        [LABEL.role]: 'control-plane',
      })
    ).filter((c) => c.name.startsWith('kubelab-pool-'));
  expect(await olderPool()).toHaveLength(1);

  const ref = await driver.provision(
    { clusterId: 'claimed-4', labSessionId: 'lab', ownerId: 'o', nodeCount: 1 },
    () => undefined,
  );
  expect((await engine.docker.inspectContainer(controlPlaneName('claimed-4')))?.labels[LABEL.image]).toBe(
    engine.image,
  );
  expect(await olderPool()).toHaveLength(1);
  // The claim started a refill; with no orphan grace (orphanGraceMs 0) reconcile would race the pool cluster
  // it is creating, which the platform's 60 s grace protects. Join it first.
  await driver.fillWarmPool();

  const report = await driver.reconcile(['claimed-2', 'claimed-3', 'two-nodes', 'claimed-4']);
  expect(report.removed).toHaveLength(1);
  expect(report.removed[0]).toMatch(/^pool-/);
  expect(await olderPool()).toEqual([]);
  await driver.destroy(ref);
});
