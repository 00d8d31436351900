/**
 * Several Docker hosts: two private dockerd instances on this machine. A new cluster goes to the host with
 * the most free capacity, its ref records the host, and commands go there. An unreachable host is reported
 * by health() and skipped by placement; with no usable host, provisioning fails with a clear message.
 */
import type { ClusterRef } from '../../src/clusters/cluster-driver';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import { hostSettings } from '../../src/clusters/docker/docker-settings';
import { controlPlaneName } from '../../src/clusters/docker/provisioning';
import {
  type DockerTestEngine,
  driverSettings,
  neverAborted,
  recordingSink,
  SETUP_TIMEOUT_MS,
  startEngine,
  holdEngineExclusively,
  wipeEngine,
} from './support/docker-env';

const UNREACHABLE = 'unix:///tmp/kubelab-docker/nowhere/docker.sock';
let hostA: DockerTestEngine;
let hostB: DockerTestEngine;
let driver: DockerClusterDriver;
const holds: { release(): void }[] = [];

beforeAll(async () => {
  [hostA, hostB] = await Promise.all([startEngine('hosts-a'), startEngine('hosts-b')]);
  holds.push(await holdEngineExclusively('hosts-a'), await holdEngineExclusively('hosts-b'));
  await Promise.all([wipeEngine(hostA.docker), wipeEngine(hostB.docker)]);
  driver = new DockerClusterDriver(
    driverSettings(
      [
        { dockerHost: hostA.dockerHost, capacity: 2 },
        { dockerHost: hostB.dockerHost, capacity: 3 },
      ],
      hostA.image,
    ),
  );
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await driver?.close();
  await Promise.all([hostA, hostB].filter(Boolean).map((host) => wipeEngine(host.docker)));
  for (const hold of holds) hold.release();
});

test('each cluster goes to the host with the most free capacity until all are full', async () => {
  const [idA, idB] = driver.hostIds();
  const refs: ClusterRef[] = [];
  for (const n of [1, 2, 3, 4, 5]) {
    refs.push(
      await driver.provision(
        { clusterId: `spread-${n}`, labSessionId: 's', ownerId: 'o', nodeCount: 1 },
        () => undefined,
      ),
    );
  }
  // free before each: (2,3)→B, (2,2)→A (first on a tie), (1,2)→B, (1,1)→A, (0,1)→B
  expect(refs.map((ref) => driver.hostFor(ref))).toEqual([idB, idA, idB, idA, idB]);
  await expect(
    driver.provision(
      { clusterId: 'spread-6', labSessionId: 's', ownerId: 'o', nodeCount: 1 },
      () => undefined,
    ),
  ).rejects.toThrow(
    /no Docker host can take another cluster: .*full \(2 of 2 clusters\).*full \(3 of 3 clusters\)/,
  );

  // Each cluster's containers are on its recorded host only, and commands reach it there.
  for (const ref of refs) {
    const [own, other] = driver.hostFor(ref) === idA ? [hostA, hostB] : [hostB, hostA];
    expect(await own.docker.inspectContainer(controlPlaneName(ref.clusterId))).toBeDefined();
    expect(await other.docker.inspectContainer(controlPlaneName(ref.clusterId))).toBeUndefined();
  }
  const sink = recordingSink();
  expect(await driver.exec(refs[1], 'kubectl get nodes', sink, neverAborted())).toMatchObject({
    exitCode: 0,
  });
  expect(sink.stdoutText()).toContain('minikube');

  // Destroying one on A frees room there.
  await driver.destroy(refs[1]);
  const again = await driver.provision(
    { clusterId: 'spread-7', labSessionId: 's', ownerId: 'o', nodeCount: 1 },
    () => undefined,
  );
  expect(driver.hostFor(again)).toBe(idA);
});

test('concurrent provisions never overfill a host', async () => {
  const small = new DockerClusterDriver(
    driverSettings([{ dockerHost: hostB.dockerHost, capacity: 4 }], hostB.image),
  );
  await wipeEngine(hostB.docker);
  const results = await Promise.allSettled(
    [1, 2, 3, 4, 5, 6].map((n) =>
      small.provision(
        { clusterId: `burst-${n}`, labSessionId: 's', ownerId: 'o', nodeCount: 1 },
        () => undefined,
      ),
    ),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(refused).toHaveLength(2);
  for (const r of refused)
    expect(String(r.reason)).toMatch(/no Docker host can take another cluster: .*full \(4 of 4 clusters\)/);
  await small.close();
  await wipeEngine(hostB.docker);
});

test('an unreachable host is reported by health and skipped by placement', async () => {
  const settings = driverSettings([{ dockerHost: hostA.dockerHost }], hostA.image);
  const mixed = new DockerClusterDriver({
    ...settings,
    hosts: [...settings.hosts, hostSettings(UNREACHABLE, 5)],
  });
  const health = await mixed.health();
  expect(health.ok).toBe(false);
  expect(health.detail).toContain(
    `${UNREACHABLE}: read the engine version: Docker engine unreachable (ENOENT`,
  );
  expect(health.detail).toMatch(/Docker 20\.\d+\.\d+.*, image kubelab-node:\S+ present/);
  const ref = await mixed.provision(
    { clusterId: 'skips-dead-host', labSessionId: 's', ownerId: 'o', nodeCount: 1 },
    () => undefined,
  );
  expect(ref.attachState.dockerHost).toBe(hostA.dockerHost);
  await mixed.destroy(ref);

  const dead = new DockerClusterDriver({ ...settings, hosts: [hostSettings(UNREACHABLE, 5)] });
  await expect(
    dead.provision({ clusterId: 'nowhere', labSessionId: 's', ownerId: 'o', nodeCount: 1 }, () => undefined),
  ).rejects.toThrow(
    `no Docker host can take another cluster: ${UNREACHABLE}: list containers: Docker engine unreachable (ENOENT`,
  );
  expect((await dead.health()).ok).toBe(false);
});
