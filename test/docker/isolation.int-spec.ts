/**
 * Two tenants' clusters cannot reach each other. Every connection is made from inside a container via the
 * Docker exec API (never from the host): a listener in tenant B is reachable from B's own worker (proving
 * the probe works) and unreachable from tenant A.
 */
import type { ClusterRef } from '../../src/clusters/cluster-driver';
import { containerName, networkName } from '../../src/clusters/docker/cluster-names';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import { controlPlaneName } from '../../src/clusters/docker/provisioning';
import {
  type DockerTestEngine,
  driverSettings,
  execIn,
  SETUP_TIMEOUT_MS,
  startEngine,
} from './support/docker-env';

const suffix = Date.now().toString(36);
let engine: DockerTestEngine;
let driver: DockerClusterDriver;
let tenantA: ClusterRef;
let tenantB: ClusterRef;

/** Connects from inside `container` to ip:8080 and prints what the server sends; exits 1 on error, 2 on timeout. */
const PROBE = `
const socket = require('net').connect(8080, process.argv[1]);
socket.setTimeout(2000, () => { console.error('timeout'); process.exit(2); });
socket.on('data', (data) => { process.stdout.write(data); process.exit(0); });
socket.on('error', (error) => { console.error(error.code); process.exit(1); });`;
const LISTENER = `require('net').createServer((s) => s.end('hello from B\\n')).listen(8080)`;

beforeAll(async () => {
  engine = await startEngine('default');
  driver = new DockerClusterDriver(driverSettings([engine], engine.image));
  [tenantA, tenantB] = await Promise.all([
    driver.provision(
      { clusterId: `tenant-a-${suffix}`, labSessionId: 'a', ownerId: 'alice', nodeCount: 1 },
      () => undefined,
    ),
    driver.provision(
      { clusterId: `tenant-b-${suffix}`, labSessionId: 'b', ownerId: 'bob', nodeCount: 2 },
      () => undefined,
    ),
  ]);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await driver?.close();
  await Promise.all([tenantA, tenantB].filter(Boolean).map((ref) => driver.destroy(ref)));
});

test("tenant A cannot connect to tenant B's containers", async () => {
  const serverB = controlPlaneName(tenantB.clusterId);
  const details = await engine.docker.inspectContainer(serverB);
  const ipB = details?.addresses[networkName(tenantB.clusterId)] ?? '';
  expect(ipB).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  await engine.docker.execDetached(serverB, ['node', '-e', LISTENER]);

  // B's own worker reaches the listener (retrying while it starts): the probe can succeed.
  const workerB = containerName(tenantB.clusterId, 'minikube-m02');
  let inside = await execIn(engine.docker, workerB, ['node', '-e', PROBE, ipB]);
  for (let i = 0; i < 50 && inside.code !== 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    inside = await execIn(engine.docker, workerB, ['node', '-e', PROBE, ipB]);
  }
  expect(inside).toEqual({ code: 0, stdout: 'hello from B\n', stderr: '' });

  // A's control plane cannot.
  const fromA = await execIn(engine.docker, controlPlaneName(tenantA.clusterId), ['node', '-e', PROBE, ipB]);
  expect(fromA.code).not.toBe(0);
  expect(fromA.stdout).toBe('');
  expect(fromA.stderr).toMatch(/timeout|EHOSTUNREACH|ENETUNREACH/);
}, 30_000);
