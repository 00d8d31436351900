/**
 * `npm run bench:engine`: the embedded engine's cost per student.
 * 1. Creates BENCH_CLUSTERS (5000) clusters, each driven through LabTerminal to the lab's state: deployment
 *    yanwei.app scaled to 3, exposed as a NodePort service, the ManualClock advanced until all pods are Running.
 *    Prints clusters per second (wall and CPU time) and heap bytes per cluster (gc before/after, all kept alive).
 * 2. Latency through LabTerminal of `kubectl get pods -o wide` and `kubectl describe pod <name>` over
 *    BENCH_SAMPLES (3000) calls spread over the clusters: p50/p99, next to a baseline measured in the same
 *    run (a bare JSON.stringify of the same cluster's pod list) and the ratio to it.
 * BENCH_WARMUP (300) clusters are run first and dropped. BENCH_CONFIG=1 also gives each cluster a namespace `lab`
 * with a ConfigMap and a Secret (kubectl create namespace / configmap / secret generic).
 * Targets on the 2-core machine: <= 256 KiB per cluster, >= 1000 clusters/s, get pods p99 <= 1 ms.
 */
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../src/engine/clock/clock';
import { createCluster, type Cluster } from '../src/engine/cluster';
import { LabTerminal, type TerminalIO } from '../src/engine/terminal';

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 5000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 3000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const CONFIG = process.env.BENCH_CONFIG === '1';
/** BENCH_BATCH=1: each cluster also runs a Job to completion (issue 14). */
const BATCH = process.env.BENCH_BATCH === '1';
const START = Date.UTC(2024, 5, 3, 2, 15, 0);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('run with node --expose-gc (npm run bench:engine does)\n');
  process.exit(2);
}

interface Student {
  clock: ManualClock;
  cluster: Cluster;
  terminal: LabTerminal;
}

class Sink implements TerminalIO {
  out = '';
  err = '';
  stdout(chunk: string): void {
    this.out += chunk;
  }
  stderr(chunk: string): void {
    this.err += chunk;
  }
}

async function run(terminal: LabTerminal, line: string): Promise<Sink> {
  const sink = new Sink();
  const code = await terminal.run(line, sink);
  if (code !== 0) throw new Error(`"${line}" exited ${code}: ${sink.err}`);
  return sink;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

async function labStudent(seed: number): Promise<Student> {
  const clock = new ManualClock(START);
  const cluster = createCluster({ seed, clock });
  const terminal = new LabTerminal(cluster);
  await run(
    terminal,
    'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
  );
  await run(terminal, 'kubectl scale deployments/yanwei.app --replicas=3');
  await run(terminal, 'kubectl expose deployment/yanwei.app --type="NodePort" --port 8080 --name yanwei');
  if (CONFIG) {
    await run(terminal, 'kubectl create namespace lab');
    await run(
      terminal,
      'kubectl create configmap app-config --from-literal=mode=prod --from-literal=lives=3 -n lab',
    );
    await run(terminal, 'kubectl create secret generic db --from-literal=password=S3cr3t! -n lab');
  }
  if (BATCH) await run(terminal, "kubectl create job hello --image=busybox:1.36 -- sh -c 'echo hello'");
  // Discrete-event waiting: jump the clock to each next due change until nothing more is scheduled.
  for (let due = cluster.nextDueAt(); due !== undefined; due = cluster.nextDueAt()) {
    if (due - START > 120_000) throw new Error(`seed ${seed}: still busy after 120 s`);
    clock.set(Math.max(due, clock.now()));
    cluster.sync();
  }
  const pods = cluster.api
    .list('pods', { namespace: 'default' })
    .filter((p) => !p.metadata.labels?.['job-name']);
  const running = pods.filter(
    (p) => (p.status as { phase?: string } | undefined)?.phase === 'Running',
  ).length;
  if (pods.length !== 3 || running !== 3)
    throw new Error(`seed ${seed}: ${running}/${pods.length} pods Running`);
  return { clock, cluster, terminal };
}

async function measure(label: string, students: Student[], line: (s: Student) => string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const student = students[(i * 7919) % students.length];
    const text = line(student);
    const sink = new Sink();
    const started = performance.now();
    await student.terminal.run(text, sink);
    samples.push(performance.now() - started);
    if (sink.err) throw new Error(`${label}: ${sink.err}`);
  }
  return samples.sort((a, b) => a - b);
}

function baseline(students: Student[]): number[] {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const student = students[(i * 7919) % students.length];
    const pods = student.cluster.api.list('pods', { namespace: 'default' });
    const started = performance.now();
    bytes += JSON.stringify(pods).length;
    samples.push(performance.now() - started);
  }
  if (bytes === 0) throw new Error('baseline printed nothing');
  return samples.sort((a, b) => a - b);
}

const ms = (v: number) => `${v.toFixed(3)} ms`;

async function main(): Promise<void> {
  // Warm-up (not measured, then dropped): records the boot image and lets the JIT optimise the hot paths,
  // so the figures describe the steady state of a long-running worker.
  for (let i = 0; i < WARMUP; i++) await labStudent(1_000_000 + i);
  const before = heapUsed();
  const students: Student[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 1; i <= CLUSTERS; i++) students.push(await labStudent(i));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const after = heapUsed();
  const perCluster = (after - before) / CLUSTERS;

  process.stdout.write(
    `Engine benchmark: ${CLUSTERS} clusters (lab deployment x3 + NodePort service, pods Running${CONFIG ? ' + namespace, ConfigMap, Secret' : ''}${BATCH ? ' + a Job run to completion' : ''})\n`,
  );
  process.stdout.write(`  clusters/s (wall):        ${(CLUSTERS / elapsed).toFixed(0)}   [target >= 1000]\n`);
  process.stdout.write(
    `  clusters/s (CPU time):    ${(CLUSTERS / ((cpu.user + cpu.system) / 1e6)).toFixed(0)}\n`,
  );
  process.stdout.write(
    `  heap per cluster:         ${(perCluster / 1024).toFixed(1)} KiB (${Math.round(perCluster)} bytes)   [target <= 256 KiB]\n`,
  );

  const getPods = await measure('get pods', students, () => 'kubectl get pods -o wide');
  const describe = await measure('describe pod', students, (s) => {
    const pod = s.cluster.api.list('pods', { namespace: 'default' })[0];
    return `kubectl describe pod ${pod.metadata.name}`;
  });
  const base = baseline(students);
  const b50 = percentile(base, 50);
  const b99 = percentile(base, 99);
  const row = (name: string, sorted: number[]) => {
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    return `  ${name.padEnd(30)} p50 ${ms(p50)}  p99 ${ms(p99)}   x${(p50 / b50).toFixed(1)} / x${(p99 / b99).toFixed(1)} of baseline\n`;
  };
  process.stdout.write(`Latency over ${SAMPLES} calls (LabTerminal.run, includes cluster.sync):\n`);
  process.stdout.write(row('kubectl get pods -o wide', getPods));
  process.stdout.write(row('kubectl describe pod <name>', describe));
  process.stdout.write(`  ${'baseline JSON.stringify(pods)'.padEnd(30)} p50 ${ms(b50)}  p99 ${ms(b99)}\n`);
  process.stdout.write(
    `  get pods p99 target <= 1 ms: ${percentile(getPods, 99) <= 1 ? 'met' : 'NOT met'}\n`,
  );
  if (students.length !== CLUSTERS) throw new Error('lost clusters');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
