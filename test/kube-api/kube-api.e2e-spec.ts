import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeApiAccess } from '../../src/shared/kube-api';
import {
  api,
  connect,
  enrolledStudent,
  EnrolledStudent,
  EventLog,
  freePort,
  login,
  startPlatform,
  TestPlatform,
} from '../support/platform';
import { neverReadingClient, openWatches, socketsOf } from '../support/kube-api-clients';
import { RedisConnections } from '../../src/infra/redis/redis-connections';
import { httpGet, OpenTerminal, Streaming } from '../conformance/stream-harness';

const ORACLE = '/usr/lib/google-cloud-sdk/bin/kubectl.1.30';
/** kubectl's words for a 401 whose Status says Unauthorized, the address's discovery being cached. */
const LOGGED_OUT = {
  code: 1,
  stdout: '',
  stderr: 'error: You must be logged in to the server (Unauthorized)\n',
};
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
  let bobConfig: string;
  /** A `kubectl exec -it` session opened early and used again much later (no timeout may cut it meanwhile). */
  let longShell: OpenTerminal | undefined;
  let longShellIdleSince = 0;
  /** Four values of 900,000 bytes (a ConfigMap's body stays under the 1 MiB limit): 3.6 MB of output in all. */
  const bigValues = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(900_000));

  const kubectl = (binary: string, args: string[], config = kubeconfig): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const child = execFile(
        binary,
        ['--kubeconfig', config, ...args],
        { env: { ...process.env, HOME: home, KUBECONFIG: '' }, timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      // Nobody types at it: a kubectl that asks for credentials reads the end of its input at once.
      child.stdin?.end();
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
    contentType = 'application/json',
  ): Promise<{ status: number; text: string; headers: Record<string, unknown> }> =>
    new Promise((resolve, reject) => {
      const req = https.request(url, {
        method,
        ca: Buffer.from(access.caData as string, 'base64').toString(),
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-type': contentType, 'content-length': body.length } : {}),
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

  const kubectlEnv = () => ({ ...process.env, HOME: home, KUBECONFIG: '' });

  /** Waits until the first pod matching `selector` runs (the cluster's clock is real time here). */
  const untilRunning = async (selector: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const phase = await kubectl(ORACLE, [
        'get',
        'pods',
        '-l',
        selector,
        '-o',
        'jsonpath={.items[0].status.phase}',
      ]);
      if (phase.stdout === 'Running') return;
      if (Date.now() > deadline) throw new Error(`${selector}: the pod never ran: ${JSON.stringify(phase)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  beforeAll(async () => {
    requireBinary(ORACLE);
    requireBinary(DISPATCHER);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-own-kubectl-'));
    platform = await startPlatform({
      KUBE_API_REQUESTS_PER_SECOND: '2000',
      // A client that stops reading is cut off after 2 s here (30 s by default).
      KUBE_API_STALLED_CLIENT_SECONDS: '2',
    });
    [alice, bob] = await Promise.all([
      enrolledStudent(platform, 'alice-kapi@example.edu'),
      enrolledStudent(platform, 'bob-kapi@example.edu'),
    ]);
  }, 120_000);

  afterAll(async () => {
    longShell?.run.child.kill('SIGKILL');
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

  it("grades the lab's step after the student's own kubectl lines, and the instructor's course view hears it", async () => {
    const teacherSocket = await connect(
      platform.baseUrl,
      await login(platform.baseUrl, 'teacher@kubelab.local'),
    );
    const teacherLog = new EventLog(teacherSocket);
    try {
      expect(await teacherSocket.emitWithAck('course.watch', { courseId: platform.courseId })).toEqual({
        ok: true,
        data: null,
      });
      // lec7's first step: four lines the lab's `ran` checks match on the lines the server reconstructs.
      for (const args of [
        ['version'],
        ['cluster-info'],
        ['get', 'nodes'],
        ['get', 'pods', '-n', 'kube-system'],
      ])
        expect({ args, code: (await kubectl(ORACLE, args)).code }).toEqual({ args, code: 0 });
      await teacherLog.waitFor(
        (event) =>
          event.name === 'grading.updated' &&
          event.payload.labSessionId === alice.labSessionId &&
          (event.payload.newlyPassed as string[]).includes('inspect-cluster'),
        30_000,
        "the course room's grading update passing inspect-cluster",
      );
      const history = alice.log.events
        .filter((event) => event.name === 'command.accepted' && event.payload.ownClient === 'kubectl')
        .map((event) => event.payload.command);
      expect(history).toEqual(
        expect.arrayContaining([
          'kubectl version',
          'kubectl cluster-info',
          'kubectl get nodes',
          'kubectl get pods -n kube-system',
        ]),
      );
    } finally {
      teacherSocket.disconnect();
    }
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

  it('opens kubectl exec -it through the platform: the pod shell behind a terminal', async () => {
    // A pod whose environment (and log) holds 3.6 MB, for the stream tests further on; it starts meanwhile.
    for (const [i, value] of bigValues.entries()) {
      const file = path.join(home, `v${i + 1}.txt`);
      fs.writeFileSync(file, value);
      const made = await kubectl(ORACLE, [
        'create',
        'configmap',
        `big-${i + 1}`,
        `--from-file=V${i + 1}=${file}`,
      ]);
      expect(made).toEqual({ code: 0, stdout: `configmap/big-${i + 1} created\n`, stderr: '' });
    }
    const big = path.join(home, 'big.json');
    fs.writeFileSync(
      big,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'big', labels: { app: 'big' } },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'busybox',
              command: ['sh', '-c', 'echo $V1; echo $V2; echo $V3; echo $V4; sleep 3600'],
              envFrom: bigValues.map((_, i) => ({ configMapRef: { name: `big-${i + 1}` } })),
            },
          ],
        },
      }),
    );
    expect(await kubectl(ORACLE, ['create', '-f', big])).toEqual({
      code: 0,
      stdout: 'pod/big created\n',
      stderr: '',
    });

    await untilRunning('app=web');
    longShell = await OpenTerminal.start(
      ORACLE,
      ['--kubeconfig', kubeconfig, 'exec', '-it', 'deploy/web', '--', 'bash'],
      kubectlEnv(),
      ':/# ',
    );
    await longShell.type('echo opened\r', 'opened\r\n');
    longShellIdleSince = Date.now();
  }, 60_000);

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
    // What a student sees. Without a token kubectl asks for a user name and never sends the request; with a token
    // that is not (or no longer) valid it prints the 401's message, as against any API server.
    const config = fs.readFileSync(kubeconfig, 'utf8');
    const noToken = path.join(home, 'no-token.kubeconfig');
    fs.writeFileSync(noToken, config.replace(/^\s+token: .*\n/m, ''));
    expect(await kubectl(ORACLE, ['get', 'pods'], noToken)).toEqual({
      code: 1,
      stdout: 'Please enter Username: ',
      stderr: 'error: EOF\n',
    });
    const bogus = path.join(home, 'bogus.kubeconfig');
    fs.writeFileSync(bogus, config.replace(/token: \S+/, 'token: klt1.bogus.token'));
    expect(await kubectl(ORACLE, ['get', 'pods'], bogus)).toEqual(LOGGED_OUT);

    // Alice's valid token on Bob's path: that path does not exist for her.
    const bobs = `${access.server.replace(alice.labSessionId, bob.labSessionId)}/api/v1/namespaces/default/pods`;
    const foreign = await request('GET', bobs, token);
    expect(foreign.status).toBe(404);
    expect(JSON.parse(foreign.text).reason).toBe('NotFound');
    const foreignConfig = path.join(home, 'foreign.kubeconfig');
    fs.writeFileSync(
      foreignConfig,
      fs.readFileSync(kubeconfig, 'utf8').replace(alice.labSessionId, bob.labSessionId),
    );
    const foreignRun = await kubectl(ORACLE, ['get', 'pods'], foreignConfig);
    const foreignLines = foreignRun.stderr.trimEnd().split('\n');
    expect(foreignLines.pop()).toBe(
      'Error from server (NotFound): the server could not find the requested resource',
    );
    // Discovery of that address (not cached) is refused the same way first.
    for (const line of foreignLines)
      expect(line).toMatch(
        /memcache\.go:\d+\] couldn't get current server API group list: the server could not find the requested resource$/,
      );

    const huge = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const tooLarge = await request(
      'POST',
      `${access.server}/api/v1/namespaces/default/configmaps`,
      token,
      huge,
    );
    expect(tooLarge.status).toBe(413);
    // apimachinery's NewRequestEntityTooLargeError, with our limit.
    expect(JSON.parse(tooLarge.text)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Request entity too large: limit is 1048576',
      reason: 'RequestEntityTooLarge',
      code: 413,
    });
    // kubectl is still sending when the answer comes: the rest is read and dropped, so it gets the answer (not a
    // reset connection), each time.
    const blob = path.join(home, 'blob.txt');
    fs.writeFileSync(blob, 'x'.repeat(1024 * 1024 + 4096));
    for (let attempt = 0; attempt < 3; attempt++)
      expect(await kubectl(ORACLE, ['create', 'configmap', 'big', `--from-file=blob=${blob}`])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: failed to create configmap: Request entity too large: limit is 1048576\n',
      });
    const bigManifest = path.join(home, 'big.yaml');
    fs.writeFileSync(
      bigManifest,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ${'y'.repeat(1024 * 1024)}\n`,
    );
    expect(await kubectl(DISPATCHER, ['apply', '-f', bigManifest])).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error from server (RequestEntityTooLarge): error when creating "${bigManifest}": Request entity too large: limit is 1048576\n`,
    });

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
    expect(await kubectl(ORACLE, ['get', 'pods'])).toEqual(LOGGED_OUT);
    // An expired token (made KUBE_API_TOKEN_TTL_HOURS ago) is refused the same way.
    const expiring = await download(alice, alice.labSessionId, 'alice-expired.kubeconfig');
    await platform.db.prisma.$executeRawUnsafe(
      `UPDATE kube_api_tokens SET created_at = now() - interval '25 hours' WHERE id = $1::uuid`,
      /^klt1\.([0-9a-f-]{36})\./.exec(expiring.token)?.[1],
    );
    expect(await kubectl(ORACLE, ['get', 'pods'], expiring.file)).toEqual(LOGGED_OUT);
    // The next download makes a new token, since the current one has expired.
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

  it('holds one student to 200 watches of 1,000: 429 + Retry-After, kubectl retries, the class is served, nothing stays', async () => {
    const { token } = await download(alice, alice.labSessionId, 'alice-many.kubeconfig');
    bobConfig = (await download(bob, bob.labSessionId, 'bob.kubeconfig')).file;
    const served = { code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' };
    expect(await kubectl(ORACLE, ['get', 'pods'], bobConfig)).toEqual(served);
    const ca = Buffer.from(access.caData as string, 'base64').toString();
    const url = `${access.server}/api/v1/namespaces/default/configmaps?watch=1&fieldSelector=metadata.name%3Dquiet`;
    const before = { api: socketsOf(platform.api.child?.pid), worker: socketsOf(platform.worker.child?.pid) };
    // 250 connections: 200 stay with the admitted watches, the refused requests take turns on the other 50.
    const agent = new https.Agent({ ca, keepAlive: true, maxSockets: 250 });
    const watches = openWatches(url, token, agent, 1000);
    const redis = new RedisConnections({ redisUrl: platform.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }).open(
      'command',
      'kube-api e2e',
    );
    const rateKeys: string[] = [];
    try {
      const answers = await Promise.all(watches.map((watch) => watch.answered));
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(200);
      const refusal = {
        status: 429,
        retryAfter: '1',
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message:
            'Too many requests: this lab session may keep at most 200 watches open; please try again later',
          reason: 'TooManyRequests',
          details: { retryAfterSeconds: 1 },
          code: 429,
        },
      };
      expect(answers.filter((answer) => answer.status !== 200)).toEqual(Array(800).fill(refusal));
      // Each admitted watch holds a connection to the worker's relay (a few may reuse idle keep-alive ones).
      expect(socketsOf(platform.worker.child?.pid)).toBeGreaterThanOrEqual(before.worker + 180);

      // The class is served meanwhile: another session, and the same student's reads.
      expect(await kubectl(ORACLE, ['get', 'pods'], bobConfig)).toEqual(served);
      expect((await kubectl(ORACLE, ['get', 'deployment', 'web', '-o', 'name'])).stdout).toBe(
        'deployment.apps/web\n',
      );

      // kubectl honours Retry-After: `get -w` lists, then retries its watch 10 times a second apart and gives up in
      // client-go's own words. At the same time another session's requests-per-second window is full (as if a
      // script of Bob's had used this second's 2,000): kubectl retries `get pods` and then prints our Status.
      const second = Math.floor(Date.now() / 1000);
      for (let at = second - 1; at <= second + 30; at++)
        rateKeys.push(`${platform.env.REDIS_PREFIX}:kube-api:rate:${bob.labSessionId}:${at}`);
      await Promise.all(rateKeys.map((key) => redis.set(key, 2000, 'EX', 40)));
      const [watchRun, rateRun] = await Promise.all([
        kubectl(ORACLE, ['get', 'configmaps', '-w', '-o', 'name', '-v=6']),
        kubectl(ORACLE, ['get', 'pods'], bobConfig),
      ]);
      expect(watchRun.code).toBe(1);
      expect(watchRun.stdout).toContain('configmap/kube-root-ca.crt\n');
      expect(
        watchRun.stderr.match(/Got a Retry-After 1s response for attempt \d+ to \S+watch=true/g),
      ).toHaveLength(10);
      expect(watchRun.stderr.trimEnd().split('\n').pop()).toBe(
        'Error from server (TooManyRequests): the server has received too many requests and has asked us to try again later (get configmaps)',
      );
      expect(rateRun).toEqual({
        code: 1,
        stdout: '',
        stderr:
          "Error from server (TooManyRequests): Too many requests: this lab session's API takes at most 2000 requests a second; please try again later\n",
      });
    } finally {
      await redis.del(...rateKeys).catch(() => undefined);
      redis.disconnect();
      for (const watch of watches) watch.req.destroy();
      agent.destroy();
    }
    // Nothing stays: the relay's connections (and the cluster's watches on them) end with the clients' ...
    const deadline = Date.now() + 15_000;
    const now = () => ({
      api: socketsOf(platform.api.child?.pid),
      worker: socketsOf(platform.worker.child?.pid),
    });
    while (Date.now() < deadline && (now().api > before.api + 10 || now().worker > before.worker + 10))
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(now().worker).toBeLessThanOrEqual(before.worker + 10);
    expect(now().api).toBeLessThanOrEqual(before.api + 10);
    // ... and the session's count of open watches is back to 0: 200 open again, the 201st is refused.
    const again = new https.Agent({ ca, keepAlive: true, maxSockets: 201 });
    const reopened = openWatches(url, token, again, 201);
    try {
      const statuses = (await Promise.all(reopened.map((watch) => watch.answered))).map(
        (answer) => answer.status,
      );
      expect(statuses.filter((status) => status === 200)).toHaveLength(200);
      expect(statuses.filter((status) => status === 429)).toHaveLength(1);
    } finally {
      for (const watch of reopened) watch.req.destroy();
      again.destroy();
    }
  }, 120_000);

  it('cuts off a client that never reads once its answer has stalled, while the class is served', async () => {
    const { token } = await download(bob, bob.labSessionId, 'bob-stuck.kubeconfig');
    const ca = Buffer.from(access.caData as string, 'base64').toString();
    const server = access.server.replace(alice.labSessionId, bob.labSessionId);
    const configMaps = `${server}/api/v1/namespaces/default/configmaps`;
    const write = async (method: string, url: string, body: object, type?: string) => {
      const answer = await request(method, url, token, Buffer.from(JSON.stringify(body)), type);
      if (answer.status >= 300)
        throw new Error(`${method} ${url}: ${answer.status} ${answer.text.slice(0, 300)}`);
    };
    // Each event of the watch carries a configmap of 900 KB.
    const blob = (round: number) => `${round}`.padEnd(900_000, String.fromCharCode(97 + round));
    await write('POST', configMaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bulk' },
      data: { round: '0', blob: blob(0) },
    });
    const stuck = await neverReadingClient(
      `${configMaps}?watch=1&fieldSelector=metadata.name%3Dbulk`,
      token,
      ca,
    );
    try {
      // About 9 MiB of events, more than the kernel's buffers on both sides take: the answer stalls.
      for (let round = 1; round <= 10; round++)
        await write(
          'PATCH',
          `${configMaps}/bulk`,
          { data: { round: `${round}`, blob: blob(round) } },
          'application/merge-patch+json',
        );
      // Meanwhile another session and the same session are served.
      expect((await kubectl(ORACLE, ['get', 'deployment', 'web', '-o', 'name'])).stdout).toBe(
        'deployment.apps/web\n',
      );
      expect(
        (await kubectl(ORACLE, ['get', 'configmap', 'bulk', '-o', 'jsonpath={.data.round}'], bobConfig))
          .stdout,
      ).toBe('10');
      // Past KUBE_API_STALLED_CLIENT_SECONDS (2 s here) the platform has closed the connection: reading now gets
      // what was already on its way, then the end, never the last events.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const { received } = await stuck.drain(10_000);
      expect(received.length).toBeLessThan(10 * 900_000);
      expect(received).not.toContain('"round":"10"');
    } finally {
      await write('DELETE', `${configMaps}/bulk`, {});
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
    await untilRunning('app=web');
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

  it('keeps an exec -it session open past 35 s of silence, through terminal resizes, to its exit code', async () => {
    const shell = longShell;
    if (!shell) throw new Error('the exec -it session of the earlier test was not opened');
    // The tests in between took most of this; the rest is waited for (no idle timeout of 30 s may cut it).
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, longShellIdleSince + 35_000 - Date.now())),
    );
    shell.resize(90, 30);
    await shell.type('echo still here\r', 'still here\r\n');
    shell.resize(200, 60);
    await shell.type('echo resized\r', 'resized\r\n');
    shell.run.write('exit 6\r');
    const done = await shell.run.finished();
    longShell = undefined;
    expect(done.code).toBe(6);
    expect(shell.output).toMatch(
      /^root@web-[a-z0-9-]+:\/# echo opened\r\nopened\r\n(root@web-[a-z0-9-]+:\/# echo still here\r\nstill here\r\n)(root@web-[a-z0-9-]+:\/# echo resized\r\nresized\r\n)root@web-[a-z0-9-]+:\/# exit 6\r\nexit\r\ncommand terminated with exit code 6\r\n$/,
    );
  }, 60_000);

  it('carries several MB through exec (WebSocket and SPDY), logs and logs -f complete', async () => {
    await untilRunning('app=big');
    const args = ['--kubeconfig', kubeconfig];
    const environment = (stdout: string) =>
      stdout
        .split('\n')
        .filter((line) => /^V\d=/.test(line))
        .sort();
    const expectedEnv = bigValues.map((value, i) => `V${i + 1}=${value}`);
    for (const websockets of ['true', 'false']) {
      const run = Streaming.start(ORACLE, [...args, 'exec', 'big', '--', 'env'], {
        ...kubectlEnv(),
        KUBECTL_REMOTE_COMMAND_WEBSOCKETS: websockets,
      });
      const done = await run.finished(30_000);
      expect({ websockets, code: done.code, stderr: done.stderr }).toEqual({
        websockets,
        code: 0,
        stderr: '',
      });
      expect(environment(done.stdout)).toEqual(expectedEnv);
    }
    const log = bigValues.join('\n') + '\n';
    const logs = await Streaming.start(ORACLE, [...args, 'logs', 'big'], kubectlEnv()).finished(30_000);
    expect({ code: logs.code, stderr: logs.stderr, length: logs.stdout.length }).toEqual({
      code: 0,
      stderr: '',
      length: log.length,
    });
    expect(logs.stdout === log).toBe(true);
    const follow = Streaming.start(ORACLE, [...args, 'logs', '-f', 'big'], kubectlEnv());
    try {
      const deadline = Date.now() + 30_000;
      while (follow.stdout.length < log.length && Date.now() < deadline && follow.child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(follow.stdout === log).toBe(true);
      // Still following.
      expect(follow.child.exitCode).toBeNull();
    } finally {
      await follow.interrupt();
    }
  }, 90_000);

  it('forwards a local port to the pod through the platform: SPDY (kubectl 1.30) and SPDY in a WebSocket (1.33)', async () => {
    await untilRunning('app=web');
    for (const minor of ['30', '33']) {
      const port = await freePort();
      const forward = Streaming.start(
        requireBinary(`/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`),
        ['--kubeconfig', kubeconfig, 'port-forward', 'deploy/web', `${port}:80`],
        kubectlEnv(),
      );
      try {
        await forward.waitFor(`Forwarding from 127.0.0.1:${port} -> 80`);
        const answer = await httpGet(port);
        expect({ minor, status: 'status' in answer ? answer.status : answer.error }).toEqual({
          minor,
          status: 200,
        });
        expect('body' in answer && answer.body).toContain('<title>Welcome to nginx!</title>');
      } finally {
        await forward.interrupt();
      }
    }
  }, 60_000);

  it('wakes an idled-out cluster for an API request, which counts as activity', async () => {
    const db = platform.db.prisma;
    const latestCluster = async () =>
      (
        (await db.$queryRawUnsafe(
          'SELECT id, status::text AS status FROM clusters WHERE lab_session_id = $1::uuid ORDER BY created_at DESC LIMIT 1',
          alice.labSessionId,
        )) as { id: string; status: string }[]
      )[0];
    const session = async () =>
      (
        (await db.$queryRawUnsafe(
          'SELECT last_activity_at AS "lastActivityAt", idle_expires_at AS "idleExpiresAt" FROM lab_sessions WHERE id = $1::uuid',
          alice.labSessionId,
        )) as { lastActivityAt: Date; idleExpiresAt: Date }[]
      )[0];
    const idled = await latestCluster();
    // The session's idle time has run out: housekeeping stops its cluster (keeping its state). The activity of the
    // previous tests' requests is written in batches and may still land and push the expiry back: then it runs out
    // again.
    const deadline = Date.now() + 30_000;
    for (let latest = idled; latest.status !== 'gone'; latest = await latestCluster()) {
      if (Date.now() > deadline)
        throw new Error(
          `the idle cluster was never stopped: ${JSON.stringify({ latest, session: await session() })}\n` +
            platform.worker.output.slice(-3000),
        );
      await db.$executeRawUnsafe(
        `UPDATE lab_sessions SET idle_expires_at = now() - interval '1 second'
          WHERE id = $1::uuid AND (idle_expires_at IS NULL OR idle_expires_at > now())`,
        alice.labSessionId,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // kubectl wakes it: the request waits for the restored cluster and finds the student's objects.
    expect(await kubectl(ORACLE, ['get', 'deployment', 'web', '-o', 'name'])).toEqual({
      code: 0,
      stdout: 'deployment.apps/web\n',
      stderr: '',
    });
    const woken = await latestCluster();
    expect(woken.id).not.toBe(idled.id);
    expect(woken.status).toBe('ready');
    expect((await session()).idleExpiresAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);

    // A later request is activity: it moves the idle expiry as a terminal command does. (The relay writes activity
    // at most every 2 s per session: the wait keeps this request from falling in the window of the last one.)
    const quiet = new Date(Date.now() - 10 * 60_000);
    await db.$executeRawUnsafe(
      `UPDATE lab_sessions SET last_activity_at = $2, idle_expires_at = now() + interval '2 minutes' WHERE id = $1::uuid`,
      alice.labSessionId,
      quiet,
    );
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await kubectl(ORACLE, ['get', 'pods', '-o', 'name'])).code).toBe(0);
    const until = Date.now() + 10_000;
    while ((await session()).lastActivityAt.getTime() === quiet.getTime() && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const active = await session();
    expect(active.lastActivityAt.getTime()).toBeGreaterThan(quiet.getTime());
    expect(active.idleExpiresAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
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

  it("ends the session's tokens, the student's and the instructor's, when the session reaches its time limit", async () => {
    const db = platform.db.prisma;
    const teacher = { cookie: await login(platform.baseUrl, 'teacher@kubelab.local') };
    const student = await download(alice, alice.labSessionId, 'alice-ending.kubeconfig');
    const instructor = await download(teacher, alice.labSessionId, 'teacher-ending.kubeconfig');
    const node = { code: 0, stdout: 'node/minikube\n', stderr: '' };
    for (const file of [student.file, instructor.file])
      expect(await kubectl(ORACLE, ['get', 'nodes', '-o', 'name'], file)).toEqual(node);
    // A token's validity is cached for up to 2 s per API process: the refusals below come after that.
    const lastServed = Date.now();
    const latestCluster = async () =>
      (
        (await db.$queryRawUnsafe(
          'SELECT id, status::text AS status, error FROM clusters WHERE lab_session_id = $1::uuid ORDER BY created_at DESC LIMIT 1',
          alice.labSessionId,
        )) as { id: string; status: string; error: string | null }[]
      )[0];
    const ending = await latestCluster();
    // The session's time limit (CLUSTER_HARD_LIMIT_MINUTES) runs out: housekeeping stops its cluster for it.
    await db.$executeRawUnsafe(
      `UPDATE lab_sessions SET hard_deadline_at = now() - interval '1 second' WHERE id = $1::uuid`,
      alice.labSessionId,
    );
    const deadline = Date.now() + 30_000;
    let ended = ending;
    while (ended.status !== 'gone') {
      if (Date.now() > deadline)
        throw new Error(`the cluster was never stopped at its time limit: ${JSON.stringify(ended)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      ended = await latestCluster();
    }
    expect(ended).toEqual({ id: ending.id, status: 'gone', error: 'deadline' });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastServed + 2100 - Date.now())));
    expect(await kubectl(ORACLE, ['get', 'nodes', '-o', 'name'], student.file)).toEqual(LOGGED_OUT);
    expect(await kubectl(ORACLE, ['get', 'nodes', '-o', 'name'], instructor.file)).toEqual(LOGGED_OUT);
    // The workspace no longer lists a token.
    const described = await api<KubeApiAccess>(
      platform.baseUrl,
      alice.cookie,
      'GET',
      `/lab-sessions/${alice.labSessionId}/kube-api`,
    );
    expect(described.body.token).toBeNull();

    // The student goes on: a new kubeconfig brings a new token, whose first request starts the session's next
    // cluster (with its state and a new time limit). The tokens of the ended session stay refused.
    const next = await download(alice, alice.labSessionId, 'alice-next.kubeconfig');
    expect(next.token).not.toBe(student.token);
    expect(await kubectl(ORACLE, ['get', 'nodes', '-o', 'name'], next.file)).toEqual(node);
    expect((await latestCluster()).id).not.toBe(ending.id);
    const teacherNext = await download(teacher, alice.labSessionId, 'teacher-next.kubeconfig');
    expect(teacherNext.token).not.toBe(instructor.token);
    expect(await kubectl(ORACLE, ['get', 'nodes', '-o', 'name'], teacherNext.file)).toEqual(node);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await kubectl(ORACLE, ['get', 'nodes', '-o', 'name'], student.file)).toEqual(LOGGED_OUT);
    expect(await kubectl(ORACLE, ['get', 'nodes', '-o', 'name'], instructor.file)).toEqual(LOGGED_OUT);
  }, 90_000);
});
