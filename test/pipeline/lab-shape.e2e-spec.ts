import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GradingUpdate } from '../../src/shared/events';
import type { HomeListing } from '../../src/shared/http-api';
import {
  api,
  EnrolledStudent,
  enrolledStudent,
  explainingFailure,
  startPlatform,
  TestPlatform,
} from '../support/platform';

/**
 * What a lab asks for, on the real platform (separate API and worker processes, PostgreSQL, Redis, the
 * embedded engine): its cluster shape (two nodes, the ingress add-on, objects) provisioned once per fresh
 * cluster, starter files in the home, a namespace switched with `kubectl config use-context` graded from what
 * the worker recorded, and a port-forward running in the background graded with the curl that used it.
 */
jest.setTimeout(240_000);

const LAB_ID = 'shaped-e2e';

function writeLab(labsDir: string): void {
  const dir = path.join(labsDir, LAB_ID);
  mkdirSync(path.join(dir, 'files', 'manifests'), { recursive: true });
  writeFileSync(path.join(dir, 'files', 'manifests', 'notes.txt'), 'from the files folder\n');
  const lab = `
id: ${LAB_ID}
title: { zh-CN: 形状, en: Shape }
description: { zh-CN: 说明, en: About }
estimatedMinutes: 5
starterFiles:
  README.txt: "start here\\n"
cluster:
  nodes: 2
  addons: [ingress]
  objects:
    - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }
    - { apiVersion: v1, kind: ConfigMap, metadata: { name: settings, namespace: shop }, data: { colour: blue } }
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web, namespace: shop }
      spec:
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: nginx, image: 'nginx:1.25' }] }
    - apiVersion: v1
      kind: Service
      metadata: { name: web, namespace: shop }
      spec: { selector: { app: web }, ports: [{ port: 80 }] }
steps:
  - id: switch
    title: { zh-CN: 切换命名空间, en: Switch namespace }
    instructions: { zh-CN: 切换, en: Switch }
    points: 50
    checks:
      - ran:
          command: '^kubectl\\s+get\\s+(cm|configmaps?)\\s*$'
          namespace: shop
          output: settings
          example: kubectl get cm
    solution:
      - kubectl config set-context --current --namespace=shop
      - kubectl get cm
  - id: forward
    title: { zh-CN: 端口转发, en: Port-forward }
    instructions: { zh-CN: 转发, en: Forward }
    points: 50
    checks:
      - ranInOrder:
          - { command: '^kubectl\\s+port-forward\\s.*\\s8080:80(\\s|$)', status: any, example: 'kubectl port-forward svc/web 8080:80 &' }
          - { command: '^curl\\s+(-\\S+\\s+)*localhost:8080\\s*$', output: 'Welcome to nginx!', example: curl localhost:8080 }
    solution:
      - kubectl port-forward -n shop svc/web 8080:80 &
      - curl localhost:8080
      - kill %1
`;
  writeFileSync(path.join(dir, 'lab.yaml'), lab);
}

describe("a lab's cluster shape, starter files and recorded effects on the platform", () => {
  let platform: TestPlatform;
  let labsDir: string;

  beforeAll(async () => {
    labsDir = mkdtempSync(path.join(os.tmpdir(), 'kubelab-shaped-labs-'));
    writeLab(labsDir);
    // Cluster clocks at 10x: the rollout this suite waits for pulls its image in about a second.
    platform = await startPlatform({
      CLUSTER_DRIVER: 'embedded',
      LABS_DIR: labsDir,
      CLUSTER_TIME_SCALE: '10',
    });
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
    if (labsDir) rmSync(labsDir, { recursive: true, force: true });
  }, 30_000);

  async function run(student: EnrolledStudent, command: string, timeoutMs = 60_000) {
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.labSessionId,
      command,
    });
    if (!ack.ok) throw new Error(`${command}: rejected: ${ack.message}`);
    const exit = await explainingFailure(platform, student.log.exitOf(ack.data.runId, timeoutMs));
    return { exitCode: exit.exitCode, output: student.log.outputOf(ack.data.runId) };
  }

  async function passed(student: EnrolledStudent, stepId: string): Promise<void> {
    const match = (payload: Record<string, unknown>) =>
      (payload as unknown as GradingUpdate).steps.some(
        (step) => step.stepId === stepId && step.state === 'passed',
      );
    await explainingFailure(
      platform,
      student.log.waitFor(
        (event) => event.name === 'grading.updated' && match(event.payload),
        60_000,
        `${stepId} passed`,
      ),
    );
  }

  const stepState = (student: EnrolledStudent, stepId: string) => {
    const updates = student.log.events.filter((event) => event.name === 'grading.updated');
    const last = updates[updates.length - 1]?.payload as unknown as GradingUpdate | undefined;
    return last?.steps.find((step) => step.stepId === stepId)?.state;
  };

  it('provisions the shape once, starts the home with the starter files, and grades use-context and port-forward', async () => {
    const student = await enrolledStudent(platform, 'shape1@example.edu', LAB_ID);

    const nodes = await run(student, 'kubectl get nodes -o name');
    expect(nodes).toEqual({ exitCode: 0, output: 'node/minikube\nnode/minikube-m02\n' });
    expect((await run(student, 'kubectl get deployment -n ingress-nginx -o name')).output).toBe(
      'deployment.apps/ingress-nginx-controller\n',
    );
    expect((await run(student, 'minikube addons list')).output).toMatch(
      /\| ingress\s+\| minikube\s+\| enabled ✅/,
    );
    expect((await run(student, 'kubectl get cm settings -n shop -o jsonpath={.data.colour}')).output).toBe(
      'blue',
    );

    const listing = await api<HomeListing>(
      platform.baseUrl,
      student.cookie,
      'GET',
      `/lab-sessions/${student.labSessionId}/home`,
    );
    expect(listing.body.entries.filter((entry) => entry.kind === 'file').map((entry) => entry.path)).toEqual([
      'README.txt',
      'manifests/notes.txt',
    ]);
    expect((await run(student, 'cat manifests/notes.txt')).output).toBe('from the files folder\n');

    // A context switched with use-context: the history holds no set-context the grader could replay.
    await run(
      student,
      'kubectl config set-context shop-admin --cluster=minikube --user=minikube --namespace=shop',
    );
    expect((await run(student, 'kubectl get cm')).output).not.toContain('settings');
    expect(stepState(student, 'switch')).not.toBe('passed');
    await run(student, 'kubectl config use-context shop-admin');
    expect((await run(student, 'kubectl get cm')).output).toContain('settings');
    await passed(student, 'switch');

    // The forward is graded while it runs in the background, with the curl that went through it.
    expect(
      (await run(student, 'kubectl rollout status deployment/web -n shop --timeout=120s', 150_000)).exitCode,
    ).toBe(0);
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.labSessionId,
      command: 'kubectl port-forward -n shop svc/web 8080:80 &',
    });
    if (!ack.ok) throw new Error(`port-forward rejected: ${ack.message}`);
    const forward = ack.data.runId;
    await explainingFailure(
      platform,
      student.log.waitFor(
        (event) => event.name === 'command.started' && event.payload.runId === forward,
        60_000,
        'the port-forward job started',
      ),
    );
    const curl = await run(student, 'curl localhost:8080');
    expect(curl.output).toContain('Welcome to nginx!');
    await passed(student, 'forward');
    expect(
      student.log.events.some((event) => event.name === 'command.exit' && event.payload.runId === forward),
    ).toBe(false);
    await run(student, 'kill %1');
    await explainingFailure(platform, student.log.exitOf(forward, 30_000));

    // Objects the student removes stay removed across commands; a reset starts again from the lab's shape.
    await run(student, 'kubectl delete cm settings -n shop');
    expect((await run(student, 'kubectl get cm -n shop -o name')).output).toBe(
      'configmap/kube-root-ca.crt\n',
    );
    const reset = await api(
      platform.baseUrl,
      student.cookie,
      'POST',
      `/lab-sessions/${student.labSessionId}/reset`,
    );
    expect(reset.status).toBe(200);
    expect((await run(student, 'kubectl get cm -n shop -o name')).output).toBe(
      'configmap/kube-root-ca.crt\nconfigmap/settings\n',
    );
    expect((await run(student, 'kubectl get nodes -o name')).output).toBe(
      'node/minikube\nnode/minikube-m02\n',
    );
    student.socket.close();
  });
});
