/**
 * Resource limits hold inside a cluster's containers, and one cluster exhausting its limits does not stop
 * the driver from serving another. Hostile programs run through the Docker exec API as the node's user.
 */
import type { ClusterRef } from '../../src/clusters/cluster-driver';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import { DEFAULT_LIMITS } from '../../src/clusters/docker/docker-settings';
import { controlPlaneName } from '../../src/clusters/docker/provisioning';
import {
  type DockerTestEngine,
  driverSettings,
  execIn,
  neverAborted,
  recordingSink,
  SETUP_TIMEOUT_MS,
  startEngine,
} from './support/docker-env';

const suffix = Date.now().toString(36);
let engine: DockerTestEngine;
let driver: DockerClusterDriver;
let victim: ClusterRef;
let bystander: ClusterRef;

beforeAll(async () => {
  engine = await startEngine('default');
  driver = new DockerClusterDriver(driverSettings([engine], engine.image));
  const request = { labSessionId: 'session', ownerId: 'student', nodeCount: 1 };
  [victim, bystander] = await Promise.all([
    driver.provision({ ...request, clusterId: `victim-${suffix}` }, () => undefined),
    driver.provision({ ...request, clusterId: `bystander-${suffix}` }, () => undefined),
  ]);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await driver?.close();
  await Promise.all([victim, bystander].filter(Boolean).map((ref) => driver.destroy(ref)));
});

async function kubectlWorks(ref: ClusterRef): Promise<void> {
  const sink = recordingSink();
  expect(await driver.exec(ref, 'kubectl get nodes', sink, neverAborted())).toMatchObject({ exitCode: 0 });
  expect(sink.stdoutText()).toMatch(
    /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nminikube\s+Ready\s+control-plane/,
  );
}

test('a memory hog is OOM-killed at the memory limit while the cluster survives', async () => {
  const hog = 'const keep = []; for (;;) keep.push(Buffer.alloc(1 << 20, 1));';
  const result = await execIn(engine.docker, controlPlaneName(victim.clusterId), ['node', '-e', hog]);
  expect(result.code).toBe(137); // SIGKILL from the kernel's OOM killer
  expect(await cgroupFile(controlPlaneName(victim.clusterId), 'memory/memory.oom_control')).toMatch(
    /^oom_kill [1-9]/m,
  );
  const stats = await engine.docker.stats(controlPlaneName(victim.clusterId));
  expect(stats.memoryLimitBytes).toBe(DEFAULT_LIMITS.memoryBytes);
  expect(stats.memoryBytes).toBeLessThanOrEqual(DEFAULT_LIMITS.memoryBytes);
  await kubectlWorks(victim);
  await kubectlWorks(bystander);
}, 60_000);

/** Reads a cgroup file of the container from inside it, through the exec API; undefined while exec cannot fork. */
async function cgroupFile(container: string, file: string): Promise<string | undefined> {
  const result = await execIn(engine.docker, container, ['cat', `/sys/fs/cgroup/${file}`]).catch(
    () => undefined,
  );
  return result?.code === 0 ? result.stdout.trim() : undefined;
}

test('a fork bomb stops at the pid limit and the driver keeps serving other clusters', async () => {
  const container = controlPlaneName(victim.clusterId);
  await engine.docker.execDetached(container, ['sh', '-c', 'bomb() { bomb | bomb & }; bomb']);
  // pids.events counts forks refused by the limit; it is readable once the bomb has burnt out at the limit.
  // Each probe is a `docker exec` into a container at its pid limit, which can take seconds to be
  // refused on a loaded 2-core machine: the wait is bounded by time, not by a number of probes.
  let refusals = 0;
  const deadline = Date.now() + 60_000;
  while (refusals === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const events = await cgroupFile(container, 'pids/pids.events');
    refusals = Number(/^max (\d+)$/m.exec(events ?? '')?.[1] ?? 0);
  }
  // The bomb ran into the limit and forks beyond it were refused. (pids.peak may pass the limit by a few:
  // processes moved into the container by `docker exec`, like the probes above, are not forks.)
  expect(refusals).toBeGreaterThan(0);
  expect(await cgroupFile(container, 'pids/pids.max')).toBe(String(DEFAULT_LIMITS.pidsLimit));
  expect(Number(await cgroupFile(container, 'pids/pids.peak'))).toBeGreaterThanOrEqual(
    DEFAULT_LIMITS.pidsLimit,
  );
  await kubectlWorks(bystander);
  // The bombed cluster can still be torn down cleanly.
  await driver.destroy(victim);
  expect(await driver.status(victim)).toBe('missing');
  await kubectlWorks(bystander);
}, 150_000);
