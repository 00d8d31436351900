/**
 * `npm run bench:engine`: the embedded engine's cost per student, for three workloads in the same run.
 * - `lab`: the first lab's state: deployment yanwei.app scaled to 3, exposed as a NodePort service, the ManualClock
 *   advanced until all pods are Running (the baseline of the other two);
 * - `+config` (issue 13): also a namespace `lab` with a ConfigMap and a Secret (kubectl create namespace / configmap /
 *   secret generic);
 * - `+workloads` (issue 14): `+config` and also a Job run to completion and a StatefulSet of 2 with its headless
 *   Service, every pod Running or Completed.
 * - `+storage-net` (issue 17): `+workloads` and also the metrics-server add-on, a PersistentVolumeClaim (bound by
 *   the storage provisioner), an Ingress and an HPA for the lab deployment; an HPA re-checks every 15 s, so the
 *   clock is advanced to STORAGE_NET_HORIZON_MS after the start (the metrics-server pod Running and its scrapes
 *   done, so `kubectl top pod` answers) instead of until nothing is scheduled.
 * For each: BENCH_CLUSTERS (5000) clusters created after BENCH_WARMUP (300) dropped ones; clusters per second (wall
 * and CPU time), heap bytes per cluster (gc before/after, all kept alive); then latency through LabTerminal of
 * `kubectl get pods -o wide`, `kubectl describe pod <name>` and `kubectl get all -A` (and `kubectl top pod` for
 * `+storage-net`) over BENCH_SAMPLES (3000) calls spread over the clusters, p50/p99, next to a bare JSON.stringify
 * of the same cluster's pod list.
 * BENCH_ROUNDS (1) repeats the workloads in turn; figures are the median over rounds. BENCH_ONLY=lab,+config picks
 * some.
 * Targets on the 2-core machine: <= 256 KiB per cluster, >= 1000 clusters/s, get pods p99 <= 1 ms,
 * get all -A p99 <= 2 ms.
 */
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../src/engine/clock/clock';
import type { KubeObject } from '../src/engine/api/types';
import { createCluster, type Cluster } from '../src/engine/cluster';
import { LabTerminal, type TerminalIO } from '../src/engine/terminal';

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 5000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 3000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);

type Workload = 'lab' | '+config' | '+workloads' | '+storage-net';
const WORKLOADS: Workload[] = ['lab', '+config', '+workloads', '+storage-net'];
const ONLY = process.env.BENCH_ONLY?.split(',') ?? WORKLOADS;
for (const name of ONLY)
  if (!WORKLOADS.includes(name as Workload)) throw new Error(`BENCH_ONLY: unknown workload ${name}`);
const START = Date.UTC(2024, 5, 3, 2, 15, 0);
/** `+storage-net`: metrics-server's pod is Ready within ~20 s and scrapes every 60 s from then. */
const STORAGE_NET_HORIZON_MS = 150_000;

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

/** The StatefulSet of 2 of `+workloads` and its headless Service (through the same API server as kubectl). */
function createStatefulSet(cluster: Cluster): void {
  const labels = { app: 'db' };
  cluster.api.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db', namespace: 'lab', labels },
    spec: { clusterIP: 'None', selector: labels, ports: [{ port: 6379 }] },
  } as KubeObject);
  cluster.api.create({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'lab' },
    spec: {
      serviceName: 'db',
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'redis', image: 'redis:7', ports: [{ containerPort: 6379 }] }] },
      },
    },
  } as KubeObject);
}

/** The PVC of `+storage-net` (no kubectl create verb for it: applied like a student would). */
const PVC_MANIFEST = `kubectl apply -f - <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: lab
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
EOF`;

async function labStudent(seed: number, workload: Workload): Promise<Student> {
  const clock = new ManualClock(START);
  const cluster = createCluster({ seed, clock });
  const terminal = new LabTerminal(cluster);
  await run(
    terminal,
    'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
  );
  await run(terminal, 'kubectl scale deployments/yanwei.app --replicas=3');
  await run(terminal, 'kubectl expose deployment/yanwei.app --type="NodePort" --port 8080 --name yanwei');
  if (workload !== 'lab') {
    await run(terminal, 'kubectl create namespace lab');
    await run(
      terminal,
      'kubectl create configmap app-config --from-literal=mode=prod --from-literal=lives=3 -n lab',
    );
    await run(terminal, 'kubectl create secret generic db --from-literal=password=S3cr3t! -n lab');
  }
  const storageNet = workload === '+storage-net';
  if (workload === '+workloads' || storageNet) {
    await run(terminal, "kubectl create job hello --image=busybox:1.36 -- sh -c 'echo hello'");
    createStatefulSet(cluster);
  }
  if (storageNet) {
    await run(terminal, 'minikube addons enable metrics-server');
    await run(terminal, PVC_MANIFEST);
    await run(terminal, 'kubectl create ingress yanwei --rule="yanwei.info/*=yanwei:8080"');
    // --min=3: the deployment keeps its 3 pods (its pods request no CPU, so the HPA could not scale it anyway).
    await run(terminal, 'kubectl autoscale deployment yanwei.app --cpu-percent=50 --min=3 --max=5');
  }
  // Discrete-event waiting: jump the clock to each next due change until nothing more is scheduled (or, with an
  // HPA's periodic checks, until the horizon).
  const horizon = storageNet ? START + STORAGE_NET_HORIZON_MS : undefined;
  for (let due = cluster.nextDueAt(); due !== undefined; due = cluster.nextDueAt()) {
    if (horizon !== undefined && due > horizon) break;
    if (due - START > 120_000 && horizon === undefined)
      throw new Error(`seed ${seed}: still busy after 120 s`);
    clock.set(Math.max(due, clock.now()));
    cluster.sync();
  }
  if (horizon !== undefined) {
    clock.set(horizon);
    cluster.sync();
  }
  const phases = (namespace: string) =>
    cluster.api
      .list('pods', { namespace })
      .map((p) => (p.status as { phase?: string } | undefined)?.phase ?? 'Unknown');
  const lab = phases('default');
  const withWorkloads = workload === '+workloads' || storageNet;
  const expected = withWorkloads ? ['Running', 'Running', 'Running', 'Succeeded'] : Array(3).fill('Running');
  if (lab.sort().join() !== expected.join()) throw new Error(`seed ${seed}: default pods are ${lab.join()}`);
  if (withWorkloads && phases('lab').join() !== 'Running,Running')
    throw new Error(`seed ${seed}: StatefulSet pods are ${phases('lab').join()}`);
  if (storageNet) {
    const claim = cluster.api.get('persistentvolumeclaims', 'lab', 'data');
    const phase = (claim.status as { phase?: string } | undefined)?.phase;
    if (phase !== 'Bound') throw new Error(`seed ${seed}: PVC data is ${phase}`);
    // Exits non-zero (and run() throws) until metrics-server has served a scrape.
    await run(terminal, 'kubectl top pod');
  }
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
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor((values.length - 1) / 2)];

interface Figures {
  perSecondWall: number;
  perSecondCpu: number;
  heapPerCluster: number;
  latency: Record<string, { p50: number; p99: number }>;
}

/** The timed command lines; `only`: the workloads where it can run (top needs the metrics-server add-on). */
const LINES: Array<[label: string, line: (s: Student) => string, only?: Workload[]]> = [
  ['kubectl get pods -o wide', () => 'kubectl get pods -o wide'],
  [
    'kubectl describe pod <name>',
    (s) => `kubectl describe pod ${s.cluster.api.list('pods', { namespace: 'default' })[0].metadata.name}`,
  ],
  ['kubectl get all -A', () => 'kubectl get all -A'],
  ['kubectl top pod', () => 'kubectl top pod', ['+storage-net']],
];
const linesFor = (workload: Workload) => LINES.filter(([, , only]) => !only || only.includes(workload));

async function measureWorkload(workload: Workload): Promise<Figures> {
  // Warm-up (not measured, then dropped): records the boot image and lets the JIT optimise the hot paths,
  // so the figures describe the steady state of a long-running worker.
  for (let i = 0; i < WARMUP; i++) await labStudent(1_000_000 + i, workload);
  const before = heapUsed();
  const students: Student[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 1; i <= CLUSTERS; i++) students.push(await labStudent(i, workload));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const after = heapUsed();
  const latency: Figures['latency'] = {};
  for (const [label, line] of linesFor(workload)) {
    const sorted = await measure(label, students, line);
    latency[label] = { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  }
  const base = baseline(students);
  latency.baseline = { p50: percentile(base, 50), p99: percentile(base, 99) };
  if (students.length !== CLUSTERS) throw new Error('lost clusters');
  return {
    perSecondWall: CLUSTERS / elapsed,
    perSecondCpu: CLUSTERS / ((cpu.user + cpu.system) / 1e6),
    heapPerCluster: (after - before) / CLUSTERS,
    latency,
  };
}

const DESCRIPTIONS: Record<Workload, string> = {
  lab: 'lab deployment x3 + NodePort service, pods Running; the baseline',
  '+config': 'lab + namespace, ConfigMap, Secret',
  '+workloads': 'lab + namespace, ConfigMap, Secret + a Job run to completion + a StatefulSet of 2',
  '+storage-net': '+workloads + metrics-server, a bound PVC, an Ingress, an HPA; clock run to 150 s',
};

function report(workload: Workload, rounds: Figures[], labRate: number | undefined): void {
  const rate = median(rounds.map((r) => r.perSecondWall));
  const out = process.stdout;
  out.write(`${workload}: ${CLUSTERS} clusters (${DESCRIPTIONS[workload]})${ROUNDS > 1 ? `, median of ${ROUNDS} rounds` : ''}
`);
  out.write(
    `  clusters/s (wall):        ${rate.toFixed(0)}   [target >= 1000]${labRate ? `   x${(rate / labRate).toFixed(2)} of lab` : ''}
`,
  );
  out.write(`  clusters/s (CPU time):    ${median(rounds.map((r) => r.perSecondCpu)).toFixed(0)}
`);
  const heap = median(rounds.map((r) => r.heapPerCluster));
  out.write(
    `  heap per cluster:         ${(heap / 1024).toFixed(1)} KiB (${Math.round(heap)} bytes)   [target <= 256 KiB]
`,
  );
  const at = (label: string, p: 'p50' | 'p99') => median(rounds.map((r) => r.latency[label][p]));
  const b50 = at('baseline', 'p50');
  const b99 = at('baseline', 'p99');
  out.write(`  latency over ${SAMPLES} calls (LabTerminal.run, includes cluster.sync):
`);
  for (const [label] of linesFor(workload)) {
    const p50 = at(label, 'p50');
    const p99 = at(label, 'p99');
    out.write(
      `    ${label.padEnd(30)} p50 ${ms(p50)}  p99 ${ms(p99)}   x${(p50 / b50).toFixed(1)} / x${(p99 / b99).toFixed(1)} of baseline
`,
    );
  }
  out.write(`    ${'baseline JSON.stringify(pods)'.padEnd(30)} p50 ${ms(b50)}  p99 ${ms(b99)}
`);
  out.write(
    `  get pods p99 <= 1 ms: ${at(LINES[0][0], 'p99') <= 1 ? 'met' : 'NOT met'}; get all -A p99 <= 2 ms: ${at(LINES[2][0], 'p99') <= 2 ? 'met' : 'NOT met'}
`,
  );
}

async function main(): Promise<void> {
  const chosen = WORKLOADS.filter((w) => ONLY.includes(w));
  const figures = new Map<Workload, Figures[]>(chosen.map((w) => [w, []]));
  // Rounds go through the workloads in turn, so a slower moment of the machine falls on all of them alike.
  for (let round = 0; round < ROUNDS; round++)
    for (const workload of chosen) figures.get(workload)!.push(await measureWorkload(workload));
  const labRounds = figures.get('lab');
  const labRate = labRounds ? median(labRounds.map((r) => r.perSecondWall)) : undefined;
  for (const workload of chosen)
    report(workload, figures.get(workload)!, workload === 'lab' ? undefined : labRate);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
