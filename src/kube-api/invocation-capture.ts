/**
 * Captures what real kubectl binaries send for the command lines of issue 20, for the invocation specs:
 *
 *   node -r ./scripts/swc-register.cjs src/kube-api/invocation-capture.ts [OUT.json]
 *
 * Starts `engine serve` (a real engine cluster on 127.0.0.1), puts a logging proxy in front of it, runs each line of
 * SCENARIO with kubectl.1.30, kubectl.1.33 and the gcloud dispatcher (/usr/bin/kubectl, which probes /version before
 * exec'ing the binary for the server's minor), plus curl and @kubernetes/client-node as clients without Kubectl-*
 * headers, and writes every request each line made (method, path, query, Kubectl-Command, Kubectl-Session,
 * User-Agent, status, the decoded body of writes) to src/kube-api/invocation-fixtures.json. The fixtures are
 * generated, never edited by hand: run this again after the engine changes what it answers.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeBody } from '../engine/http/body';
import { clientKubeconfigText } from '../engine/store/kubeconfig';
import { isMutatingRequest, type ApiRequestRecord } from './invocations';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = '/usr/lib/google-cloud-sdk/bin';
const OUT = process.argv[2] ?? path.join(__dirname, 'invocation-fixtures.json');

/** One request as the proxy saw it: ApiRequestRecord's fields, plus the body and content type of writes. */
export interface CapturedRequest extends Omit<ApiRequestRecord, 'at' | 'summary'> {
  /** Milliseconds after the line started. */
  at: number;
  contentType?: string;
  /** A write's body as the engine decodes it (JSON, YAML; protobuf once the engine decodes it). */
  body?: unknown;
}

export interface CapturedLine {
  client: string;
  line: string;
  exitCode: number;
  requests: CapturedRequest[];
}

export interface CaptureFile {
  capturedWith: Record<string, string>;
  lines: CapturedLine[];
}

/** A step: a kubectl line (words after the binary), how long a lasting one may run, what it reads on stdin. */
interface Step {
  line: string;
  /** Stop it with SIGINT after this many ms (`get -w`, `logs -f`, `port-forward`). */
  lastsMs?: number;
  stdin?: string;
  /** Run under a pseudo-terminal (`exec -it`). */
  tty?: boolean;
  env?: Record<string, string>;
  /** Wait this long afterwards (pods to start). */
  settleMs?: number;
}

const API_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: { app: api }
spec:
  replicas: 1
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: { app: api }
  ports:
  - port: 80
`;

/** What `create deployment web --image=nginx:1.27 --replicas=2` makes. */
const WEB_YAML = API_YAML.split('---')[0]
  .replace(/(name|app): api/g, '$1: web')
  .replace('replicas: 1', 'replicas: 2');

/** The lines of the brief, in an order that gives each one something to work on. NS differs per binary. */
function scenario(ns: string): Step[] {
  return [
    { line: `create namespace ${ns}` },
    // kubectl 1.32+ creates with protobuf bodies: an engine that cannot decode them fails both creates, and these
    // applies then make what the later lines work on (otherwise they find the objects the creates made).
    { line: `apply -f ns-${ns}.yaml` },
    { line: `get pods -n ${ns}` },
    { line: `create deployment web --image=nginx:1.27 --replicas=2 -n ${ns}` },
    { line: `apply -f web.yaml -n ${ns}` },
    { line: `apply -f api.yaml -n ${ns}` },
    { line: `apply -f api.yaml -n ${ns}` },
    { line: `apply -f api2.yaml -n ${ns}` },
    { line: `scale deployment/web --replicas=3 -n ${ns}` },
    { line: `scale deployment web --replicas=1 -n ${ns}` },
    { line: `label deployment web tier=frontend -n ${ns}` },
    { line: `label pods -l app=web tier=fe -n ${ns}` },
    { line: `annotate deployment web note=hello -n ${ns}` },
    { line: `set image deployment/web nginx=nginx:1.28 -n ${ns}` },
    { line: `rollout status deployment/web -n ${ns} --timeout=5s`, lastsMs: 4000 },
    { line: `rollout history deployment/web -n ${ns}` },
    { line: `rollout undo deployment/web -n ${ns}` },
    { line: `rollout restart deployment/web -n ${ns}` },
    { line: `expose deployment web --port=80 --target-port=8080 --type=NodePort -n ${ns}` },
    { line: `run solo --image=busybox -n ${ns} -- sleep 3600`, settleMs: 3000 },
    { line: `get pods -w -n ${ns}`, lastsMs: 2500 },
    { line: `get pods -A` },
    { line: `get deployment web -o yaml -n ${ns}` },
    { line: `describe deployment web -n ${ns}` },
    { line: `logs solo -n ${ns}` },
    { line: `logs -f solo --tail=5 -n ${ns}`, lastsMs: 2500 },
    { line: `exec solo -n ${ns} -- ls /` },
    { line: `exec -i solo -n ${ns} -- cat`, stdin: 'hello\n', lastsMs: 4000 },
    { line: `exec -it solo -n ${ns} -- sh`, stdin: 'exit\n', tty: true, lastsMs: 4000 },
    { line: `port-forward pod/solo 0:80 -n ${ns}`, lastsMs: 2500 },
    { line: `edit deployment web -n ${ns}`, env: { KUBE_EDITOR: 'EDITOR_SCRIPT' } },
    { line: `create configmap cfg --from-literal=a=b -n ${ns}` },
    { line: `autoscale deployment web --max=3 -n ${ns}` },
    { line: `get pod nosuch -n ${ns}` },
    { line: `delete pod solo -n ${ns} --wait=false` },
    { line: `delete -f api.yaml -n ${ns}` },
    { line: `delete service web -n ${ns}` },
    { line: `version` },
    { line: `cluster-info` },
    { line: `get nodes` },
    { line: `get pods -n kube-system` },
  ];
}

/** The dispatcher: a few lines are enough to see its /version probe. */
const DISPATCHER: Step[] = [{ line: 'get pods' }, { line: 'create deployment disp --image=nginx' }];

class LoggingProxy {
  private current: CapturedRequest[] = [];
  private startedAt = Date.now();
  private readonly server: http.Server;
  port = 0;

  constructor(private readonly upstreamPort: number) {
    this.server = http.createServer((req, res) => this.forward(req, res));
    this.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) =>
      this.tunnel(req, socket, head),
    );
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Starts a new line: later requests are its. */
  begin(): void {
    this.current = [];
    this.startedAt = Date.now();
  }

  take(): CapturedRequest[] {
    const taken = this.current;
    this.current = [];
    return taken.sort((a, b) => a.at - b.at);
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  private record(req: http.IncomingMessage, status: number, body?: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const captured: CapturedRequest = {
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      kubectlCommand: header('kubectl-command'),
      kubectlSession: header('kubectl-session'),
      userAgent: header('user-agent'),
      status,
      mutating: isMutatingRequest(method, url.pathname),
      at: Date.now() - this.startedAt,
      contentType: header('content-type'),
    };
    if (body && body.length > 0 && captured.mutating) {
      try {
        captured.body = decodeBody(body, captured.contentType);
      } catch {
        captured.body = { undecoded: captured.contentType ?? 'unknown', bytes: body.length };
      }
    }
    for (const key of Object.keys(captured) as (keyof CapturedRequest)[])
      if (captured[key] === undefined) delete captured[key];
    this.current.push(captured);
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: this.upstreamPort,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          this.record(req, answer.statusCode ?? 0, body);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.flushHeaders();
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        this.record(req, 502, body);
        res.destroy();
      });
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    });
  }

  /** Upgrades (exec, attach, port-forward) are passed through as raw bytes; the status line is logged. */
  private tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const upstream = net.connect(this.upstreamPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length > 0) upstream.write(head);
    });
    let logged = false;
    upstream.once('data', (first: Buffer) => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(first.toString('latin1'));
      this.record(req, status ? Number(status[1]) : 502);
      logged = true;
      socket.write(first);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const end = () => {
      if (!logged) this.record(req, 502);
      logged = true;
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', end);
    upstream.on('close', end);
    socket.on('error', end);
    socket.on('close', end);
  }
}

async function startEngine(): Promise<{ child: ChildProcess; kubeconfig: string }> {
  const child = spawn(
    process.execPath,
    ['-r', './scripts/swc-register.cjs', 'src/engine/cli/transcript.ts', 'serve'],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const first = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('engine serve did not start in 90 s')), 90_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, newline));
      }
    });
  });
  if (!first.startsWith('KUBECONFIG=')) throw new Error(`engine serve printed ${first}`);
  return { child, kubeconfig: first.slice('KUBECONFIG='.length) };
}

function runStep(binary: string, step: Step, dir: string, kubeconfig: string): Promise<number> {
  const editor = path.join(dir, 'editor.sh');
  const env: Record<string, string> = {
    HOME: path.join(dir, 'home'),
    PATH: '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    KUBECONFIG: kubeconfig,
  };
  for (const [key, value] of Object.entries(step.env ?? {}))
    env[key] = value === 'EDITOR_SCRIPT' ? editor : value;
  const words = step.line.split(' ');
  const quoted = [binary, ...words].map((word) => `'${word}'`).join(' ');
  const [file, args] = step.tty ? ['/usr/bin/script', ['-qec', quoted, '/dev/null']] : [binary, words];
  return new Promise((resolve) => {
    const child = execFile(file, args, { cwd: dir, env, timeout: 30_000, killSignal: 'SIGKILL' }, (error) =>
      resolve(error ? (typeof error.code === 'number' ? error.code : 130) : 0),
    );
    if (step.stdin !== undefined) setTimeout(() => child.stdin?.write(step.stdin), 1500);
    if (step.lastsMs !== undefined) setTimeout(() => child.kill('SIGINT'), step.lastsMs);
    else child.stdin?.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const { child, kubeconfig: engineConfig } = await startEngine();
  const upstreamPort = Number(
    /server: http:\/\/127\.0\.0\.1:(\d+)/.exec(fs.readFileSync(engineConfig, 'utf8'))?.[1],
  );
  const proxy = new LoggingProxy(upstreamPort);
  await proxy.listen();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-capture-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    clientKubeconfigText({ server: `http://127.0.0.1:${proxy.port}`, token: 'capture' }),
  );
  fs.writeFileSync(path.join(dir, 'api.yaml'), API_YAML);
  fs.writeFileSync(path.join(dir, 'api2.yaml'), API_YAML.replace('nginx:1.27', 'nginx:1.28'));
  fs.writeFileSync(path.join(dir, 'web.yaml'), WEB_YAML);
  for (const ns of ['k130', 'k133'])
    fs.writeFileSync(
      path.join(dir, `ns-${ns}.yaml`),
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    );
  fs.writeFileSync(
    path.join(dir, 'editor.sh'),
    '#!/bin/sh\nsed -i \'s/replicas: [0-9]*/replicas: 2/\' "$1"\n',
    {
      mode: 0o755,
    },
  );
  const lines: CapturedLine[] = [];
  const capturedWith: Record<string, string> = {};
  const clients: { client: string; binary: string; steps: Step[] }[] = [
    { client: 'kubectl.1.30', binary: `${BIN}/kubectl.1.30`, steps: scenario('k130') },
    { client: 'kubectl.1.33', binary: `${BIN}/kubectl.1.33`, steps: scenario('k133') },
    { client: 'dispatcher', binary: '/usr/bin/kubectl', steps: DISPATCHER },
  ];
  try {
    for (const { client, binary, steps } of clients) {
      fs.rmSync(path.join(dir, 'home'), { recursive: true, force: true });
      fs.mkdirSync(path.join(dir, 'home'));
      for (const step of steps) {
        proxy.begin();
        const exitCode = await runStep(binary, step, dir, kubeconfig);
        await sleep(300); // a killed line's streams close
        lines.push({ client, line: `kubectl ${step.line}`, exitCode, requests: proxy.take() });
        process.stderr.write(`${client}: kubectl ${step.line} -> ${exitCode}\n`);
        if (step.settleMs) await sleep(step.settleMs);
      }
      const agent = lines.at(-1)?.requests.find((request) => request.userAgent)?.userAgent;
      if (agent) capturedWith[client] = agent;
    }
    proxy.begin();
    const curl = await new Promise<number>((resolve) =>
      execFile(
        '/usr/bin/curl',
        ['-s', `http://127.0.0.1:${proxy.port}/api/v1/namespaces/default/pods`],
        (error) => resolve(error ? 1 : 0),
      ),
    );
    lines.push({
      client: 'curl',
      line: 'curl .../api/v1/namespaces/default/pods',
      exitCode: curl,
      requests: proxy.take(),
    });
    proxy.begin();
    const nodeClient = await clientNode(kubeconfig);
    lines.push({
      client: 'client-node',
      line: nodeClient.line,
      exitCode: nodeClient.exitCode,
      requests: proxy.take(),
    });
  } finally {
    proxy.close();
    child.stdin?.end();
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // Written as the repository's formatter writes JSON, so `npm run format:check` accepts the generated file.
  const prettier = await import('prettier');
  const text = JSON.stringify({ capturedWith, lines } satisfies CaptureFile);
  const options = (await prettier.resolveConfig(OUT)) ?? {};
  fs.writeFileSync(OUT, await prettier.format(text, { ...options, filepath: OUT }));
  process.stderr.write(`wrote ${lines.length} lines to ${OUT}\n`);
}

/** @kubernetes/client-node 1.x (an ES module, so in a child node): list pods, create and delete a config map. */
const CLIENT_NODE = `import * as k8s from '@kubernetes/client-node';
const config = new k8s.KubeConfig();
config.loadFromFile(process.argv[1]);
// The capture proxy is plain http, which client-node refuses unless told to skip TLS checks.
config.clusters = config.clusters.map((cluster) => ({ ...cluster, skipTLSVerify: true }));
const core = config.makeApiClient(k8s.CoreV1Api);
await core.listNamespacedPod({ namespace: 'default' });
await core.createNamespacedConfigMap({ namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-node' }, data: { a: 'b' } } });
await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'from-node' });`;

function clientNode(kubeconfig: string): Promise<{ line: string; exitCode: number }> {
  const line = 'client-node: list pods, create and delete configmap from-node';
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      ['--input-type=module', '-e', CLIENT_NODE, kubeconfig],
      { cwd: ROOT, timeout: 30_000 },
      (error, _stdout, stderr) => {
        if (error) process.stderr.write(`client-node: ${stderr}\n`);
        resolve({ line, exitCode: error ? 1 : 0 });
      },
    ),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
