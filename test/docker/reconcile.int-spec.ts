/**
 * Docker is the source of truth: a new driver instance (as after a platform restart) re-attaches to
 * clusters from their refs, removes what no live record accounts for, and reports live clusters whose
 * containers vanished. Runs on an engine of its own, since reconcile sees everything on it.
 */
import type { ClusterRef } from '../../src/clusters/cluster-driver';
import { LABEL } from '../../src/clusters/docker/cluster-names';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
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

let engine: DockerTestEngine;
let hold: { release(): void } | undefined;
const refs: Record<string, ClusterRef> = {};

beforeAll(async () => {
  engine = await startEngine('reconcile');
  hold = await holdEngineExclusively('reconcile');
  await wipeEngine(engine.docker);
  const before = new DockerClusterDriver(driverSettings([engine], engine.image));
  for (const clusterId of ['keep', 'orphan', 'vanished']) {
    refs[clusterId] = await before.provision(
      { clusterId, labSessionId: `s-${clusterId}`, ownerId: 'o', nodeCount: 1 },
      () => undefined,
    );
  }
  // A provision that crashed right after creating its network.
  await engine.docker.createNetwork(
    'kubelab-net-crashed',
    { [LABEL.managed]: 'true', [LABEL.clusterKey]: 'crashed' },
    true,
  );
  // Someone removes a live cluster's container behind the platform's back.
  await engine.docker.removeContainer(controlPlaneName('vanished'));
  await before.close();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (engine) await wipeEngine(engine.docker);
  hold?.release();
});

test('a new driver instance removes orphans and reports vanished clusters', async () => {
  const after = new DockerClusterDriver(driverSettings([engine], engine.image));
  expect(await after.status(refs.vanished)).toBe('missing');
  expect((await after.list()).map((c) => c.clusterId).sort()).toEqual(['keep', 'orphan']);

  // With a grace period, fresh resources are left alone (a provision may still be running elsewhere).
  const patient = new DockerClusterDriver(driverSettings([engine], engine.image, { orphanGraceMs: 60_000 }));
  expect(await patient.reconcile(['keep', 'vanished'])).toEqual({
    removed: [],
    missing: ['vanished'],
    unreachableHosts: [],
  });

  const report = await after.reconcile(['keep', 'vanished']);
  expect(report.removed.sort()).toEqual(['crashed', 'orphan']);
  expect(report.missing).toEqual(['vanished']);
  expect(report.unreachableHosts).toEqual([]);
  expect(await engine.docker.findContainers({ [LABEL.clusterKey]: 'orphan' })).toEqual([]);
  expect(await engine.docker.findNetworks({ [LABEL.clusterKey]: 'orphan' })).toEqual([]);
  expect(await engine.docker.findNetworks({ [LABEL.clusterKey]: 'crashed' })).toEqual([]);

  // The live cluster is untouched and answers through the new instance.
  const sink = recordingSink();
  expect(await after.exec(refs.keep, 'kubectl get nodes', sink, neverAborted())).toMatchObject({
    exitCode: 0,
  });
  expect(sink.stdoutText()).toContain('minikube');

  // The platform provisions the vanished cluster again: the leftover network is reused, the node recreated.
  const events: string[] = [];
  const again = await after.provision(
    { clusterId: 'vanished', labSessionId: 's', ownerId: 'o', nodeCount: 1 },
    (e) => events.push(e.step),
  );
  expect(events).toEqual(['network', 'containers', 'start', 'ready']);
  expect(await after.status(again)).toBe('ready');
  expect(await after.reconcile(['keep', 'vanished'])).toEqual({
    removed: [],
    missing: [],
    unreachableHosts: [],
  });
  await after.close();
});

test('a stopped cluster reports failed, and provisioning it again restarts it', async () => {
  const driver = new DockerClusterDriver(driverSettings([engine], engine.image));
  await engine.docker.stopContainer(controlPlaneName('keep'), 1);
  expect(await driver.status(refs.keep)).toBe('failed');
  await expect(driver.exec(refs.keep, 'kubectl get nodes', recordingSink(), neverAborted())).rejects.toThrow(
    /cluster keep is not running \(its control-plane container stopped\)/,
  );
  const events: string[] = [];
  const again = await driver.provision(
    { clusterId: 'keep', labSessionId: 's', ownerId: 'o', nodeCount: 1 },
    (e) => events.push(e.step),
  );
  expect(events).toEqual(['network', 'containers', 'start', 'ready']);
  expect(again).toEqual(refs.keep);
  // Ready means the restarted agent answers, not the previous run's line in the container's log.
  const sink = recordingSink();
  expect(await driver.exec(again, 'kubectl get nodes', sink, neverAborted())).toMatchObject({ exitCode: 0 });
  expect(sink.stdoutText()).toContain('minikube');
  await driver.close();
});
