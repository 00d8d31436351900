/**
 * `npm run bench:capacity`: how many students one machine serves while a command's submit → exit stays at
 * p99 <= 50 ms. Ramps a class (one command a second per student, every 4th changing the cluster and graded, as
 * bench:commands) in steps; each step enrols the new students, warms their clusters, then drives the whole class
 * for a warm-up and a measured steady window. The ramp stops at the first step that does not hold: steady p99 over
 * 50 ms, or any command refused, failed or without an exit. Prints first the line
 * `capacity: N students at p99 <= 50 ms (workers W, cores C)`, then a row per step with where the CPU went: the
 * platform's API and worker processes, the benchmark's own clients, the whole machine.
 *
 * The clients run on the same machine, in BENCH_CLIENT_PROCESSES child processes (default 1 per 600 students of
 * BENCH_MAX_STUDENTS, at most the number of cores), so that no single Node process holds more than a few hundred
 * sockets; each process's event-loop delay is reported, since a client too busy to read its sockets adds latency
 * of its own.
 *
 * Environment: BENCH_WORKERS (worker processes; default the number of cores), BENCH_STEP (200), BENCH_START
 * (first step; default BENCH_STEP), BENCH_MAX_STUDENTS (2000), BENCH_STEP_SECONDS (measured window, 20),
 * BENCH_WARMUP_SECONDS (5), BENCH_CLIENT_PROCESSES. Against a platform without worker placement (no `workers`
 * option in test/support/platform.ts) it runs the one worker there is and reports workers 1.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { TestPlatform } from '../test/support/platform';
import { startBenchPlatform } from './support/bench-platform';
import { ClientPool } from './support/client-pool';
import { coreShare, machineCpuMs, processCpuMs } from './support/cpu';
import { positiveIntegerEnv } from './support/env';
import { load, percentile } from './support/stats';

const P99_LIMIT_MS = 50;
const LAB_ID = 'lec7-k8s-basics';
const CORES = availableParallelism();

const WORKERS = positiveIntegerEnv('BENCH_WORKERS', CORES);
const STEP = positiveIntegerEnv('BENCH_STEP', 200);
const START = positiveIntegerEnv('BENCH_START', STEP);
const MAX_STUDENTS = positiveIntegerEnv('BENCH_MAX_STUDENTS', 2000);
const STEP_SECONDS = positiveIntegerEnv('BENCH_STEP_SECONDS', 20);
const WARMUP_SECONDS = positiveIntegerEnv('BENCH_WARMUP_SECONDS', 5);
const CLIENT_PROCESSES = positiveIntegerEnv(
  'BENCH_CLIENT_PROCESSES',
  Math.min(CORES, Math.ceil(MAX_STUDENTS / 600)),
);
/** After the last submission, how long the last exits may take before they count as lost. */
const GRACE_SECONDS = 3;

interface StepRow {
  students: number;
  holds: boolean;
  commandsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  errorKinds: Record<string, number>;
  refusals: number;
  withoutExit: number;
  /** CPU over the step's drive, % of one core. */
  clientCpu: number;
  clientLoopP99: number;
  apiCpu: number;
  workersCpu: number;
  /** Busy share of the whole machine (all cores), %. */
  machineBusy: number;
  /** The clients' share of the machine's busy time, %. */
  clientShare: number;
  load: string;
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  progress(`Starting the platform (API and ${WORKERS} worker processes asked)…`);
  const { platform, workers } = await startBenchPlatform(WORKERS);
  const pool = ClientPool.start(CLIENT_PROCESSES);
  const rows: StepRow[] = [];
  let setupMs = 0;
  try {
    for (let students = START; students <= MAX_STUDENTS; students += STEP) {
      const enrolling = performance.now();
      progress(`Enrolling students ${pool.size + 1}–${students} and starting their clusters…`);
      await pool.growTo(students, platform, LAB_ID);
      setupMs += performance.now() - enrolling;
      progress(`  set-up so far ${(setupMs / 1000).toFixed(1)} s; driving ${students} students…`);
      const row = await measureStep(platform, pool, workers, students);
      rows.push(row);
      progress(`  ${formatRow(row)}`);
      if (!row.holds) break;
      // Let the last gradings land before the next step.
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  } finally {
    await pool.close();
    await platform.stop();
  }
  const held = rows.filter((row) => row.holds);
  const capacity = held.length > 0 ? held[held.length - 1].students : 0;
  const lines = [
    `capacity: ${capacity} students at p99 <= ${P99_LIMIT_MS} ms (workers ${workers.length}, cores ${CORES})`,
    '',
    `bench:capacity — one command a second per student, every 4th changing the cluster (lab ${LAB_ID}); per step ${WARMUP_SECONDS} s warm-up, then ${STEP_SECONDS} s measured; API and ${workers.length} worker process(es); clients in ${CLIENT_PROCESSES} process(es) on the same machine`,
    `set-up (registration, cluster start, first command and grading): ${(setupMs / 1000).toFixed(1)} s for ${pool.size} students`,
    '',
    `students  commands/s  p50 ms  p99 ms  errors  refusals  no exit  clients %core (share, loop p99)  API %core  workers %core  machine busy  load average (1, 5, 15 min)`,
    ...rows.map(formatRow),
    ...rows.flatMap((row) =>
      Object.entries(row.errorKinds).map(
        ([kind, count]) => `  ${row.students} students: error ×${count}: ${kind}`,
      ),
    ),
    '',
    ...(rows.length > 0 && rows[rows.length - 1].holds
      ? [`(every step held up to BENCH_MAX_STUDENTS=${MAX_STUDENTS}: the capacity is at least ${capacity})`]
      : []),
    `%core: CPU time over the step's drive (warm-up and window) as a share of one core; share: the clients' part of the machine's busy time`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  process.exit(0);
}

async function measureStep(
  platform: TestPlatform,
  pool: ClientPool,
  workers: TestPlatform['workers'],
  students: number,
): Promise<StepRow> {
  const workerPids = workers.map((worker) => worker.child?.pid);
  const sum = (pids: (number | undefined)[]) =>
    pids.reduce<number>((total, pid) => total + processCpuMs(pid), 0);
  const before = {
    api: processCpuMs(platform.api.child?.pid),
    workers: sum(workerPids),
    machine: machineCpuMs(),
  };
  const started = performance.now();
  const result = await pool.drive({
    seconds: WARMUP_SECONDS + STEP_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    changeEvery: 4,
    graceSeconds: GRACE_SECONDS,
  });
  const wallMs = performance.now() - started;
  const machine = machineCpuMs();
  const machineBusyMs = machine.busy - before.machine.busy;
  const errors = Object.values(result.errors).reduce((total, count) => total + count, 0);
  const p99 = percentile(result.exitMs, 99);
  return {
    students,
    holds:
      p99 <= P99_LIMIT_MS &&
      errors === 0 &&
      result.refusals === 0 &&
      result.withoutExit === 0 &&
      result.completed > 0,
    commandsPerSecond: result.completed / STEP_SECONDS,
    p50: percentile(result.exitMs, 50),
    p99,
    errors,
    errorKinds: result.errors,
    refusals: result.refusals,
    withoutExit: result.withoutExit,
    clientCpu: coreShare(result.clientCpuMs, wallMs),
    clientLoopP99: result.loopDelayP99Ms,
    apiCpu: coreShare(processCpuMs(platform.api.child?.pid) - before.api, wallMs),
    workersCpu: coreShare(sum(workerPids) - before.workers, wallMs),
    machineBusy: (100 * machineBusyMs) / (machine.total - before.machine.total || 1),
    clientShare: (100 * result.clientCpuMs) / (machineBusyMs || 1),
    load: load(),
  };
}

function formatRow(row: StepRow): string {
  const cells = [
    String(row.students).padStart(8),
    row.commandsPerSecond.toFixed(1).padStart(10),
    row.p50.toFixed(1).padStart(6),
    row.p99.toFixed(1).padStart(6),
    String(row.errors).padStart(6),
    String(row.refusals).padStart(8),
    String(row.withoutExit).padStart(7),
    `${row.clientCpu.toFixed(0)} % (${row.clientShare.toFixed(0)} %, ${row.clientLoopP99.toFixed(0)} ms)`.padEnd(
      31,
    ),
    `${row.apiCpu.toFixed(0)} %`.padStart(9),
    `${row.workersCpu.toFixed(0)} %`.padStart(13),
    `${row.machineBusy.toFixed(0)} %`.padStart(12),
    ` ${row.load}${row.holds ? '' : '   ← over'}`,
  ];
  return cells.join('  ');
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
