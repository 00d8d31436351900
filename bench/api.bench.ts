/**
 * `npm run bench:api`: one engine cluster's Kubernetes API served over HTTP (src/engine/http) on 127.0.0.1.
 * 1. Requests per second and p50/p99 latency of `GET /api/v1/namespaces/default/pods` answered as a Table (the
 *    request `kubectl get pods` makes), BENCH_API_REQUESTS (5000) sequential requests on a keep-alive connection
 *    after BENCH_API_WARMUP (500), with the lab's deployment scaled to 3 pods.
 * 2. Memory of BENCH_API_WATCHES (1000) idle watches (heap + external, gc before/after), and that it returns
 *    once they are dropped.
 * 3. Wall time of real kubectl `get pods` (process start included, the dispatcher /usr/bin/kubectl) against the
 *    server, next to the built-in terminal's `kubectl get pods` on a twin cluster, in the same run.
 * Through the platform (issue 20: API process with its TLS listener, BENCH_WORKERS (1) worker processes with the relay,
 * as the tests start them; bench/support/kube-api-class.ts):
 * 4. Real kubectl `get pods` with a student's downloaded kubeconfig (process start included; the dispatcher
 *    /usr/bin/kubectl and kubectl.1.30 itself), p50 over BENCH_API_KUBECTL_RUNS, against the same command in the
 *    web terminal (submit → exit), taken in turns.
 * 5. BENCH_API_STUDENTS (200) students each with one open watch and one `GET pods` (as a Table) a second for
 *    BENCH_API_SECONDS (20): p50/p99, errors, watches lost, and the platform's CPU per request.
 * BENCH_API_ONLY=engine or platform runs one half.
 * Targets: served GET p99 <= 2 ms; 1,000 idle watches <= 50 MiB.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../src/engine/clock/clock';
import { createCluster, type Cluster } from '../src/engine/cluster';
import { ApiHandler } from '../src/engine/http/handler';
import { LabTerminal } from '../src/engine/terminal';
import { startBenchPlatform } from './support/bench-platform';
import { processCpuMs } from './support/cpu';
import { positiveIntegerEnv } from './support/env';
import { classLoad, kubeApiStudents, kubectlAgainstTerminal } from './support/kube-api-class';
import { load } from './support/stats';

const REQUESTS = Number(process.env.BENCH_API_REQUESTS ?? 5000);
const WARMUP = Number(process.env.BENCH_API_WARMUP ?? 500);
const WATCHES = Number(process.env.BENCH_API_WATCHES ?? 1000);
const KUBECTL_RUNS = Number(process.env.BENCH_API_KUBECTL_RUNS ?? 10);
const KUBECTL = '/usr/bin/kubectl';
const KUBECTL_VERSIONED = '/usr/lib/google-cloud-sdk/bin/kubectl.1.30';
const STUDENTS = positiveIntegerEnv('BENCH_API_STUDENTS', 200);
const SECONDS = positiveIntegerEnv('BENCH_API_SECONDS', 20);
const WORKERS = positiveIntegerEnv('BENCH_WORKERS', 1);
const ONLY = process.env.BENCH_API_ONLY;
const START = Date.UTC(2024, 5, 3, 2, 15, 0);
const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('run with node --expose-gc (npm run bench:api does)\n');
  process.exit(2);
}

async function labCluster(): Promise<{ cluster: Cluster; terminal: LabTerminal }> {
  const clock = new ManualClock(START);
  const cluster = createCluster({ seed: 1, clock });
  const terminal = new LabTerminal(cluster);
  const io = { stdout: () => undefined, stderr: () => undefined };
  await terminal.run(
    'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
    io,
  );
  await terminal.run('kubectl scale deployments/yanwei.app --replicas=3', io);
  clock.advance(60_000);
  cluster.sync();
  return { cluster, terminal };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function memory(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

const MiB = 1024 * 1024;

async function main(): Promise<void> {
  if (ONLY !== 'platform') await engineServer();
  if (ONLY !== 'engine') await throughThePlatform();
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** Parts 4 and 5: the student's own kubectl and a class of API clients, through the platform. */
async function throughThePlatform(): Promise<void> {
  progress(`Starting the platform (API and ${WORKERS} worker process(es))…`);
  const { platform, workers } = await startBenchPlatform(WORKERS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-bench-api-platform-'));
  try {
    progress(`Enrolling ${STUDENTS} students and starting their clusters…`);
    const students = await kubeApiStudents(platform, STUDENTS, 'lec7-k8s-basics');
    // The dispatcher (/usr/bin/kubectl) first asks the server's version and then runs the matching binary: the
    // versioned binary alone shows what that costs.
    const times = await kubectlAgainstTerminal(students[0], KUBECTL_RUNS, [KUBECTL, KUBECTL_VERSIONED], dir);
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      ).toFixed(1);
    console.log(
      `through the platform (API + ${workers.length} worker, TLS): kubectl get pods median of ${KUBECTL_RUNS} runs, process start included: real kubectl ${median(times.kubectl.get(KUBECTL)!)} ms (${KUBECTL}), ${median(times.kubectl.get(KUBECTL_VERSIONED)!)} ms (${KUBECTL_VERSIONED}); web terminal ${median(times.terminal)} ms (submit → exit); load ${load()}`,
    );
    progress(`${STUDENTS} students: one watch each and one GET pods a second for ${SECONDS} s…`);
    const cpu = () => ({
      api: processCpuMs(platform.api.child?.pid),
      workers: workers.reduce((sum, worker) => sum + processCpuMs(worker.child?.pid), 0),
    });
    const before = cpu();
    const result = await classLoad(students, SECONDS);
    const after = cpu();
    const latencies = [...result.latencies].sort((a, b) => a - b);
    const errors = Object.values(result.errors).reduce((sum, count) => sum + count, 0);
    const perRequest = (ms: number) => (ms / Math.max(1, result.requests)).toFixed(2);
    console.log(
      `${STUDENTS} students, one watch + one GET pods (Table) a second each, ${SECONDS} s: ${result.requests} GETs, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, errors ${errors}${errors ? ` ${JSON.stringify(result.errors)}` : ''}; watches ${result.watchesOpened} opened, ${result.watchesLost} lost; platform CPU per GET (watches included): API ${perRequest(after.api - before.api)} ms, workers ${perRequest(after.workers - before.workers)} ms; load ${load()}`,
    );
    for (const one of students) one.student.socket.disconnect();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await platform.stop();
  }
}

/** Parts 1–3: one engine cluster served over plain HTTP in this process. */
async function engineServer(): Promise<void> {
  const { cluster, terminal } = await labCluster();
  let port = 0;
  const handler = new ApiHandler({ cluster, address: (): string => `127.0.0.1:${port}` });
  const server = http.createServer(handler.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  const get = (urlPath: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path: urlPath, agent, headers: { Accept: TABLE_ACCEPT } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
    });

  // 1. GET pods as a Table.
  for (let i = 0; i < WARMUP; i++) await get('/api/v1/namespaces/default/pods?limit=500');
  const times: number[] = [];
  const began = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    const code = await get('/api/v1/namespaces/default/pods?limit=500');
    times.push(performance.now() - t);
    if (code !== 200) throw new Error(`GET pods answered ${code}`);
  }
  const wall = (performance.now() - began) / 1000;
  times.sort((a, b) => a - b);
  console.log(
    `GET /api/v1/namespaces/default/pods (Table): ${(REQUESTS / wall).toFixed(0)} req/s, p50 ${percentile(times, 50).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms (target p99 <= 2 ms)`,
  );

  // 2. Idle watches.
  const before = memory();
  const watchAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const requests: http.ClientRequest[] = [];
  await Promise.all(
    Array.from(
      { length: WATCHES },
      () =>
        new Promise<void>((resolve, reject) => {
          const req = http.get(
            {
              host: '127.0.0.1',
              port,
              agent: watchAgent,
              path: `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${cluster.revision}`,
            },
            (res) => {
              res.on('data', () => undefined);
              resolve();
            },
          );
          req.on('error', reject);
          requests.push(req);
        }),
    ),
  );
  const open = memory();
  console.log(
    `${WATCHES} idle watches: ${((open - before) / MiB).toFixed(1)} MiB (client and server in this process; target <= 50 MiB), ${handler.watches.count} open`,
  );
  for (const req of requests) req.destroy();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = memory();
  console.log(
    `after dropping them: ${((after - before) / MiB).toFixed(1)} MiB above the start, ${handler.watches.count} open`,
  );

  // 3. Real kubectl against the server vs the built-in terminal.
  if (!fs.existsSync(KUBECTL)) throw new Error(`${KUBECTL} is missing: the kubectl comparison needs it`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-bench-api-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: minikube',
      '  cluster:',
      `    server: http://127.0.0.1:${port}`,
      'contexts:',
      '- name: minikube',
      '  context: {cluster: minikube, namespace: default, user: minikube}',
      'current-context: minikube',
      'users:',
      '- name: minikube',
      '  user: {token: bench}',
      '',
    ].join('\n'),
  );
  const env = { HOME: dir, PATH: '/usr/bin:/bin', KUBECONFIG: kubeconfig };
  // The server runs in this process: kubectl runs asynchronously so the event loop can answer it.
  const runKubectl = () =>
    new Promise<number>((resolve, reject) => {
      const t = performance.now();
      execFile(KUBECTL, ['get', 'pods'], { env }, (error) =>
        error ? reject(error) : resolve(performance.now() - t),
      );
    });
  await runKubectl(); // fills the discovery cache, as a student's second command would find it
  const real: number[] = [];
  for (let i = 0; i < KUBECTL_RUNS; i++) real.push(await runKubectl());
  const builtin: number[] = [];
  const io = { stdout: () => undefined, stderr: () => undefined };
  for (let i = 0; i < KUBECTL_RUNS * 10; i++) {
    const t = performance.now();
    await terminal.run('kubectl get pods', io);
    builtin.push(performance.now() - t);
  }
  real.sort((a, b) => a - b);
  builtin.sort((a, b) => a - b);
  console.log(
    `kubectl get pods: real kubectl ${percentile(real, 50).toFixed(1)} ms median (process start included, ${KUBECTL_RUNS} runs), built-in terminal ${percentile(builtin, 50).toFixed(3)} ms median`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  handler.close();
  agent.destroy();
  server.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
