/**
 * k3s nodes (NODE_IMAGE=k3s), run by `npm run test:k3s`, not by `npm test`: no registry is reachable
 * here, so the k3s image exists only where an operator loaded it (`docker load`) or on an engine that can
 * pull it (K3S_TEST_DOCKER_HOST). Without the image the suite fails and says so; it never skips.
 */
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { ClusterRef } from '../../src/clusters/cluster-driver';
import { LABEL } from '../../src/clusters/docker/cluster-names';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import { DEFAULT_K3S_IMAGE } from '../../src/clusters/docker/docker-settings';
import { DockerRepository } from '../../src/infra/docker/docker.repository';
import { driverSettings, neverAborted, recordingSink, TEST_ENGINES } from './support/docker-env';

const IMAGE = process.env.K3S_IMAGE || DEFAULT_K3S_IMAGE;
const ROOT = path.resolve(__dirname, '../..');

function k3sEngine(): string {
  const start = (instance: string) =>
    execFileSync(path.join(ROOT, 'docker/engine/start.sh'), [instance], { encoding: 'utf8' }).trim();
  for (const instance of TEST_ENGINES) start(instance); // all of them first, as startEngine() does
  return process.env.K3S_TEST_DOCKER_HOST || start('default');
}

describe(`k3s nodes (${IMAGE})`, () => {
  let driver: DockerClusterDriver;
  let ref: ClusterRef;

  let dockerHost: string;

  beforeAll(async () => {
    dockerHost = k3sEngine();
    const docker = new DockerRepository(dockerHost);
    if (!(await docker.imageExists(IMAGE))) {
      throw new Error(
        `${IMAGE} is not on ${dockerHost} and no registry is reachable here: load it with ` +
          `\`docker load\` or name an engine that has it in K3S_TEST_DOCKER_HOST`,
      );
    }
    driver = new DockerClusterDriver(
      driverSettings([{ dockerHost }], IMAGE, {
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
    expect(await driver.exec(ref, 'kubectl get nodes', sink, neverAborted())).toMatchObject({ exitCode: 0 });
    expect(sink.stdoutText()).toMatch(/minikube\s+Ready/);
    expect(sink.stdoutText()).toMatch(/minikube-m02\s+Ready/);
    const nodes = await driver.readObjects(ref, { kind: 'Node' });
    expect(nodes.map((n) => n.metadata.name).sort()).toEqual(['minikube', 'minikube-m02']);
    expect(await driver.readObjects(ref, { kind: 'Namespace', name: 'kube-system' })).toHaveLength(1);
  });

  test('lines other than kubectl are refused with the reason', async () => {
    const sink = recordingSink();
    expect(await driver.exec(ref, 'minikube ip', sink, neverAborted())).toMatchObject({ exitCode: 127 });
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
});
