/**
 * k3s nodes (NODE_IMAGE=k3s). No registry is reachable here, so these tests run only where the k3s image
 * is already on the engine: the private "default" dockerd, or the engine K3S_TEST_DOCKER_HOST names (one
 * that can pull it). Elsewhere they are reported as skipped, with the reason in the suite's name.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { ClusterRef } from '../../src/clusters/cluster-driver';
import { LABEL } from '../../src/clusters/docker/cluster-names';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import { DEFAULT_K3S_IMAGE } from '../../src/clusters/docker/docker-settings';
import { DockerRepository } from '../../src/infra/docker/docker.repository';
import { driverSettings, neverAborted, recordingSink, TEST_ENGINES } from './support/docker-env';

const IMAGE = process.env.K3S_IMAGE || DEFAULT_K3S_IMAGE;
const ROOT = path.resolve(__dirname, '../..');

/** Decided while Jest collects tests, hence synchronous (the docker CLI comes with docker.io). */
function engineWithK3s(): string | undefined {
  const start = (instance: string) =>
    execFileSync(path.join(ROOT, 'docker/engine/start.sh'), [instance], { encoding: 'utf8' }).trim();
  for (const instance of TEST_ENGINES) start(instance); // all of them first, as startEngine() does
  const dockerHost = process.env.K3S_TEST_DOCKER_HOST || start('default');
  try {
    execFileSync('docker', ['image', 'inspect', IMAGE], {
      env: { ...process.env, DOCKER_HOST: dockerHost },
      stdio: 'ignore',
    });
    return dockerHost;
  } catch {
    return undefined;
  }
}

const dockerHost = engineWithK3s();
const suite = dockerHost ? describe : describe.skip;

suite(
  dockerHost
    ? `k3s nodes (${IMAGE})`
    : `k3s nodes (skipped: ${IMAGE} is not on the test engine and cannot be pulled here)`,
  () => {
    let driver: DockerClusterDriver;
    let ref: ClusterRef;

    beforeAll(async () => {
      driver = new DockerClusterDriver(
        driverSettings([{ dockerHost: dockerHost as string }], IMAGE, {
          flavour: 'k3s',
          limits: { memoryBytes: 1024 * 2 ** 20, nanoCpus: 1_000_000_000, pidsLimit: 4096 },
          readyTimeoutMs: 180_000,
        }),
      );
      ref = await driver.provision(
        { clusterId: `k3s-${Date.now().toString(36)}`, labSessionId: 's', ownerId: 'o', nodeCount: 2 },
        () => undefined,
      );
    }, 240_000);

    afterAll(async () => {
      await driver?.close();
      if (ref) await driver.destroy(ref);
    });

    test('both nodes are Ready and kubectl lines run as k3s kubectl', async () => {
      const sink = recordingSink();
      expect(await driver.exec(ref, 'kubectl get nodes', sink, neverAborted())).toEqual({ exitCode: 0 });
      expect(sink.stdoutText()).toMatch(/minikube\s+Ready/);
      expect(sink.stdoutText()).toMatch(/minikube-m02\s+Ready/);
      const nodes = await driver.readObjects(ref, { kind: 'Node' });
      expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['minikube', 'minikube-m02']);
      expect(await driver.readObjects(ref, { kind: 'Namespace', name: 'kube-system' })).toHaveLength(1);
    });

    test('lines other than kubectl are refused with the reason', async () => {
      const sink = recordingSink();
      expect(await driver.exec(ref, 'minikube ip', sink, neverAborted())).toEqual({ exitCode: 127 });
      expect(sink.stderrText()).toContain('minikube: command not available on k3s nodes');
    });

    test('abort interrupts a watch with 130', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 1000);
      expect(await driver.exec(ref, 'kubectl get pods -A -w', recordingSink(), controller.signal)).toEqual({
        exitCode: 130,
      });
    });

    test('the k3s containers are privileged (k3s needs it) and labelled like any other', async () => {
      const docker = new DockerRepository(dockerHost as string);
      const containers = await docker.findContainers({ [LABEL.clusterKey]: ref.clusterId });
      expect(containers).toHaveLength(2);
      for (const container of containers) {
        expect((await docker.inspectContainer(container.id))?.hostConfig.privileged).toBe(true);
      }
    });
  },
);
