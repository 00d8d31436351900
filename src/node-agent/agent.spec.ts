/**
 * The node agent with the real engine, driven by the real `kubelab-exec` client over a unix socket
 * (the same path the Docker driver takes through `docker exec`, minus Docker).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createCluster, LabTerminal, RealClock } from '../engine/index';
import { NodeAgent } from './agent';
import { AgentHome } from './agent-home';
import type { AgentReply } from './protocol';

const ROOT = path.resolve(__dirname, '../..');
const CLIENT = ['-r', path.join(ROOT, 'scripts/swc-register.cjs'), path.join(__dirname, 'exec-client.ts')];
let dir: string;
let socketPath: string;
let agent: NodeAgent;

interface ClientResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function client(args: string[], socket = socketPath, stdin?: string): Promise<ClientResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...CLIENT, ...args],
      { env: { ...process.env, KUBELAB_AGENT_SOCKET: socket }, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** A request through `kubelab-exec --framed` (as the Docker driver sends it), and the agent's replies. */
async function framed(request: object): Promise<AgentReply[]> {
  const result = await client(['--framed'], socketPath, JSON.stringify(request));
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AgentReply);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kubelab-agent-'));
  socketPath = path.join(dir, 'agent.sock');
  const cluster = createCluster({ nodeCount: 2, seed: 7, clock: new RealClock() });
  const terminal = new LabTerminal(cluster);
  agent = new NodeAgent({
    socketPath,
    cluster,
    terminal,
    home: await AgentHome.open(terminal.home, path.join(dir, 'state/home.json')),
    nodeCount: 2,
    claimFile: path.join(dir, 'claim.json'),
  });
  await agent.listen();
});

afterAll(async () => {
  await agent?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a line runs in the lab terminal; output and exit code come back separately', async () => {
  const nodes = await client(['kubectl get nodes']);
  expect(nodes.code).toBe(0);
  expect(nodes.stdout).toMatch(
    /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nminikube\s+Ready\s+control-plane\s+\S+\s+v1\.30\.0\nminikube-m02\s+Ready/,
  );
  expect(nodes.stderr).toBe('');

  const missing = await client(['--id', 'one', 'kubectl get deployment nope']);
  expect(missing).toEqual({
    code: 1,
    stdout: '',
    stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n',
  });
});

test('--objects answers an ObjectQuery with Kubernetes JSON; malformed queries are explained', async () => {
  const result = await client(['--objects', JSON.stringify({ kind: 'Node', name: 'minikube-m02' })]);
  expect(result.code).toBe(0);
  const objects = JSON.parse(result.stdout) as { kind: string; metadata: { name: string } }[];
  expect(objects.map((o) => [o.kind, o.metadata.name])).toEqual([['Node', 'minikube-m02']]);

  // A kind the cluster does not serve has no objects (as on the embedded driver); a query without one is refused.
  expect(await client(['--objects', JSON.stringify({ kind: 'Gadget' })])).toEqual({
    code: 0,
    stdout: '[]\n',
    stderr: '',
  });
  expect(await client(['--objects', JSON.stringify({ name: 'x' })])).toEqual({
    code: 125,
    stdout: '',
    stderr: 'kubelab-exec: object query needs a "kind"\n',
  });
  expect((await client(['--objects', '{nope'])).stderr).toBe('kubelab-exec: not valid JSON: {nope\n');
});

test('--cancel aborts a running command, which exits 130', async () => {
  const watcher = spawn(process.execPath, [...CLIENT, '--id', 'watch-1', 'kubectl get pods -w'], {
    env: { ...process.env, KUBELAB_AGENT_SOCKET: socketPath },
  });
  const exited = new Promise<number | null>((resolve) => watcher.on('exit', (code) => resolve(code)));
  let status = await client(['--status']);
  for (let i = 0; i < 100 && !status.stdout.includes('watch-1'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = await client(['--status']);
  }
  expect(JSON.parse(status.stdout).runningCommands).toEqual(['watch-1']);
  expect((await client(['--cancel', 'watch-1'])).stdout).toBe('{"type":"cancelled","found":true}\n');
  expect(await exited).toBe(130);
  expect((await client(['--cancel', 'watch-1'])).stdout).toBe('{"type":"cancelled","found":false}\n');
});

test('--claim records who claimed the cluster, once', async () => {
  const claim = { clusterId: 'c-1', labSessionId: 'lab-7', ownerId: 'alice' };
  expect((await client(['--claim', JSON.stringify(claim)])).code).toBe(0);
  expect(JSON.parse((await client(['--status'])).stdout)).toEqual({
    ready: true,
    nodeCount: 2,
    claim,
    runningCommands: [],
  });
  expect(JSON.parse(readFileSync(path.join(dir, 'claim.json'), 'utf8'))).toEqual(claim);
  expect(await client(['--claim', JSON.stringify({ ...claim, clusterId: 'c-2' })])).toMatchObject({
    code: 125,
    stderr: 'kubelab-exec: this cluster is already claimed as c-1\n',
  });
});

test('usage errors and an absent agent give clear messages', async () => {
  expect(await client(['--bogus'])).toEqual({
    code: 2,
    stdout: '',
    stderr:
      'kubelab-exec: usage: kubelab-exec [--id ID] LINE | --cancel ID | --objects JSON | --status | --claim JSON | --framed\n',
  });
  const absent = await client(['--status'], path.join(dir, 'nobody.sock'));
  expect(absent.code).toBe(125);
  expect(absent.stderr).toMatch(/^kubelab-exec: agent unreachable at .*nobody\.sock: connect ENOENT/);
});

test('a malformed request gets an error reply instead of a hang', async () => {
  const reply = await new Promise<string>((resolve) => {
    let text = '';
    const socket = net.createConnection(socketPath, () => socket.write('{"type":"dance"}\n'));
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
  });
  expect(reply).toBe(
    '{"type":"error","message":"unknown request; expected one of run, cancel, edited, objects, status, claim"}\n',
  );
});

test('--framed: a stored home newer than the copy is asked for, loaded, and the changed home comes back', async () => {
  const stored = { v: 1 as const, version: 40, entries: [{ p: 'notes.txt', t: 'hello\n', m: 1 }] };
  // Without the home itself, the agent asks for it instead of running the line.
  expect(await framed({ type: 'run', id: 'f-1', line: 'cat notes.txt', home: { version: 40 } })).toEqual([
    { type: 'home-needed' },
  ]);
  expect(
    await framed({ type: 'run', id: 'f-2', line: 'cat notes.txt', home: { version: 40, snapshot: stored } }),
  ).toEqual([
    { type: 'stdout', data: 'hello\n' },
    { type: 'exit', code: 0 },
  ]);
  // The copy is now at the stored version: a line that reads needs no home and sends none back.
  expect(await framed({ type: 'run', id: 'f-3', line: 'cat notes.txt', home: { version: 40 } })).toEqual([
    { type: 'stdout', data: 'hello\n' },
    { type: 'exit', code: 0 },
  ]);
  const written = await framed({
    type: 'run',
    id: 'f-4',
    line: 'kubectl create deployment web --image=nginx --dry-run=client -o yaml > web.yaml',
    home: { version: 40 },
  });
  expect(written.map((reply) => reply.type)).toEqual(['home', 'exit']);
  const home = (written[0] as Extract<AgentReply, { type: 'home' }>).snapshot;
  expect(home.version).toBeGreaterThan(40);
  expect(home.entries.map((entry) => entry.p)).toEqual(['notes.txt', 'web.yaml']);
  expect(home.entries[1].t).toContain('kind: Deployment');
  // The volume's copy is what a restarted agent starts from.
  const kept = JSON.parse(readFileSync(path.join(dir, 'state/home.json'), 'utf8')) as typeof home;
  expect(kept).toEqual(home);
});

test('a restarted agent starts from the home its volume kept, filled', async () => {
  const file = path.join(dir, 'state/home.json');
  const cluster = createCluster({ nodeCount: 1, seed: 1, clock: new RealClock() });
  const terminal = new LabTerminal(cluster);
  const home = await AgentHome.open(terminal.home, file);
  expect(terminal.home.readFile('web.yaml')).toContain('name: web');
  // Filled at the kept version: a line carrying that version runs without the stored home.
  expect(await home.prepare({ version: terminal.home.version })).toEqual({
    ready: true,
    before: terminal.home.version,
  });
  expect(await home.prepare({ version: terminal.home.version + 1 })).toEqual({ ready: false });
  // A fresh container (no kept file) has never been filled: it asks whatever the version.
  const fresh = await AgentHome.open(new LabTerminal(cluster).home, path.join(dir, 'none/home.json'));
  expect(await fresh.prepare({ version: 0 })).toEqual({ ready: false });
});

test('a line that breaks a home limit is refused whole: the same error, no home sent back', async () => {
  const entries = [
    { p: 'a.txt', t: 'a'.repeat(200 * 1024), m: 1 },
    { p: 'b.txt', t: 'b'.repeat(100 * 1024), m: 1 },
  ];
  const replies = await framed({
    type: 'run',
    id: 'f-5',
    line: 'cat a.txt >> b.txt',
    home: { version: 90, snapshot: { v: 1, version: 90, entries } },
  });
  expect(replies).toEqual([
    {
      type: 'stderr',
      data: 'bash: b.txt: file too large: a file in this lab terminal holds at most 256 KiB (this would be 300 KiB)\n',
    },
    { type: 'exit', code: 1 },
  ]);
});

/** A framed request over a socket of its own, its replies read as they come (the run is still going). */
function streamed(request: object): {
  replies: AgentReply[];
  next(type: AgentReply['type']): Promise<AgentReply>;
} {
  const replies: AgentReply[] = [];
  const waiters: (() => void)[] = [];
  let pending = '';
  const socket = net.createConnection(socketPath, () => socket.write(JSON.stringify(request) + '\n'));
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line) replies.push(JSON.parse(line) as AgentReply);
    waiters.splice(0).forEach((wake) => wake());
  });
  return {
    replies,
    async next(type) {
      for (;;) {
        const found = replies.find((reply) => reply.type === type);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

test("kubectl edit opens its buffer in the driver's editor pane and applies the text an `edited` request brings", async () => {
  expect((await client(['kubectl create deployment edited --image=nginx'])).code).toBe(0);
  const run = streamed({ type: 'run', id: 'edit-1', line: 'kubectl edit deployment/edited', editor: true });
  const opened = await run.next('editor');
  expect(opened).toMatchObject({ type: 'editor', name: expect.stringMatching(/^kubectl-edit-\d+\.yaml$/) });
  const text = (opened as Extract<AgentReply, { type: 'editor' }>).text;
  expect(text).toMatch(/^# Please edit the object below\./);
  expect(
    await framed({ type: 'edited', id: 'edit-1', text: text.replace('  replicas: 1\n', '  replicas: 4\n') }),
  ).toEqual([{ type: 'edited', found: true }]);
  expect(await run.next('exit')).toEqual({ type: 'exit', code: 0 });
  expect(run.replies).toContainEqual({ type: 'stdout', data: 'deployment.apps/edited edited\n' });
  expect((await client(['kubectl get deploy edited -o jsonpath={.spec.replicas}'])).stdout).toBe('4');
  // The run has ended: a late save finds no buffer.
  expect(await framed({ type: 'edited', id: 'edit-1', text })).toEqual([{ type: 'edited', found: false }]);
});

test('kubectl edit without an editor pane says how to edit without one, as the embedded terminal does', async () => {
  const replies = await framed({ type: 'run', id: 'edit-2', line: 'kubectl edit deployment/edited' });
  expect(replies[replies.length - 1]).toEqual({ type: 'exit', code: 1 });
  expect(replies[0]).toMatchObject({
    type: 'stderr',
    data: expect.stringMatching(/^error: kubectl edit opens the object in the editor pane/),
  });
});

test('a run that asks for its effects gets them before the exit: namespaces and the objects it wrote', async () => {
  await client(['kubectl create namespace fx']);
  const replies = await framed({
    type: 'run',
    id: 'fx-1',
    line: 'kubectl create configmap fx-settings -n fx --from-literal=a=b',
    effects: true,
  });
  expect(replies.slice(-2)).toEqual([
    {
      type: 'effects',
      effects: {
        // Whatever earlier tests left in the kubeconfig; the command's -n decides where it ran.
        contextNamespace: expect.any(String),
        namespace: 'fx',
        touched: [{ kind: 'ConfigMap', namespace: 'fx', name: 'fx-settings', change: 'created' }],
      },
    },
    { type: 'exit', code: 0 },
  ]);
  // kubelab-exec without --framed prints only the command's own output.
  expect(await client(['kubectl get configmap fx-settings -n fx -o name'])).toEqual({
    code: 0,
    stdout: 'configmap/fx-settings\n',
    stderr: '',
  });
});
