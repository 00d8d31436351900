/**
 * One cluster's life on a real Docker engine: provision (ordered progress, labels, limits, hardening),
 * exec streaming, abort, grading reads, destroy.
 */
import type { ClusterRef, ProvisionProgress } from '../../src/clusters/cluster-driver';
import { LABEL } from '../../src/clusters/docker/cluster-names';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import { DEFAULT_LIMITS } from '../../src/clusters/docker/docker-settings';
import {
  type DockerTestEngine,
  driverSettings,
  neverAborted,
  recordingSink,
  SETUP_TIMEOUT_MS,
  startEngine,
} from './support/docker-env';

const clusterId = `life-${Date.now().toString(36)}`;
let engine: DockerTestEngine;
let driver: DockerClusterDriver;
let ref: ClusterRef;

beforeAll(async () => {
  engine = await startEngine('default');
  driver = new DockerClusterDriver(driverSettings([engine], engine.image));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await driver?.close();
  if (ref) await driver.destroy(ref);
});

test('provision reports its steps in order and leaves a ready cluster', async () => {
  const events: ProvisionProgress[] = [];
  ref = await driver.provision(
    { clusterId, labSessionId: 'session-1', ownerId: 'student-1', nodeCount: 2 },
    (e) => events.push(e),
  );
  expect(events).toEqual([
    { step: 'network', done: 1, total: 4 },
    { step: 'containers', done: 2, total: 4 },
    { step: 'start', done: 3, total: 4 },
    { step: 'ready', done: 4, total: 4 },
  ]);
  expect(ref.clusterId).toBe(clusterId);
  expect(driver.hostFor(ref)).toBe(driver.hostIds()[0]);
  expect(await driver.status(ref)).toBe('ready');
  expect(await driver.snapshot()).toBeNull();
  expect(await driver.list()).toContainEqual({ clusterId, labSessionId: 'session-1', ownerId: 'student-1' });
});

test('every container and the network are labelled, limited and hardened', async () => {
  const containers = await engine.docker.findContainers({ [LABEL.clusterKey]: clusterId });
  expect(containers.map((c) => c.name).sort()).toEqual([
    `kubelab-${clusterId}-minikube`,
    `kubelab-${clusterId}-minikube-m02`,
  ]);
  for (const summary of containers) {
    const details = await engine.docker.inspectContainer(summary.id);
    expect(details?.labels).toMatchObject({
      [LABEL.managed]: 'true',
      [LABEL.clusterKey]: clusterId,
      [LABEL.labSession]: 'session-1',
      [LABEL.owner]: 'student-1',
      [LABEL.role]: summary.name.endsWith('-m02') ? 'worker' : 'control-plane',
    });
    expect(details?.hostConfig).toEqual({
      memoryBytes: DEFAULT_LIMITS.memoryBytes,
      nanoCpus: DEFAULT_LIMITS.nanoCpus,
      pidsLimit: DEFAULT_LIMITS.pidsLimit,
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
      privileged: false,
    });
    expect(details?.user).toBe('1000:1000');
    // No host paths: only the control plane's own volume, where its terminal keeps the home (home.int-spec).
    expect(details?.mounts).toBe(summary.name.endsWith('-m02') ? 0 : 1);
  }
  const networks = await engine.docker.findNetworks({ [LABEL.clusterKey]: clusterId });
  expect(networks).toHaveLength(1);
  expect(networks[0]).toMatchObject({
    internal: true,
    labels: { [LABEL.managed]: 'true', [LABEL.owner]: 'student-1' },
  });
});

test('exec streams output while the command runs and returns its exit code', async () => {
  const created = recordingSink();
  const create = 'kubectl create deployment web --image=gcr.io/google-samples/kubernetes-bootcamp:v1';
  // The node agent reports what the command did, for grading: its namespace and the objects it wrote.
  expect(await driver.exec(ref, create, created, neverAborted())).toMatchObject({
    exitCode: 0,
    effects: {
      namespace: 'default',
      touched: [{ change: 'created', kind: 'Deployment', name: 'web', namespace: 'default' }],
    },
  });
  expect(created.stdoutText()).toBe('deployment.apps/web created\n');

  const rollout = recordingSink();
  const result = await driver.exec(ref, 'kubectl rollout status deployment/web', rollout, neverAborted());
  const endedAt = Date.now();
  expect(result).toMatchObject({ exitCode: 0 });
  expect(rollout.stdoutText()).toContain('Waiting for deployment "web" rollout to finish');
  expect(rollout.stdoutText()).toContain('deployment "web" successfully rolled out');
  expect(rollout.chunks.length).toBeGreaterThan(1);
  // The first line arrived while kubectl was still waiting, not with the end of the command.
  expect(rollout.chunks[0].atMs).toBeLessThan(rollout.chunks[rollout.chunks.length - 1].atMs);
  expect(rollout.chunks[0].atMs).toBeLessThan(endedAt);

  const missing = recordingSink();
  expect(await driver.exec(ref, 'kubectl get deployment nope', missing, neverAborted())).toMatchObject({
    exitCode: 1,
  });
  expect(missing.stderrText()).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  expect(missing.stdoutText()).toBe('');
});

test('abort stops a running command with 130 and the terminal keeps working', async () => {
  const controller = new AbortController();
  const watch = recordingSink();
  const watching = driver.exec(
    ref,
    'kubectl get pods -w',
    {
      ...watch,
      stdout: (text) => {
        watch.stdout(text);
        controller.abort();
      },
    },
    controller.signal,
  );
  expect(await watching).toMatchObject({ exitCode: 130 });
  expect(watch.stdoutText()).toContain('NAME');

  const after = recordingSink();
  expect(await driver.exec(ref, 'kubectl get deployments', after, neverAborted())).toMatchObject({
    exitCode: 0,
  });
  expect(after.stdoutText()).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+1\/1/);

  const early = new AbortController();
  early.abort();
  expect(await driver.exec(ref, 'kubectl get pods', recordingSink(), early.signal)).toEqual({
    exitCode: 130,
  });
});

test('readObjects returns the objects kubectl would print as JSON', async () => {
  const nodes = await driver.readObjects(ref, { kind: 'Node' });
  expect(nodes.map((n) => n.metadata.name)).toEqual(['minikube', 'minikube-m02']);
  const deployments = await driver.readObjects(ref, {
    kind: 'Deployment',
    namespace: 'default',
    name: 'web',
  });
  expect(deployments).toHaveLength(1);
  expect(deployments[0]).toMatchObject({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
  });
  const pods = await driver.readObjects(ref, { kind: 'Pod', labelSelector: 'app=web' });
  expect(pods).toHaveLength(1);
  expect(await driver.readObjects(ref, { kind: 'Gadget' })).toEqual([]); // as on the embedded driver
});

test('destroy removes every container and the network, and is idempotent', async () => {
  await driver.destroy(ref);
  expect(await engine.docker.findContainers({ [LABEL.clusterKey]: clusterId })).toEqual([]);
  expect(await engine.docker.findNetworks({ [LABEL.clusterKey]: clusterId })).toEqual([]);
  await driver.destroy(ref);
  expect(await driver.status(ref)).toBe('missing');
  await expect(driver.exec(ref, 'kubectl get pods', recordingSink(), neverAborted())).rejects.toThrow(
    `cluster ${clusterId} is missing`,
  );
});

test('bad requests get clear errors and create nothing', async () => {
  const request = { labSessionId: 's', ownerId: 'o', nodeCount: 1 };
  await expect(driver.provision({ ...request, clusterId: 'no spaces' }, () => undefined)).rejects.toThrow(
    /cluster id "no spaces" must be/,
  );
  await expect(driver.provision({ ...request, clusterId: 'pool-x' }, () => undefined)).rejects.toThrow(
    /reserved/,
  );
  await expect(
    driver.provision({ ...request, clusterId: 'ok', nodeCount: 0 }, () => undefined),
  ).rejects.toThrow(/nodeCount must be a whole number from 1 to 9/);
  expect(await engine.docker.findContainers({ [LABEL.clusterKey]: 'ok' })).toEqual([]);

  const foreign = { clusterId: 'x', attachState: { snapshotId: 1 } };
  await expect(driver.status(foreign)).rejects.toThrow(
    "cluster x: attachState is not a Docker driver's (needs host and key)",
  );
  const otherFlavour = { clusterId, attachState: { ...ref.attachState, flavour: 'k3s' } };
  await expect(
    driver.exec(otherFlavour, 'kubectl get pods', recordingSink(), neverAborted()),
  ).rejects.toThrow(
    `cluster ${clusterId} runs k3s nodes but this driver is configured for kubelab (NODE_IMAGE)`,
  );
});

test('a failing provision names its step and removes what it created', async () => {
  const broken = new DockerClusterDriver(driverSettings([engine], 'kubelab-node:does-not-exist'));
  const id = `${clusterId}-broken`;
  await expect(
    broken.provision({ clusterId: id, labSessionId: 's', ownerId: 'o', nodeCount: 1 }, () => undefined),
  ).rejects.toThrow(
    new RegExp(`provisioning cluster ${id} on .* failed at step "containers": .*No such image`),
  );
  expect(await engine.docker.findNetworks({ [LABEL.clusterKey]: id })).toEqual([]);
  expect(await engine.docker.findContainers({ [LABEL.clusterKey]: id })).toEqual([]);
});
