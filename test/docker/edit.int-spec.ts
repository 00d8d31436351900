/**
 * `kubectl edit` on the Docker driver (capabilities.editorPane): the node agent's terminal opens the buffer in the
 * editor pane the platform hands exec() (ExecOptions.editor), the text the pane is closed with goes back to the
 * agent (an `edited` request through `kubelab-exec --framed`), and the edit ends as it does embedded: applied,
 * reopened with the server's reasons after an invalid edit, or stopped by Ctrl-C while the buffer is open.
 * The pane is the platform's own PaneEditor; the test plays the student, closing each buffer with a text.
 *
 * The same cluster serves its Kubernetes API (issue 20, the student's own kubectl) through the Docker API: serveApi
 * and upgradeApi behind a local server, as the platform's relay calls them; requests and terminal lines act on one
 * cluster, watches stream, real kubectl (exec included) works through it, and connections are pooled bridges.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ClusterRef } from '../../src/clusters/cluster-driver';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import { controlPlaneName } from '../../src/clusters/docker/provisioning';
import { PaneEditor } from '../../src/engine/terminal/pane-editor';
import type { EditorFile } from '../../src/engine/terminal/text-editor';
import {
  type DockerTestEngine,
  driverSettings,
  execIn,
  neverAborted,
  recordingSink,
  SETUP_TIMEOUT_MS,
  startEngine,
} from './support/docker-env';

let engine: DockerTestEngine;
let driver: DockerClusterDriver;
let ref: ClusterRef | undefined;

/** Runs a line with an editor pane whose buffers `answer` closes (a text, or undefined to leave it open). */
async function edit(
  line: string,
  answer: (file: EditorFile, opened: number) => string | undefined,
  signal = neverAborted(),
) {
  const sink = recordingSink();
  const buffers: EditorFile[] = [];
  const pane: PaneEditor = new PaneEditor((file) => {
    buffers.push(file);
    const text = answer(file, buffers.length);
    if (text !== undefined) setImmediate(() => pane.closed(text));
  });
  const result = await driver.exec(ref!, line, sink, signal, undefined, { editor: pane });
  return { exitCode: result.exitCode, out: sink.stdoutText(), err: sink.stderrText(), buffers };
}

async function run(line: string) {
  const sink = recordingSink();
  const result = await driver.exec(ref!, line, sink, neverAborted());
  return { exitCode: result.exitCode, out: sink.stdoutText(), err: sink.stderrText() };
}

beforeAll(async () => {
  engine = await startEngine('default');
  driver = new DockerClusterDriver(driverSettings([engine], engine.image));
  ref = await driver.provision(
    {
      clusterId: `edit-${Date.now().toString(36)}`,
      labSessionId: 'session-edit',
      ownerId: 'student-edit',
      nodeCount: 1,
    },
    () => undefined,
  );
  expect(await run('kubectl create deployment web --image=nginx')).toMatchObject({ exitCode: 0 });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (ref) await driver.destroy(ref);
  await driver?.close();
});

test('the kubelab node image declares the editor pane', () => {
  expect(driver.capabilities).toMatchObject({ interactiveInput: false, editorPane: true });
});

test('a saved buffer is applied: "edited", and the object changed', async () => {
  const edited = await edit('kubectl edit deployment/web', (file) =>
    file.text.replace('\n  replicas: 1\n', '\n  replicas: 3\n'),
  );
  expect(edited).toMatchObject({ exitCode: 0, out: 'deployment.apps/web edited\n', err: '' });
  expect(edited.buffers).toHaveLength(1);
  expect(edited.buffers[0].name).toMatch(/^kubectl-edit-\d+\.yaml$/);
  expect(edited.buffers[0].text).toMatch(/^# Please edit the object below\. Lines beginning with a '#'/);
  expect(await run('kubectl get deployment web -o jsonpath={.spec.replicas}')).toMatchObject({ out: '3' });
});

test('an invalid edit reopens the buffer with the reasons; closing it unchanged gives up as kubectl does', async () => {
  const edited = await edit('kubectl edit deployment/web', (file, opened) =>
    opened === 1 ? file.text.replace('\n  replicas: 3\n', '\n  replicas: -1\n') : file.text,
  );
  expect(edited.buffers).toHaveLength(2);
  expect(edited.buffers[1].text).toMatch(
    /^# deployments\.apps "web" was not valid:\n# \* spec\.replicas: Invalid value: -1/m,
  );
  expect(edited.exitCode).toBe(1);
  expect(edited.err).toMatch(/^error: deployments\.apps "web" is invalid\n/);
  expect(edited.err).toMatch(/error: Edit cancelled, no valid changes were saved\.\n$/);
  expect(await run('kubectl get deployment web -o jsonpath={.spec.replicas}')).toMatchObject({ out: '3' });
});

test('Ctrl-C while the buffer is open ends the run (130) and the terminal takes the next line', async () => {
  const controller = new AbortController();
  const edited = await edit(
    'kubectl edit deployment/web',
    () => {
      setImmediate(() => controller.abort());
      return undefined;
    },
    controller.signal,
  );
  expect(edited.exitCode).toBe(130);
  expect(await run('kubectl get deployment web -o name')).toMatchObject({
    exitCode: 0,
    out: 'deployment.apps/web\n',
  });
});

/** The parts of the API's answers the tests read. */
interface ApiJson {
  kind?: string;
  reason?: string;
  items?: { metadata: { name: string } }[];
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

describe("the cluster's Kubernetes API, reached through the Docker API", () => {
  const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.30';
  let server: http.Server;
  let base: string;
  let home: string;
  let kubeconfig: string;

  const kubectl = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) =>
      execFile(
        KUBECTL,
        ['--kubeconfig', kubeconfig, ...args],
        { env: { ...process.env, HOME: home, KUBECONFIG: '' }, timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );

  const api = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as ApiJson };
  };

  /** The nc bridges running in the control-plane container now. */
  const bridges = async () => {
    const ps = await execIn(engine.docker, controlPlaneName(ref!.clusterId), ['ps', '-o', 'args']);
    return ps.stdout.split('\n').filter((line) => line.startsWith('nc 127.0.0.1')).length;
  };

  beforeAll(async () => {
    expect(driver.capabilities.kubernetesApi).toBe(true);
    // What the platform's relay does with a request of the session (src/kube-api/kube-api-relay.service.ts).
    server = http.createServer((req, res) => {
      driver.serveApi(ref!, req, res).catch((error: Error) => {
        res.writeHead(500).end(error.message);
      });
    });
    server.on('upgrade', (req: http.IncomingMessage, socket, head: Buffer) => {
      void driver.upgradeApi(ref!, req, socket, head).catch(() => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-docker-api-'));
    kubeconfig = path.join(home, 'kubeconfig');
    fs.writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: lab, cluster: {server: "' + base + '"}}]',
        'users: [{name: student, user: {token: kubelab}}]',
        'contexts: [{name: minikube, context: {cluster: lab, user: student, namespace: default}}]',
        'current-context: minikube',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  test('what a request writes the terminal sees, and the reverse: one cluster', async () => {
    const pods = await api('GET', '/api/v1/namespaces/default/pods');
    expect(pods.status).toBe(200);
    expect(pods.json.kind).toBe('PodList');
    // The deployment the terminal created (beforeAll) and scaled (the edits above), as the API sees it.
    expect(pods.json.items?.length).toBeGreaterThan(0);
    for (const pod of pods.json.items ?? []) expect(pod.metadata.name).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
    const web = await api('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    expect(web).toMatchObject({ status: 200, json: { spec: { replicas: 3 } } });

    const created = await api('POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'from-api' },
      data: { said: 'by the API' },
    });
    expect(created.status).toBe(201);
    expect(await run('kubectl get cm from-api -o jsonpath={.data.said}')).toMatchObject({
      exitCode: 0,
      out: 'by the API',
    });

    expect(await run('kubectl create configmap from-terminal --from-literal=said=typed')).toMatchObject({
      exitCode: 0,
    });
    const read = await api('GET', '/api/v1/namespaces/default/configmaps/from-terminal');
    expect(read.status).toBe(200);
    expect(read.json.data).toEqual({ said: 'typed' });
    // The server's own errors come back as it gives them.
    const missing = await api('GET', '/api/v1/namespaces/default/configmaps/nothing-here');
    expect(missing).toMatchObject({ status: 404, json: { kind: 'Status', reason: 'NotFound' } });
  });

  test('a watch streams what the terminal writes while it stays open', async () => {
    const events: { type: string; object: { metadata: { name: string } } }[] = [];
    const watch = http.get(
      `${base}/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dwatched`,
    );
    watch.on('error', () => undefined); // destroyed at the end
    const response = await new Promise<http.IncomingMessage>((resolve) => watch.once('response', resolve));
    expect(response.statusCode).toBe(200);
    let pending = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) events.push(JSON.parse(line));
    });
    try {
      expect(await run('kubectl create configmap watched')).toMatchObject({ exitCode: 0 });
      const until = Date.now() + 15_000;
      while (events.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'watched']]);
    } finally {
      watch.destroy();
    }
  });

  test('real kubectl through serveApi and upgradeApi; its requests share a few pooled bridges', async () => {
    const got = await kubectl(['get', 'configmaps', 'from-api', 'from-terminal', '-o', 'name']);
    expect(got).toEqual({
      code: 0,
      stdout: 'configmap/from-api\nconfigmap/from-terminal\n',
      stderr: '',
    });
    expect(await kubectl(['create', 'configmap', 'from-kubectl', '--from-literal=a=1'])).toMatchObject({
      code: 0,
      stdout: 'configmap/from-kubectl created\n',
    });
    expect(await run('kubectl get cm from-kubectl -o jsonpath={.data.a}')).toMatchObject({ out: '1' });

    const until = Date.now() + 30_000;
    while (
      (await run('kubectl get pods -l app=web -o jsonpath={.items[0].status.phase}')).out !== 'Running'
    ) {
      if (Date.now() > until) throw new Error('the web pod never ran');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // exec upgrades the connection (SPDY for kubectl 1.30): a bridge of its own carries the stream both ways.
    expect(await kubectl(['exec', 'deploy/web', '--', 'echo', 'through docker'])).toEqual({
      code: 0,
      stdout: 'through docker\n',
      stderr: '',
    });

    // Twenty sequential requests reuse the pool's idle bridges instead of starting one each.
    for (let i = 0; i < 20; i++)
      expect((await api('GET', '/api/v1/namespaces/default/pods')).status).toBe(200);
    const open = await bridges();
    expect(open).toBeGreaterThanOrEqual(1);
    expect(open).toBeLessThanOrEqual(4);
  }, 90_000);
});
