/**
 * `npm run bench:overload`: the platform under 3× its configured admission bound, and how soon it accepts
 * commands again once the load ends (issue 21's target: ≤ 5 s).
 *
 * The bound is ADMISSION_MAX_WAITING (waiting drains per worker's commands queue, one per session at most), set
 * here to BENCH_ADMISSION_MAX_WAITING (default 50). The load is W × (3 × bound + WORKER_CONCURRENCY) students, each
 * keeping one command in flight for BENCH_OVERLOAD_SECONDS (10): a new one as soon as the last exits, or 100 ms
 * after a refusal (pressing on rather than honouring the hint). Every worker then runs its WORKER_CONCURRENCY drains
 * with three times the bound waiting behind them, were they all admitted. One more student, the probe, submits a
 * `kubectl get pods` every 100 ms throughout (after the previous one's acknowledgement). Recovery is the time from the
 * load's end until the probe's commands are accepted and stay accepted (none refused in the 3 s after).
 *
 * Prints the recovery time first, then what the load saw: commands accepted, refused (with the retry hints given),
 * failed or timed out (no acknowledgement within 10 s), submit → exit of the accepted ones, and the commands left
 * without an exit 30 s after the load (which must be none: a refusal is the only way a command is turned away).
 * Environment: BENCH_WORKERS (default the number of cores), BENCH_ADMISSION_MAX_WAITING, BENCH_OVERLOAD_SECONDS,
 * WORKER_CONCURRENCY (50).
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { CommandRejected } from '../src/shared/events';
import { startBenchPlatform } from './support/bench-platform';
import { positiveIntegerEnv } from './support/env';
import { fmt, load, percentile } from './support/stats';
import { BenchStudent, enrolStudents, READ_COMMAND, warmUp } from './support/students';

const CORES = availableParallelism();
const WORKERS = positiveIntegerEnv('BENCH_WORKERS', CORES);
const BOUND = positiveIntegerEnv('BENCH_ADMISSION_MAX_WAITING', 50);
const OVERLOAD_SECONDS = positiveIntegerEnv('BENCH_OVERLOAD_SECONDS', 10);
const CONCURRENCY = positiveIntegerEnv('WORKER_CONCURRENCY', 50);
const PROBE_EVERY_MS = 100;
const REFUSED_RETRY_MS = 100;
/** Accepted for this long without a refusal: the platform has recovered. */
const STABLE_MS = 3000;
/** How long after the load the probe keeps trying before the bench gives up on recovery. */
const RECOVERY_LIMIT_MS = 60_000;
const ACK_TIMEOUT_MS = 10_000;

const progress = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Outcome = 'accepted' | 'refused' | 'failed' | 'timed out';

/** Submits one line and classifies the answer; an admission refusal is `unavailable` with a retry hint. */
class Submitter {
  private submissions = 0;
  private readonly hints = new Map<string, number>();
  readonly counts: Record<Outcome, number> = { accepted: 0, refused: 0, failed: 0, 'timed out': 0 };
  readonly retryHints: number[] = [];
  readonly failures = new Map<string, number>();
  /** Accepted runs: submit time, and exit time once it exits. */
  readonly runs = new Map<string, { submitted: number; exited?: number }>();
  /** Exits seen (an exit may arrive before its submit's acknowledgement), and who waits for one. */
  private readonly exits = new Map<string, number>();
  private readonly waiters = new Map<string, () => void>();

  watch(student: BenchStudent): void {
    student.socket.on('command.rejected', ({ code, clientRef, retryAfterSeconds }: CommandRejected) => {
      if (code === 'unavailable' && clientRef && retryAfterSeconds !== undefined)
        this.hints.set(clientRef, retryAfterSeconds);
    });
    student.socket.on('command.exit', ({ runId }) => {
      const at = performance.now();
      this.exits.set(runId, at);
      const run = this.runs.get(runId);
      if (run) run.exited = at;
      this.waiters.get(runId)?.();
    });
  }

  /** Resolves when the run exits, or after `ms`. */
  exitOf(runId: string, ms: number): Promise<void> {
    if (this.exits.has(runId)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.waiters;
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        waiters.delete(runId);
        resolve();
      }
      waiters.set(runId, done);
    });
  }

  async submit(student: BenchStudent): Promise<{ outcome: Outcome; runId?: string }> {
    const clientRef = `overload-${++this.submissions}`;
    const submitted = performance.now();
    try {
      const ack = await student.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('command.submit', { labSessionId: student.sessionId, command: READ_COMMAND, clientRef });
      const hint = this.hints.get(clientRef);
      this.hints.delete(clientRef);
      if (ack.ok) {
        this.counts.accepted++;
        this.runs.set(ack.data.runId, { submitted, exited: this.exits.get(ack.data.runId) });
        return { outcome: 'accepted', runId: ack.data.runId };
      }
      if (hint !== undefined) {
        this.counts.refused++;
        this.retryHints.push(hint);
        return { outcome: 'refused' };
      }
      this.counts.failed++;
      const kind = `${ack.code}: ${ack.message}`;
      this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
      return { outcome: 'failed' };
    } catch {
      this.counts['timed out']++;
      return { outcome: 'timed out' };
    }
  }
}

async function main(): Promise<void> {
  const loadStudents = WORKERS * (3 * BOUND + CONCURRENCY);
  progress(`Starting the platform (API and ${WORKERS} worker processes, ADMISSION_MAX_WAITING=${BOUND})…`);
  const { platform, workers } = await startBenchPlatform(WORKERS, {
    ADMISSION_MAX_WAITING: String(BOUND),
    WORKER_CONCURRENCY: String(CONCURRENCY),
  });
  const students: BenchStudent[] = [];
  try {
    const enrolling = performance.now();
    progress(`Enrolling ${loadStudents} students and a probe, starting their clusters…`);
    students.push(...(await enrolStudents(platform, loadStudents + 1, 'lec7-k8s-basics')));
    await warmUp(students, undefined, 120_000);
    const setupSeconds = (performance.now() - enrolling) / 1000;
    const probe = students[0];
    const loaders = students.slice(1);
    const loadSubmitter = new Submitter();
    const probeSubmitter = new Submitter();
    loaders.forEach((student) => loadSubmitter.watch(student));
    probeSubmitter.watch(probe);

    progress(`Loading for ${OVERLOAD_SECONDS} s…`);
    const loadBefore = load();
    const started = performance.now();
    const loadEnds = started + OVERLOAD_SECONDS * 1000;
    // Each student keeps one command in flight until the load ends.
    const pressing = loaders.map(async (student) => {
      while (performance.now() < loadEnds) {
        const { outcome, runId } = await loadSubmitter.submit(student);
        if (outcome === 'accepted' && runId) {
          await loadSubmitter.exitOf(runId, Math.max(0, loadEnds - performance.now()));
        } else await sleep(REFUSED_RETRY_MS);
      }
    });
    // The probe: when was it last refused, and when was it accepted after that.
    const probeLog: { at: number; outcome: Outcome }[] = [];
    let probing = true;
    const probeLoop = (async () => {
      while (probing) {
        const { outcome } = await probeSubmitter.submit(probe);
        probeLog.push({ at: performance.now(), outcome });
        await sleep(PROBE_EVERY_MS);
      }
    })();
    await Promise.all(pressing);
    // The load ends when its students stop submitting (answers to the last submissions may come later).
    const ended = loadEnds;
    progress('Load ended; waiting for the probe to be accepted steadily…');
    while (performance.now() - ended < RECOVERY_LIMIT_MS) {
      const lastRefused = probeLog.filter((entry) => entry.outcome !== 'accepted').pop();
      const since = lastRefused ? Math.max(lastRefused.at, ended) : ended;
      if (performance.now() - since >= STABLE_MS && probeLog[probeLog.length - 1]?.outcome === 'accepted')
        break;
      await sleep(100);
    }
    probing = false;
    await probeLoop;
    const afterEnd = probeLog.filter((entry) => entry.at >= ended);
    const lastNotAccepted = afterEnd.filter((entry) => entry.outcome !== 'accepted').pop();
    const firstAcceptedAfter = afterEnd.find(
      (entry) => entry.outcome === 'accepted' && entry.at > (lastNotAccepted?.at ?? 0),
    );
    const refusedDuringLoad = probeLog.filter(
      (entry) => entry.at < ended && entry.outcome === 'refused',
    ).length;
    const recovered = firstAcceptedAfter ? (firstAcceptedAfter.at - ended) / 1000 : undefined;

    // Every accepted command must end: wait for the backlog, then count those without an exit.
    const settleUntil = performance.now() + 30_000;
    const pendingRuns = () =>
      [...loadSubmitter.runs.values(), ...probeSubmitter.runs.values()].filter(
        (run) => run.exited === undefined,
      ).length;
    while (pendingRuns() > 0 && performance.now() < settleUntil) await sleep(200);
    const exitMs = [...loadSubmitter.runs.values()]
      .filter((run) => run.exited !== undefined)
      .map((run) => (run.exited as number) - run.submitted);
    const hints = loadSubmitter.retryHints;
    const counts = loadSubmitter.counts;
    const lines = [
      recovered === undefined
        ? `overload: commands not accepted again within ${RECOVERY_LIMIT_MS / 1000} s of the load's end`
        : `overload: commands accepted again ${recovered.toFixed(1)} s after the load's end (target <= 5 s)`,
      '',
      `bench:overload — ${loadStudents} students each keeping a command in flight for ${OVERLOAD_SECONDS} s against ${workers.length} worker process(es), ADMISSION_MAX_WAITING=${BOUND}, WORKER_CONCURRENCY=${CONCURRENCY} (3× the bound waiting per worker if all were admitted); a probe student every ${PROBE_EVERY_MS} ms`,
      `  set-up (${loadStudents + 1} students registered, clusters started, first command graded): ${setupSeconds.toFixed(1)} s`,
      `  load: ${counts.accepted + counts.refused + counts.failed + counts['timed out']} submitted, ${counts.accepted} accepted, ${counts.refused} refused, ${counts.failed} failed, ${counts['timed out']} without acknowledgement in ${ACK_TIMEOUT_MS / 1000} s`,
      ...[...loadSubmitter.failures].map(([kind, count]) => `    failed ×${count}: ${kind}`),
      `  retry hints given: ${hints.length === 0 ? 'none' : `${Math.min(...hints)}–${Math.max(...hints)} s`}`,
      `  accepted commands submit → exit p50 ${fmt(percentile(exitMs, 50))}  p99 ${fmt(percentile(exitMs, 99))}  max ${fmt(Math.max(0, ...exitMs))}`,
      `  probe: ${refusedDuringLoad} of ${probeLog.filter((entry) => entry.at < ended).length} refused during the load; after it, last refusal at ${lastNotAccepted ? `+${((lastNotAccepted.at - ended) / 1000).toFixed(1)} s` : '— (none)'}`,
      `  accepted commands without an exit 30 s after the load: ${pendingRuns()}`,
      ...(counts.refused === 0
        ? ['  NOTE: no command was refused — the load did not pass the bound, or admission control is absent']
        : []),
      `  load average (1, 5, 15 min): ${loadBefore} before, ${load()} after`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    for (const student of students) student.socket.close();
    await platform.stop();
  }
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
