/**
 * `npm run bench:commands`: N simulated students (socket.io clients over loopback) each submit a
 * command once a second against separate API and worker processes: `kubectl get pods`, and every
 * BENCH_CHANGE_EVERY-th command one that changes the cluster (`kubectl label nodes minikube
 * bench=<n> --overwrite`), which is graded. Prints latency from submit to first output and to exit
 * (p50/p99), commands per second, errors, grading latency (exit of a changing command → the grading
 * update reaching the client) and, as the floor measured in the same run, a raw Redis PING. Per workload it also
 * prints what a command costs (bench/support/command-costs.ts): CPU ms of the API, the worker, Redis and this
 * database's PostgreSQL backends, Redis commands (INFO commandstats, script-inner calls included) and PostgreSQL
 * commits; give the bench a Redis of its own (REDIS_URL=redis://127.0.0.1:<port>) for the Redis figures to be its.
 * Students' changing commands are spread evenly over the seconds (student i changes the cluster at
 * its ticks i, i+4, …); BENCH_CHANGES_TOGETHER=1 makes the whole class change it in the same second
 * instead (every 4th second, 200 changes and gradings at once).
 * Environment: BENCH_STUDENTS (200), BENCH_SECONDS (20), BENCH_CHANGE_EVERY (4; 0 = reads only),
 * BENCH_CHANGES_TOGETHER (0), BENCH_WORKERS (1: worker processes; the platform places each session on one of
 * them, as it does with one per core in production), BENCH_BACKGROUND (0; 1 = every student first starts a background job,
 * `kubectl get pods -w &`, which runs through the whole measurement), BENCH_FILES (1; 0 = skip the
 * files workload), BENCH_LAB (lec7 = the shipped lec7-k8s-basics lab; grading-200 = issue 18's bench-only
 * lab of bench/grading-lab.ts, 10 steps whose checks each read 200 ConfigMaps, served from a labs folder
 * of its own; every student applies the 200 ConfigMaps before the measurement), BENCH_CHANGE (node = the
 * changing command labels the node; configmap = it labels one of the grading lab's ConfigMaps instead, so every
 * grading has to evaluate the checks over the 200 objects again rather than reuse the last verdicts).
 *
 * Then, in the same run and with the same students, the files workload: every BENCH_CHANGE_EVERY-th
 * command writes a manifest into the student's home (`kubectl create deployment … --dry-run=client
 * -o yaml > w.yaml`) or applies it (`kubectl apply -f w.yaml`), so the home is stored after the
 * command; the first workload is its baseline. Last, the stored size of one session's home with 20
 * files (lab_session_homes.snapshot) and of its revisions.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RedisConnections } from '../src/infra/redis/redis-connections';
import type { ServerToClientEvents } from '../src/shared/events';
import { ClientSocket, startPlatform, TestPlatform } from '../test/support/platform';
import { GRADING_LAB_ID, GRADING_LAB_OBJECTS_FILE, writeGradingLab } from './grading-lab';
import { RECORD_TABLES, RssSampler, slowExitSeconds } from './support/soak';
import { CommandCosts } from './support/command-costs';
import { fmt, load, percentile } from './support/stats';
import { enrolStudents, READ_COMMAND, warmUp } from './support/students';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CHANGE_EVERY = Number(process.env.BENCH_CHANGE_EVERY ?? 4);
const CHANGES_TOGETHER = process.env.BENCH_CHANGES_TOGETHER === '1';
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
if (!Number.isInteger(WORKERS) || WORKERS < 1) throw new Error('BENCH_WORKERS is a whole number above 0');
const PROCESSES =
  WORKERS === 1 ? 'API and worker as separate processes' : `API and ${WORKERS} worker processes`;
const BACKGROUND = process.env.BENCH_BACKGROUND === '1';
const BACKGROUND_COMMAND = 'kubectl get pods -w &';
const FILES = process.env.BENCH_FILES !== '0';
const BENCH_LAB = process.env.BENCH_LAB ?? 'lec7';
if (BENCH_LAB !== 'lec7' && BENCH_LAB !== 'grading-200') throw new Error('BENCH_LAB is lec7 or grading-200');
const GRADING_LAB = BENCH_LAB === 'grading-200';
const LAB_ID = GRADING_LAB ? GRADING_LAB_ID : 'lec7-k8s-basics';
const BENCH_CHANGE = process.env.BENCH_CHANGE ?? 'node';
if (BENCH_CHANGE !== 'node' && BENCH_CHANGE !== 'configmap')
  throw new Error('BENCH_CHANGE is node or configmap');
if (BENCH_CHANGE === 'configmap' && !GRADING_LAB)
  throw new Error('BENCH_CHANGE=configmap needs BENCH_LAB=grading-200');
const READ = READ_COMMAND;
const change = (tick: number) =>
  BENCH_CHANGE === 'configmap'
    ? `kubectl label configmap item-000 touched=t${tick} --overwrite`
    : `kubectl label nodes minikube bench=t${tick} --overwrite`;
/** Client references of the run's lines, unique over its workloads: a repeated one answers the first line's run. */
let nextClientRef = 0;
/** What a command does, for the latency breakdown. */
function kindOf(command: string): string {
  if (command === READ) return 'read';
  if (command.includes(' > ')) return 'write a file';
  if (command.startsWith('kubectl apply -f')) return 'apply a file';
  return 'change the cluster';
}

/** Changing commands of the files workload each student has submitted, so each writes before it applies. */
const fileCommands = new Map<number, number>();
/** The files workload's changing command: write a manifest, then (next time) apply it. */
const fileCommand = (tick: number, student: number) => {
  const count = fileCommands.get(student) ?? 0;
  fileCommands.set(student, count + 1);
  return count % 2 === 0
    ? `kubectl create deployment w${student}-${tick} --image=nginx --dry-run=client -o yaml > w.yaml`
    : 'kubectl apply -f w.yaml';
};
/** The first seconds, when every student starts at once, are reported apart from the steady state. */
const WARMUP_SECONDS = 3;

/** Where in the run the slow commands were (a burst at one moment reads differently from a steady tail). */
function slowBySecond(samples: { at: number; ms: number }[], startedAt: number): string {
  const counts = new Map<number, number>();
  for (const sample of samples) {
    if (sample.ms <= 100) continue;
    const second = Math.floor((sample.at - startedAt) / 1000);
    counts.set(second, (counts.get(second) ?? 0) + 1);
  }
  return counts.size === 0 ? 'none' : [...counts].map(([second, count]) => `${second}s:${count}`).join(' ');
}

let costsConnection: ReturnType<RedisConnections['open']> | undefined;
/** The connection the cost readings use (INFO), opened once. */
const costsRedis = () =>
  (costsConnection ??= new RedisConnections({
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  }).open('command', 'bench costs'));

async function redisPingFloor(url: string, rounds = 2000): Promise<number[]> {
  // The platform's own kind of connection (auto-pipelined; one PING at a time, so nothing to batch).
  const redis = new RedisConnections({ redisUrl: url }).open('command', 'bench PING floor');
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await redis.ping();
    samples.push(performance.now() - started);
  }
  redis.disconnect();
  return samples;
}

async function main(): Promise<void> {
  process.stdout.write(`Starting the platform (${PROCESSES})…\n`);
  // The bench-only lab is served from a folder of its own, so it is never offered next to the shipped labs.
  if (GRADING_LAB) mkdirSync('.tmp', { recursive: true }); // absent in a fresh checkout
  const labsDir = GRADING_LAB ? writeGradingLab(mkdtempSync(join('.tmp', 'bench-labs-'))) : undefined;
  const platform = await startPlatform(
    {
      ...(labsDir ? { LABS_DIR: labsDir } : {}),
      LOG_LEVEL: 'error',
      COMMANDS_PER_MINUTE: '1000',
      WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '50',
      // The production pool, not the test platforms' small one (a bench runs alone).
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '20',
    },
    // BENCH_PROFILE=dir writes V8 CPU profiles of the API and worker processes there; BENCH_NODE_ARGS adds node
    // options to both (space-separated, e.g. V8 GC flags to compare).
    {
      workers: WORKERS,
      nodeArgs: [
        ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
        ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
    },
  );
  const students: { socket: ClientSocket; sessionId: string }[] = [];
  try {
    process.stdout.write(`Registering ${STUDENTS} students and starting their clusters…\n`);
    students.push(...(await enrolStudents(platform, STUDENTS, LAB_ID)));
    // Warm every cluster and its first grading, so the measurement sees steady state, not provisioning.
    // The grading lab's first command creates the objects its checks read.
    const firstReasons = await warmUp(
      students,
      GRADING_LAB ? `kubectl apply -f ${GRADING_LAB_OBJECTS_FILE}` : READ,
    );
    // What one check saw, as evidence that each reads the 200 objects (the reason counts them).
    process.stdout.write(`Lab ${LAB_ID}; first step's reason after warm-up: ${firstReasons[0]}\n`);
    const loadBefore = load();

    if (BACKGROUND) {
      // One job per student, started before the measurement and running through it.
      const started = await Promise.all(
        students.map(
          (student) =>
            new Promise<boolean>((resolve) => {
              student.socket.once('command.started', (event) => resolve(event.kind === 'background'));
              void student.socket.emitWithAck('command.submit', {
                labSessionId: student.sessionId,
                command: BACKGROUND_COMMAND,
              });
            }),
        ),
      );
      process.stdout.write(
        `Background jobs running: ${started.filter(Boolean).length} of ${students.length} (${BACKGROUND_COMMAND})\n`,
      );
    }

    const floor = await redisPingFloor(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const workloads: [string, (tick: number, student: number) => string][] = [
      [`cluster changes (${BENCH_CHANGE === 'node' ? 'the node' : 'a ConfigMap'})`, (tick) => change(tick)],
      ...(FILES ? ([['files', fileCommand]] as [string, (tick: number, student: number) => string][]) : []),
    ];
    const lines: string[] = [];
    for (const [name, changing] of workloads)
      lines.push(...(await measure(platform, students, floor, `${name}, lab ${LAB_ID}`, changing)));
    if (FILES) lines.push(...(await homeSize(platform, students[0])), '');
    lines.push(`load average (1, 5, 15 min): ${loadBefore} before measuring, ${load()} after`, '');
    process.stdout.write(lines.join('\n'));
  } finally {
    for (const student of students) student.socket.close();
    await platform.stop();
    if (labsDir) rmSync(labsDir, { recursive: true, force: true });
  }
  process.exit(0);
}

/** The platform's processes whose memory a long run follows: API, workers, Redis and this bench's own client. */
async function platformProcesses(platform: TestPlatform): Promise<Map<string, number>> {
  const processes = new Map<string, number>();
  if (platform.api.child?.pid) processes.set('api', platform.api.child.pid);
  platform.workers.forEach((worker, index) => {
    if (worker.child?.pid) processes.set(`worker${index === 0 ? '' : index + 1}`, worker.child.pid);
  });
  const redisPid = Number(/process_id:(\d+)/.exec(await costsRedis().info('server'))?.[1]);
  if (redisPid) processes.set('redis', redisPid);
  processes.set('bench client', process.pid);
  return processes;
}

/** Bytes the command record tables take in PostgreSQL (tables, indexes and TOAST). */
async function recordTableBytes(platform: TestPlatform): Promise<number> {
  const [row] = (await platform.db.prisma.$queryRawUnsafe(
    `SELECT sum(pg_total_relation_size(name::regclass))::bigint AS bytes FROM unnest($1::text[]) AS name`,
    [...RECORD_TABLES],
  )) as { bytes: bigint }[];
  return Number(row.bytes);
}

/** One workload: every student submits once a second, every CHANGE_EVERY-th command `changing(tick, student)`. */
async function measure(
  platform: TestPlatform,
  students: { socket: ClientSocket; sessionId: string }[],
  floor: number[],
  name: string,
  changing: (tick: number, student: number) => string,
): Promise<string[]> {
  const toFirstOutput: number[] = [];
  const toExit: number[] = [];
  // Kept per command for a soak's 360,000: plain numbers, and the submit time only of the slow exits (the per-second
  // figures count only those), so the bench's own memory grows as little as it can.
  const slowExits: { at: number; ms: number }[] = [];
  const steadyExit: number[] = [];
  const steadyGrading: number[] = [];
  const toGrading: number[] = [];
  let errors = 0;
  const errorKinds = new Map<string, number>();
  const failed = (kind: string) => {
    errors++;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  };
  let completed = 0;
  // Counted as they come: the maps below forget each run once it has ended.
  let acceptedRuns = 0;
  let changingRuns = 0;
  // Latency by what the command does, so a slow kind shows apart from the rest.
  const kinds = new Map<string, string>();
  const byKind = new Map<string, number[]>();
  const pending = new Map<
    string,
    { submitted: number; accepted: number; started?: number; firstOutput?: number; exited?: number }
  >();
  // Where the time goes, as each client sees it: API (submit → accepted), queue and pick-up
  // (accepted → started), run and record (started → exit).
  const stages = { accepted: [] as number[], pickedUp: [] as number[], ran: [] as number[] };
  // Submit times by the line's client reference, which the accepted event echoes: a refused submit has no
  // accepted event, and pairing in order of arrival would shift every later one of that student by a second.
  const submitTimes = new Map<string, number>();
  let measuringFrom = Infinity;
  const handlers: [ClientSocket, string, (...args: never[]) => void][] = [];
  const on = <E extends keyof ServerToClientEvents>(
    socket: ClientSocket,
    event: E,
    handler: ServerToClientEvents[E],
  ) => {
    socket.on(event, handler as never);
    handlers.push([socket, event, handler as (...args: never[]) => void]);
  };
  for (const student of students) {
    // The accepted event reaches the client before the submit's acknowledgement (and before any
    // output), so it binds the run id to its submit time without racing the exit.
    on(student.socket, 'command.accepted', ({ runId, command, clientRef }) => {
      const submitted = clientRef === undefined ? undefined : submitTimes.get(clientRef);
      if (clientRef !== undefined) submitTimes.delete(clientRef);
      if (submitted !== undefined) {
        pending.set(runId, { submitted, accepted: performance.now() });
        acceptedRuns++;
      }
      if (command !== READ) {
        changed.add(runId);
        changingRuns++;
      }
      kinds.set(runId, kindOf(command));
    });
    on(student.socket, 'command.started', ({ runId }) => {
      const entry = pending.get(runId);
      if (entry) entry.started = performance.now();
    });
    on(student.socket, 'command.output', ({ runId }) => {
      const entry = pending.get(runId);
      if (entry && entry.firstOutput === undefined) entry.firstOutput = performance.now();
    });
    on(student.socket, 'command.exit', ({ runId, exitCode }) => {
      const entry = pending.get(runId);
      if (!entry) return;
      // A run ends once: what the client kept about it goes (a soak runs hundreds of thousands).
      pending.delete(runId);
      entry.exited = performance.now();
      if (exitCode !== 0) failed(`exit ${exitCode}`);
      completed++;
      toExit.push(entry.exited - entry.submitted);
      const kind = kinds.get(runId) ?? 'read';
      kinds.delete(runId);
      let samples = byKind.get(kind);
      if (!samples) byKind.set(kind, (samples = []));
      samples.push(entry.exited - entry.submitted);
      if (entry.exited - entry.submitted > 100)
        slowExits.push({ at: entry.submitted, ms: entry.exited - entry.submitted });
      if (entry.submitted >= measuringFrom + WARMUP_SECONDS * 1000)
        steadyExit.push(entry.exited - entry.submitted);
      if (entry.firstOutput !== undefined) toFirstOutput.push(entry.firstOutput - entry.submitted);
      if (entry.submitted >= measuringFrom + WARMUP_SECONDS * 1000 && entry.started !== undefined) {
        stages.accepted.push(entry.accepted - entry.submitted);
        stages.pickedUp.push(entry.started - entry.accepted);
        stages.ran.push(entry.exited - entry.started);
      }
    });
  }
  // Grading latency per session: exit of a command that changed the cluster → next grading update.
  const changed = new Set<string>();
  const lastExit = new Map<string, number>();
  let unexpectedUpdates = 0;
  for (const student of students) {
    on(student.socket, 'command.exit', ({ runId }) => {
      if (changed.delete(runId)) lastExit.set(student.sessionId, performance.now());
    });
    on(student.socket, 'grading.updated', ({ labSessionId }) => {
      if (!lastExit.has(labSessionId)) unexpectedUpdates++;
      const exitedAt = lastExit.get(labSessionId);
      if (exitedAt !== undefined) {
        toGrading.push(performance.now() - exitedAt);
        if (exitedAt >= measuringFrom + WARMUP_SECONDS * 1000)
          steadyGrading.push(performance.now() - exitedAt);
        lastExit.delete(labSessionId);
      }
    });
  }

  process.stdout.write(`Measuring (${name}): ${STUDENTS} students × 1 command/s for ${SECONDS} s…\n`);
  const costs = await CommandCosts.open(platform, costsRedis());
  const costsBefore = await costs.read();
  const memory = new RssSampler(await platformProcesses(platform));
  const recordBytesBefore = await recordTableBytes(platform);
  memory.start();
  const started = performance.now();
  measuringFrom = started;
  const timers = students.map((student, index) =>
    setTimeout(
      () => {
        let ticks = 0;
        const tick = () => {
          ticks++;
          const phase = CHANGES_TOGETHER ? 0 : index;
          const command =
            CHANGE_EVERY > 0 && (ticks + phase) % CHANGE_EVERY === 0 ? changing(ticks, index) : READ;
          const clientRef = `bench-${nextClientRef++}`;
          submitTimes.set(clientRef, performance.now());
          student.socket
            .emitWithAck('command.submit', { labSessionId: student.sessionId, command, clientRef })
            .then((ack) => {
              if (ack.ok) return;
              submitTimes.delete(clientRef);
              failed(`${ack.code}: ${ack.message}`);
            })
            .catch((error: Error) => failed(`no acknowledgement: ${error.message}`));
        };
        tick();
        const interval = setInterval(tick, 1000);
        setTimeout(() => clearInterval(interval), SECONDS * 1000 - 1);
      },
      (index * 1000) / STUDENTS,
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000 + 3000));
  timers.forEach(clearTimeout);
  memory.stop();
  const recordBytes = (await recordTableBytes(platform)) - recordBytesBefore;
  const costLines = await costs.report(costsBefore, completed);
  const elapsed = (performance.now() - started) / 1000;
  const submitted = acceptedRuns;
  // An ended run leaves `pending`: what is left never got its exit.
  const lost = pending.size;

  const statuses = (await platform.db.prisma.$queryRawUnsafe(
    `SELECT status::text AS status, count(*)::int AS n FROM command_runs GROUP BY status ORDER BY status`,
  )) as { status: string; n: number }[];
  const floorP50 = percentile(floor, 50);
  const lines = [
    '',
    '',
    `bench:commands [${name}] — ${STUDENTS} students, 1 command/s each (every ${CHANGE_EVERY || '—'}th ${name.startsWith('files') ? 'writes or applies a file' : 'changes the cluster'}${CHANGE_EVERY && CHANGES_TOGETHER ? ', the whole class in the same second' : ''}), ${SECONDS} s, ${PROCESSES}`,
    `  commands submitted ${submitted}, completed ${completed}, errors ${errors}, without exit ${lost}`,
    ...[...errorKinds].map(([kind, count]) => `    error ×${count}: ${kind}`),
    `  throughput          ${(completed / elapsed).toFixed(1)} commands/s`,
    `  submit → first output  p50 ${fmt(percentile(toFirstOutput, 50))}  p99 ${fmt(percentile(toFirstOutput, 99))}`,
    `  submit → exit          p50 ${fmt(percentile(toExit, 50))}  p90 ${fmt(percentile(toExit, 90))}  p99 ${fmt(percentile(toExit, 99))}`,
    `  submit → exit by command: ${[...byKind]
      .map(
        ([kind, values]) =>
          `${kind} p50 ${fmt(percentile(values, 50))} p99 ${fmt(percentile(values, 99))} (${values.length})`,
      )
      .join('; ')}`,
    `  slow exits (> 100 ms) by second of the run: ${slowBySecond(slowExits, started)}`,
    `  ${slowExitSeconds(slowExits, started)}`,
    `  record tables (${RECORD_TABLES.join(', ')}) grew ${(recordBytes / 2 ** 20).toFixed(1)} MiB: ${(((recordBytes / Math.max(1, completed)) * 1000) / 1024).toFixed(0)} KiB per 1,000 commands`,
    ...memory.report(),
    `  steady state (after the first ${WARMUP_SECONDS} s): submit → exit p50 ${fmt(percentile(steadyExit, 50))}  p99 ${fmt(percentile(steadyExit, 99))}; exit → grading p50 ${fmt(percentile(steadyGrading, 50))}  p99 ${fmt(percentile(steadyGrading, 99))}`,
    `  exit → grading update  p50 ${fmt(percentile(toGrading, 50))}  p99 ${fmt(percentile(toGrading, 99))}  (${toGrading.length} updates after ${changingRuns} changing commands; ${unexpectedUpdates} other updates)`,
    `  steady-state stages  submit → accepted p50 ${fmt(percentile(stages.accepted, 50))} p99 ${fmt(percentile(stages.accepted, 99))}; accepted → started p50 ${fmt(percentile(stages.pickedUp, 50))} p99 ${fmt(percentile(stages.pickedUp, 99))}; started → exit p50 ${fmt(percentile(stages.ran, 50))} p99 ${fmt(percentile(stages.ran, 99))}`,
    `  records by status (whole run so far): ${statuses.map((entry) => `${entry.status} ${entry.n}`).join(', ')}`,
    `  floor: Redis PING      p50 ${fmt(floorP50)}  p99 ${fmt(percentile(floor, 99))}`,
    `  ratio submit→exit p50 / PING p50 = ${(percentile(toExit, 50) / floorP50).toFixed(1)}×`,
    ...costLines,
  ];
  for (const [socket, event, handler] of handlers) socket.off(event as never, handler as never);
  // Let the last gradings of this workload land before the next one starts.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return lines;
}

/**
 * The stored home of a session with 20 files (3 starter files and 17 manifests written by the
 * terminal), and of its revisions: what the platform keeps per session for the home.
 */
async function homeSize(
  platform: TestPlatform,
  student: { socket: ClientSocket; sessionId: string },
): Promise<string[]> {
  const sql = (text: string) => platform.db.prisma.$queryRawUnsafe(text, student.sessionId);
  const exited = new Set<string>();
  const onExit = ({ runId }: { runId: string }) => exited.add(runId);
  student.socket.on('command.exit', onExit);
  const runOne = async (command: string) => {
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.sessionId,
      command,
    });
    if (!ack.ok) throw new Error(`${command}: ${ack.message}`);
    while (!exited.has(ack.data.runId)) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  await runOne('rm -f w.yaml');
  for (let i = 1; i <= 17; i++)
    await runOne(
      `kubectl create deployment f${i} --image=nginx:1.27 --replicas=2 --dry-run=client -o yaml > f${i}.yaml`,
    );
  student.socket.off('command.exit', onExit);
  const [home] = (await sql(
    `SELECT octet_length(snapshot)::int AS bytes, (SELECT count(*)::int FROM jsonb_array_elements(snapshot::jsonb->'entries')) AS entries FROM lab_session_homes WHERE lab_session_id = $1::uuid`,
  )) as { bytes: number; entries: number }[];
  const [revisions] = (await sql(
    `SELECT count(*)::int AS n, coalesce(sum(octet_length(changes) + coalesce(octet_length(snapshot), 0)), 0)::int AS bytes FROM home_revisions WHERE lab_session_id = $1::uuid`,
  )) as { n: number; bytes: number }[];
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  return [
    `home of one session with ${home?.entries ?? 0} files: stored snapshot ${kib(home?.bytes ?? 0)} (target ≤ 64 KiB); its ${revisions?.n ?? 0} revisions ${kib(revisions?.bytes ?? 0)} together`,
  ];
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
