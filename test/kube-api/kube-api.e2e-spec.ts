import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeApiAccess } from '../../src/shared/kube-api';
import {
  api,
  enrolledStudent,
  EnrolledStudent,
  login,
  startPlatform,
  TestPlatform,
} from '../support/platform';

const ORACLE = '/usr/lib/google-cloud-sdk/bin/kubectl.1.30';
const DISPATCHER = '/usr/bin/kubectl';

/** Real kubectl binaries, or the suite fails naming the one that is missing. */
function requireBinary(file: string): string {
  if (!fs.existsSync(file))
    throw new Error(`kubectl binary missing: ${file} (install google-cloud-cli-kubectl)`);
  return file;
}

interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The student's own kubectl (issue 20) against the real platform: a downloaded kubeconfig, real kubectl binaries
 * over HTTPS to the platform's listener, the request reaching the session's cluster on the worker.
 */
describe('the Kubernetes API of a lab session (own kubectl)', () => {
  let platform: TestPlatform;
  let alice: EnrolledStudent;
  let bob: EnrolledStudent;
  let home: string;
  let access: KubeApiAccess;
  let kubeconfig: string;

  const kubectl = (binary: string, args: string[], config = kubeconfig): Promise<KubectlResult> =>
    new Promise((resolve) => {
      execFile(
        binary,
        ['--kubeconfig', config, ...args],
        { env: { ...process.env, HOME: home, KUBECONFIG: '' }, timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  const download = async (student: { cookie: string }, labSessionId: string, file: string) => {
    const response = await fetch(`${platform.baseUrl}/api/lab-sessions/${labSessionId}/kube-api/kubeconfig`, {
      headers: { cookie: student.cookie },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="kubelab-[0-9a-f]{8}\.kubeconfig"$/,
    );
    const text = await response.text();
    const target = path.join(home, file);
    fs.writeFileSync(target, text, { mode: 0o600 });
    return { file: target, token: /token: (\S+)/.exec(text)?.[1] as string };
  };

  /** A request with node's https client, trusting the kubeconfig's CA. */
  const request = (
    method: string,
    url: string,
    token: string | undefined,
    body?: Buffer,
  ): Promise<{ status: number; text: string; headers: Record<string, unknown> }> =>
    new Promise((resolve, reject) => {
      const req = https.request(url, {
        method,
        ca: Buffer.from(access.caData as string, 'base64').toString(),
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}),
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
      });
      req.on('error', reject);
      req.end(body);
    });

  const terminal = async (student: EnrolledStudent, command: string) => {
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.labSessionId,
      command,
    });
    if (!ack.ok) throw new Error(ack.message);
    const exit = await student.log.exitOf(ack.data.runId, 60_000);
    return { exitCode: exit.exitCode, output: student.log.outputOf(ack.data.runId) };
  };

  beforeAll(async () => {
    requireBinary(ORACLE);
    requireBinary(DISPATCHER);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-own-kubectl-'));
    platform = await startPlatform({ KUBE_API_REQUESTS_PER_SECOND: '2000' });
    [alice, bob] = await Promise.all([
      enrolledStudent(platform, 'alice-kapi@example.edu'),
      enrolledStudent(platform, 'bob-kapi@example.edu'),
    ]);
  }, 120_000);

  afterAll(async () => {
    alice?.socket.disconnect();
    bob?.socket.disconnect();
    await platform?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('describes the session API and downloads a kubeconfig kubectl.1.30 and the dispatcher use', async () => {
    const described = await api<KubeApiAccess>(
      platform.baseUrl,
      alice.cookie,
      'GET',
      `/lab-sessions/${alice.labSessionId}/kube-api`,
    );
    expect(described.status).toBe(200);
    access = described.body;
    expect(access.server).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:\\d+/k8s/${alice.labSessionId}$`));
    expect(Buffer.from(access.caData as string, 'base64').toString()).toContain('BEGIN CERTIFICATE');
    expect(access.token).toBeNull();
    expect(access.namespace).toBe('default');
    expect(access.setup.linux).toContain('export KUBECONFIG=');

    kubeconfig = (await download(alice, alice.labSessionId, 'alice.kubeconfig')).file;
    const after = await api<KubeApiAccess>(
      platform.baseUrl,
      alice.cookie,
      'GET',
      `/lab-sessions/${alice.labSessionId}/kube-api`,
    );
    expect(after.body.token?.id).toMatch(/^[0-9a-f-]{36}$/);

    const pods = await kubectl(ORACLE, ['get', 'pods']);
    expect(pods).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    const nodes = await kubectl(DISPATCHER, ['get', 'nodes', '-o', 'name']);
    expect(nodes.stderr).toBe('');
    expect(nodes.stdout).toBe('node/minikube\n');
  }, 60_000);

  it('creates and applies through the platform: the terminal sees the same cluster', async () => {
    const created = await kubectl(ORACLE, ['create', 'deployment', 'web', '--image=nginx']);
    expect(created).toEqual({ code: 0, stdout: 'deployment.apps/web created\n', stderr: '' });
    // The invocation becomes one line of the session's history, marked as from the student's own kubectl.
    await alice.log.waitFor(
      (event) =>
        event.name === 'command.accepted' &&
        /^kubectl create deployment web .*--image=nginx/.test(String(event.payload.command)),
      20_000,
      'the history line of kubectl create deployment',
    );
    const line = alice.log.events.find(
      (event) =>
        event.name === 'command.accepted' && String(event.payload.command).includes('create deployment web'),
    );
    expect(line?.payload.ownClient).toBe('kubectl');
    const manifest = path.join(home, 'cm.yaml');
    fs.writeFileSync(
      manifest,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: lab\n',
    );
    const applied = await kubectl(DISPATCHER, ['apply', '-f', manifest]);
    expect(applied).toEqual({ code: 0, stdout: 'configmap/settings created\n', stderr: '' });
    const deployment = await terminal(alice, 'kubectl get deployment web -o name');
    expect(deployment.output).toBe('deployment.apps/web\n');
    const configMap = await terminal(alice, 'kubectl get configmap settings -o name');
    expect(configMap.output).toBe('configmap/settings\n');
    // And what the terminal writes, kubectl reads.
    await terminal(alice, 'kubectl create configmap from-terminal --from-literal=a=b');
    const read = await kubectl(ORACLE, ['get', 'configmap', 'from-terminal', '-o', 'jsonpath={.data.a}']);
    expect(read).toEqual({ code: 0, stdout: 'b', stderr: '' });
  }, 90_000);

  it('streams a watch: kubectl get -w receives the event of a later change', async () => {
    const watcher = spawn(ORACLE, ['--kubeconfig', kubeconfig, 'get', 'configmaps', '-w', '-o', 'name'], {
      env: { ...process.env, HOME: home, KUBECONFIG: '' },
    });
    let output = '';
    watcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const until = async (text: string) => {
      const deadline = Date.now() + 20_000;
      while (!output.includes(text)) {
        if (Date.now() > deadline)
          throw new Error(`watch output never had ${text}: ${JSON.stringify(output)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await until('configmap/settings\n');
      const made = await kubectl(ORACLE, ['create', 'configmap', 'watched']);
      expect(made.code).toBe(0);
      await until('configmap/watched\n');
    } finally {
      watcher.kill('SIGINT');
    }
  }, 60_000);

  it('refuses what it must: no token, another session, an old token, plain HTTP, a huge body', async () => {
    const { token } = await download(alice, alice.labSessionId, 'alice-again.kubeconfig');
    const pods = `${access.server}/api/v1/namespaces/default/pods`;
    const none = await request('GET', pods, undefined);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.text)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect((await request('GET', pods, 'klt1.bogus.token')).status).toBe(401);

    // Alice's valid token on Bob's path: that path does not exist for her.
    const bobs = `${access.server.replace(alice.labSessionId, bob.labSessionId)}/api/v1/namespaces/default/pods`;
    const foreign = await request('GET', bobs, token);
    expect(foreign.status).toBe(404);
    expect(JSON.parse(foreign.text).reason).toBe('NotFound');

    const huge = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const tooLarge = await request(
      'POST',
      `${access.server}/api/v1/namespaces/default/configmaps`,
      token,
      huge,
    );
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.text).reason).toBe('RequestEntityTooLarge');

    const port = Number(new URL(access.server).port);
    const plain = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write('GET /version HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(plain).toMatch(/^HTTP\/1\.0 400 Bad Request\r\n/);
    expect(plain).toContain('Client sent an HTTP request to an HTTPS server.\n');

    // A new token: the old one is refused at once, the new kubeconfig works.
    const renewed = await api<KubeApiAccess>(
      platform.baseUrl,
      alice.cookie,
      'POST',
      `/lab-sessions/${alice.labSessionId}/kube-api/token`,
    );
    expect(renewed.status).toBe(200);
    const old = await kubectl(ORACLE, ['get', 'pods']);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
    kubeconfig = (await download(alice, alice.labSessionId, 'alice-new.kubeconfig')).file;
    expect((await kubectl(ORACLE, ['get', 'deployments', '-o', 'name'])).stdout).toBe(
      'deployment.apps/web\n',
    );
  }, 60_000);

  it('gives a course instructor a read-only token: reads work, writes are forbidden as RBAC words it', async () => {
    const teacher = { cookie: await login(platform.baseUrl, 'teacher@kubelab.local') };
    const { file } = await download(teacher, alice.labSessionId, 'teacher.kubeconfig');
    const read = await kubectl(ORACLE, ['get', 'deployments', '-o', 'name'], file);
    expect(read).toEqual({ code: 0, stdout: 'deployment.apps/web\n', stderr: '' });
    const write = await kubectl(ORACLE, ['create', 'configmap', 'nope'], file);
    expect(write.code).toBe(1);
    expect(write.stderr).toBe(
      'error: failed to create configmap: configmaps is forbidden: User "teacher@kubelab.local" cannot create resource "configmaps" in API group "" in the namespace "default"\n',
    );
  }, 60_000);

  it('holds 100 concurrent watches of one session, and each receives the next change', async () => {
    const { token } = await download(alice, alice.labSessionId, 'alice-watch.kubeconfig');
    const ca = Buffer.from(access.caData as string, 'base64').toString();
    const agent = new https.Agent({ ca, keepAlive: true, maxSockets: 200 });
    const url = `${access.server}/api/v1/namespaces/default/configmaps?watch=1&fieldSelector=metadata.name%3Dfanout`;
    const watches = Array.from({ length: 100 }, () => {
      let text = '';
      let resolveOpen: () => void;
      const opened = new Promise<void>((resolve) => (resolveOpen = resolve));
      const req = https.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        resolveOpen();
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      });
      req.on('error', () => undefined);
      return { req, opened, received: () => text };
    });
    try {
      await Promise.all(watches.map((watch) => watch.opened));
      const made = await kubectl(ORACLE, ['create', 'configmap', 'fanout']);
      expect(made.code).toBe(0);
      const deadline = Date.now() + 20_000;
      while (watches.some((watch) => !watch.received().includes('"type":"ADDED"'))) {
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(watches.filter((watch) => watch.received().includes('"name":"fanout"')).length).toBe(100);
    } finally {
      for (const watch of watches) watch.req.destroy();
      agent.destroy();
    }
  }, 90_000);

  it("holds a kubectl write until the terminal's running command has ended", async () => {
    // An interactive terminal command holds the session's turn until its input ends.
    const ack = await alice.socket.emitWithAck('command.submit', {
      labSessionId: alice.labSessionId,
      command: 'kubectl apply -f -',
    });
    if (!ack.ok) throw new Error(ack.message);
    const runId = ack.data.runId;
    await alice.log.waitFor(
      (event) => event.name === 'command.started' && event.payload.runId === runId,
      20_000,
      'the start of kubectl apply -f -',
    );
    let kubectlDone = 0;
    const write = kubectl(ORACLE, ['create', 'configmap', 'second']).then((result) => {
      kubectlDone = Date.now();
      return result;
    });
    // The write waits for its turn while the terminal's command runs.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(kubectlDone).toBe(0);
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n';
    expect(
      await alice.socket.emitWithAck('command.input', {
        labSessionId: alice.labSessionId,
        runId,
        data: manifest,
      }),
    ).toEqual({ ok: true, data: null });
    await alice.socket.emitWithAck('command.input', { labSessionId: alice.labSessionId, runId, eof: true });
    const exit = await alice.log.exitOf(runId, 30_000);
    expect({ exitCode: exit.exitCode, output: alice.log.outputOf(runId) }).toEqual({
      exitCode: 0,
      output: expect.stringContaining('configmap/first created\n'),
    });
    expect(await write).toEqual({ code: 0, stdout: 'configmap/second created\n', stderr: '' });
    const versions = await kubectl(ORACLE, [
      'get',
      'configmap',
      'first',
      'second',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.metadata.resourceVersion} {end}',
    ]);
    const [first, second] = versions.stdout
      .trim()
      .split(' ')
      .map((pair) => Number(pair.split('=')[1]));
    expect(first).toBeLessThan(second);
  }, 90_000);

  it('names in the kubeconfig the namespace the student last set in the terminal', async () => {
    const describeAccess = () =>
      api<KubeApiAccess>(
        platform.baseUrl,
        alice.cookie,
        'GET',
        `/lab-sessions/${alice.labSessionId}/kube-api`,
      );
    const set = await terminal(alice, 'kubectl config set-context --current --namespace=kube-system');
    expect(set.exitCode).toBe(0);
    // The cluster's state is saved just after the exit is announced (the exit does not wait for it): the
    // namespace shows once it is saved, within moments.
    let described = await describeAccess();
    for (let i = 0; i < 50 && described.body.namespace !== 'kube-system'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      described = await describeAccess();
    }
    expect(described.body.namespace).toBe('kube-system');
    const { file } = await download(alice, alice.labSessionId, 'alice-ns.kubeconfig');
    expect(fs.readFileSync(file, 'utf8')).toContain('    namespace: kube-system\n');
    const pods = await kubectl(ORACLE, ['get', 'pods', '-o', 'name'], file);
    expect(pods.stdout).toContain('pod/kube-apiserver-minikube\n');
  }, 60_000);

  it('relays exec and logs -f streams to the engine', async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const phase = await kubectl(ORACLE, [
        'get',
        'pods',
        '-l',
        'app=web',
        '-o',
        'jsonpath={.items[0].status.phase}',
      ]);
      if (phase.stdout === 'Running') break;
      if (Date.now() > deadline) throw new Error(`the web pod never ran: ${JSON.stringify(phase)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const exec = await kubectl(ORACLE, ['exec', 'deploy/web', '--', 'echo', 'through the platform']);
    expect(exec).toEqual({ code: 0, stdout: 'through the platform\n', stderr: '' });

    const follower = spawn(ORACLE, ['--kubeconfig', kubeconfig, 'logs', '-f', 'deploy/web'], {
      env: { ...process.env, HOME: home, KUBECONFIG: '' },
    });
    let logged = '';
    follower.stdout.on('data', (chunk: Buffer) => (logged += chunk.toString()));
    try {
      const until = Date.now() + 20_000;
      while (logged === '' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(logged).not.toBe('');
      // Still following: the stream stays open until the client goes.
      expect(follower.exitCode).toBeNull();
    } finally {
      follower.kill('SIGINT');
    }
  }, 90_000);

  it('serves kubectl 1.31, 1.32 and 1.33 and @kubernetes/client-node 1.x through the platform', async () => {
    const { file } = await download(alice, alice.labSessionId, 'alice-clients.kubeconfig');
    for (const minor of ['31', '32', '33']) {
      const binary = requireBinary(`/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`);
      const created = await kubectl(binary, ['create', 'deployment', `web-1${minor}`, '--image=nginx'], file);
      expect(created).toEqual({ code: 0, stdout: `deployment.apps/web-1${minor} created\n`, stderr: '' });
    }
    // The official client's conformance script (lists, watches, creates, patches, a stale replace, a 404, deletes).
    const script = path.join(__dirname, '..', 'conformance', 'client-node', 'check.mjs');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [script, file], { timeout: 30_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      ),
    );
    const seen = JSON.parse(stdout) as {
      podNames: string[];
      merged: Record<string, string>;
      stale: { code: number };
      missing: { code: number };
      events: [string, string][];
      watchError?: string;
    };
    expect(seen.podNames).toEqual(expect.arrayContaining(['etcd-minikube', 'kube-apiserver-minikube']));
    expect(seen.merged).toEqual({ a: '2', b: '3' });
    expect(seen.stale.code).toBe(409);
    expect(seen.missing.code).toBe(404);
    expect(seen.watchError).toBeUndefined();
    expect(seen.events.map(([type, name]) => `${type} ${name}`)).toEqual(
      expect.arrayContaining(['ADDED cm1', 'DELETED cm1']),
    );
  }, 90_000);
});
