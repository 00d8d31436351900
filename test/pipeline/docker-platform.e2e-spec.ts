import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { SETUP_TIMEOUT_MS, startEngine, DockerTestEngine } from '../docker/support/docker-env';
import { LABEL } from '../../src/clusters/docker/cluster-names';
import { api, enrolledStudent, startPlatform, TestPlatform } from '../support/platform';

/** The whole platform on CLUSTER_DRIVER=docker: API, worker, a real dockerd and the project's node image. */
describe('platform on the Docker driver', () => {
  let engine: DockerTestEngine;
  let platform: TestPlatform;
  let studentSession: string | undefined;

  beforeAll(async () => {
    engine = await startEngine('default');
    platform = await startPlatform({
      CLUSTER_DRIVER: 'docker',
      DOCKER_HOSTS: engine.dockerHost,
      KUBELAB_NODE_IMAGE: engine.image,
      // The engine is shared with other test files: never treat their containers as orphans.
      DOCKER_ORPHAN_GRACE_SECONDS: '86400',
    });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await platform?.stop();
    // The platform keeps students' clusters across its own restarts; this test's go with the test.
    if (!engine || !studentSession) return;
    const containers = await engine.docker.findContainers({ [LABEL.labSession]: studentSession });
    for (const container of containers) await engine.docker.removeContainer(container.id);
    for (const network of await engine.docker.findNetworks({ [LABEL.labSession]: studentSession })) {
      await engine.docker.removeNetwork(network.id);
    }
  }, 60_000);

  it('provisions a student cluster as containers, routes its commands to the host queue and resets it', async () => {
    const { cookie, socket, log, labSessionId } = await enrolledStudent(platform, 'dock@example.edu');
    studentSession = labSessionId;

    const run = async (command: string) => {
      const ack = await socket.emitWithAck('command.submit', { labSessionId: labSessionId, command });
      if (!ack.ok) throw new Error(ack.message);
      const exit = await log.exitOf(ack.data.runId, 60_000);
      return { exit, output: log.outputOf(ack.data.runId) };
    };

    const created = await run(
      'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
    );
    expect(created).toMatchObject({ exit: { exitCode: 0 }, output: 'deployment.apps/yanwei.app created\n' });
    const listed = await run('kubectl get deployments -o name');
    expect(listed.output).toBe('deployment.apps/yanwei.app\n');

    const cluster = await platform.db.prisma.cluster.findFirst({
      where: { labSessionId: labSessionId, status: 'ready' },
    });
    expect(cluster?.driver).toBe('docker');
    expect(cluster?.host).toMatch(/^docker-[0-9a-f]{8}$/);
    // Once the cluster had a host, commands travelled on that host's own queue (BullMQ keeps a job
    // counter per queue); the first one was queued while the cluster was still being placed.
    const redis = new Redis(platform.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const hostQueueJobs = Number(
      await redis.get(`${platform.env.REDIS_PREFIX}:commands@${cluster!.host}:id`),
    );
    redis.disconnect();
    expect(hostQueueJobs).toBe(1);
    const containers = await engine.docker.findContainers({ [LABEL.clusterKey]: cluster!.id });
    expect(containers.length).toBeGreaterThanOrEqual(1);

    // kubectl edit: the node's terminal opens the buffer in the page's editor pane (command.editor), which a
    // session.join shows again while it is open; the text saved there (command.input `edited`) is applied.
    const submitted = await socket.emitWithAck('command.submit', {
      labSessionId,
      command: 'kubectl edit deployment/yanwei.app',
    });
    if (!submitted.ok) throw new Error(submitted.message);
    const editRun = submitted.data.runId;
    await log.waitFor(
      (e) => e.name === 'command.editor' && e.payload.runId === editRun,
      60_000,
      'the buffer',
    );
    const buffer = log.of(editRun).find((e) => e.name === 'command.editor')!.payload as { text: string };
    expect(buffer.text).toMatch(/^# Please edit the object below\./);
    const joined = await socket.emitWithAck('session.join', { labSessionId });
    expect(joined.ok && joined.data.editing).toMatchObject({ runId: editRun, text: buffer.text });
    const saved = await socket.emitWithAck('command.input', {
      labSessionId,
      runId: editRun,
      edited: buffer.text.replace('\n  replicas: 1\n', '\n  replicas: 2\n'),
    });
    expect(saved.ok).toBe(true);
    expect(await log.exitOf(editRun, 60_000)).toMatchObject({ exitCode: 0, status: 'completed' });
    expect(log.outputOf(editRun)).toBe('deployment.apps/yanwei.app edited\n');
    expect((await run('kubectl get deployment yanwei.app -o jsonpath={.spec.replicas}')).output).toBe('2');
    const rejoined = await socket.emitWithAck('session.join', { labSessionId });
    expect(rejoined.ok && rejoined.data.editing).toBeNull();

    // The student's own kubectl (issue 20): through the platform's listener and relay to the node container's API,
    // reached through the Docker API; the terminal and kubectl see one cluster.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-docker-kubectl-'));
    try {
      const kubeconfig = path.join(home, 'kubeconfig');
      const downloaded = await fetch(
        `${platform.baseUrl}/api/lab-sessions/${labSessionId}/kube-api/kubeconfig`,
        { headers: { cookie } },
      );
      expect(downloaded.status).toBe(200);
      fs.writeFileSync(kubeconfig, await downloaded.text(), { mode: 0o600 });
      const kubectl = (args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
          execFile(
            '/usr/lib/google-cloud-sdk/bin/kubectl.1.30',
            ['--kubeconfig', kubeconfig, ...args],
            { env: { ...process.env, HOME: home, KUBECONFIG: '' }, timeout: 60_000 },
            (error, stdout, stderr) =>
              resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
          ),
        );
      expect(await kubectl(['get', 'deployments', '-o', 'name'])).toEqual({
        code: 0,
        stdout: 'deployment.apps/yanwei.app\n',
        stderr: '',
      });
      expect(await kubectl(['create', 'configmap', 'own-kubectl', '--from-literal=a=1'])).toMatchObject({
        code: 0,
        stdout: 'configmap/own-kubectl created\n',
      });
      expect((await run('kubectl get configmap own-kubectl -o jsonpath={.data.a}')).output).toBe('1');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }

    // Reset: the old containers go, a fresh cluster has no deployment.
    const reset = await api(platform.baseUrl, cookie, 'POST', `/lab-sessions/${labSessionId}/reset`);
    expect(reset.status).toBe(200);
    const after = await run('kubectl get deployments');
    expect(after.output).toBe('No resources found in default namespace.\n');
    for (
      let i = 0;
      i < 50 && (await engine.docker.findContainers({ [LABEL.clusterKey]: cluster!.id })).length > 0;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await engine.docker.findContainers({ [LABEL.clusterKey]: cluster!.id })).toEqual([]);
    socket.close();
  }, 180_000);
});
