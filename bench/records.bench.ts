/**
 * `npm run bench:records`: command records over a semester. Fills a throwaway PostgreSQL database with
 * BENCH_STUDENTS (300) students × BENCH_COMMANDS (2,000) commands, spread over BENCH_LABS (10) lab sessions
 * each, with outputs of realistic sizes (bulk SQL from a pool of kubectl-like outputs), then prints:
 * - table, TOAST and index sizes of command_runs (and the grading tables), total and per 1,000 commands;
 * - p50/p99 of the queries the product runs on these tables, through the product's own repositories: a
 *   student's terminal history on join, grading's history read, an instructor's replay, the gradebook, the
 *   housekeeping's listOpen, the export's pages, the retention's scan — first without the secondary indexes
 *   of command_runs (status, user_id, cluster_id), then with them, with each query's plan;
 * - what retention's trimming frees (RECORDS_RETENTION_DAYS) and how long its batches take.
 * The database is dropped at the end (also on Ctrl-C). Each query is timed for BENCH_ROUNDS rounds or 10 s. Environment: BENCH_STUDENTS, BENCH_COMMANDS, BENCH_LABS, BENCH_ROUNDS (100).
 */
import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config/app-config';
import type { PrismaClient } from '../src/infra/database/generated/client';
import { AuditRepository } from '../src/repositories/audit.repository';
import { CommandRecordsRepository } from '../src/repositories/command-records.repository';
import { CommandRunRepository } from '../src/repositories/command-run.repository';
import { CourseRepository } from '../src/repositories/course.repository';
import { DatabaseRepository } from '../src/repositories/database.repository';
import { LabSessionRepository } from '../src/repositories/lab-session.repository';
import { StepResultRepository } from '../src/repositories/step-result.repository';
import { RecordRetentionService } from '../src/services/record-retention.service';
import { createTestDatabase } from '../test/support/database';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 300);
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 2000);
const LABS = Number(process.env.BENCH_LABS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const QUERY_BUDGET_MS = 10_000;
const PER_SESSION = Math.ceil(COMMANDS / LABS);
const STEPS = 8;
const MB = 1024 * 1024;

// ---- outputs of realistic sizes -------------------------------------------------------------------------

let seed = 42;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const hex = (length: number) =>
  Array.from({ length }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
const podName = () => `yanwei-app-${hex(9)}-${hex(5)}`;

function getPods(): string {
  const rows = 1 + Math.floor(random() * 10);
  let out = 'NAME                          READY   STATUS    RESTARTS   AGE\n';
  for (let i = 0; i < rows; i++)
    out += `${podName()}   1/1     Running   0          ${1 + Math.floor(random() * 90)}m\n`;
  return out;
}
function describePod(): string {
  const name = podName();
  let out = `Name:             ${name}\nNamespace:        default\nPriority:         0\nNode:             minikube/192.168.49.2\n`;
  out += `Start Time:       Mon, 07 Dec 2026 10:${hex(2)}:00 +0800\nLabels:           app=yanwei.app\n                  pod-template-hash=${hex(9)}\n`;
  out += `Status:           Running\nIP:               10.244.0.${Math.floor(random() * 250)}\nContainers:\n  yanwei:\n`;
  out += `    Container ID:   docker://${hex(64)}\n    Image:          yanwei/app:v2\n    Image ID:       docker-pullable://yanwei/app@sha256:${hex(64)}\n`;
  out +=
    '    Port:           8080/TCP\n    State:          Running\n    Ready:          True\n    Restart Count:  0\n';
  out += `    Environment:    <none>\n    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-${hex(5)} (ro)\n`;
  out +=
    'Conditions:\n  Type              Status\n  Initialized       True\n  Ready             True\n  ContainersReady   True\n  PodScheduled      True\n';
  out +=
    'Events:\n  Type    Reason     Age   From               Message\n  ----    ------     ----  ----               -------\n';
  out += `  Normal  Scheduled  2m    default-scheduler  Successfully assigned default/${name} to minikube\n`;
  out +=
    '  Normal  Pulled     2m    kubelet            Container image "yanwei/app:v2" already present on machine\n';
  out +=
    '  Normal  Created    2m    kubelet            Created container yanwei\n  Normal  Started    2m    kubelet            Started container yanwei\n';
  return out;
}
function yaml(): string {
  let out = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    deployment.kubernetes.io/revision: "${1 + Math.floor(random() * 9)}"\n`;
  out += `  creationTimestamp: "2026-12-07T02:${hex(2)}:00Z"\n  generation: 3\n  labels:\n    app: yanwei.app\n  name: yanwei.app\n  namespace: default\n`;
  out += `  resourceVersion: "${Math.floor(random() * 99999)}"\n  uid: ${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}\nspec:\n  progressDeadlineSeconds: 600\n  replicas: 3\n`;
  out +=
    '  revisionHistoryLimit: 10\n  selector:\n    matchLabels:\n      app: yanwei.app\n  strategy:\n    rollingUpdate:\n      maxSurge: 25%\n      maxUnavailable: 25%\n    type: RollingUpdate\n';
  out +=
    '  template:\n    metadata:\n      labels:\n        app: yanwei.app\n    spec:\n      containers:\n      - image: yanwei/app:v2\n        imagePullPolicy: IfNotPresent\n        name: app\n';
  out +=
    '        resources: {}\n        terminationMessagePath: /dev/termination-log\n      dnsPolicy: ClusterFirst\n      restartPolicy: Always\n      schedulerName: default-scheduler\n';
  out += `status:\n  availableReplicas: 3\n  observedGeneration: 3\n  readyReplicas: 3\n  replicas: 3\n  updatedReplicas: 3\n`;
  return out;
}
function logs(lines: number): string {
  let out = '';
  for (let i = 0; i < lines; i++)
    out += `2026-12-07T02:${String(i % 60).padStart(2, '0')}:${hex(2)}Z INFO  GET /api/items/${Math.floor(random() * 1000)} 200 ${Math.floor(random() * 90)}ms req=${hex(12)}\n`;
  return out;
}
const SHORT = [
  'deployment.apps/yanwei.app created\n',
  'deployment.apps/yanwei.app scaled\n',
  'service/yanwei-app exposed\n',
  'node/minikube labeled\n',
  'pod/yanwei-app-6d4cf56db6-xk2p9 labeled\n',
  'deployment.apps/yanwei.app rolled back\n',
  'Waiting for deployment "yanwei.app" rollout to finish: 1 of 3 updated replicas are available...\n',
  'error: the server doesn\'t have a resource type "pdos"\n',
  '192.168.49.2\n',
  'Hello from yanwei.app v2\n',
  '',
];
/** The mix: 45 % one-liners, 33 % tables, 12 % describe, 5 % yaml, 4 % logs, 1 % long logs. */
function sampleOutput(): string {
  const pick = random();
  if (pick < 0.45) return SHORT[Math.floor(random() * SHORT.length)];
  if (pick < 0.78) return getPods();
  if (pick < 0.9) return describePod();
  if (pick < 0.95) return yaml();
  if (pick < 0.99) return logs(10 + Math.floor(random() * 60));
  return logs(300 + Math.floor(random() * 700));
}

// ---- filling ------------------------------------------------------------------------------------------

async function fill(
  prisma: PrismaClient,
): Promise<{ courseId: string; sessionIds: string[]; studentIds: string[] }> {
  const teacher = await prisma.user.create({
    data: { email: 'teacher@records.bench', displayName: 'Teacher', passwordHash: 'x', role: 'instructor' },
  });
  const course = await prisma.course.create({
    data: { title: 'Records', joinCode: 'RECORDS1', ownerId: teacher.id },
  });
  const labIds = Array.from({ length: LABS }, (_, index) => `bench-lab-${index + 1}`);
  await prisma.lab.createMany({
    data: labIds.map((id) => ({ id, title: id, version: '1', definition: {} })),
  });
  await prisma.courseLab.createMany({
    data: labIds.map((labId, position) => ({ courseId: course.id, labId, position })),
  });
  await prisma.$executeRawUnsafe(
    `INSERT INTO users (id, email, display_name, password_hash, role, updated_at)
     SELECT gen_random_uuid(), 'student' || i || '@records.bench', 'Student ' || i, 'x', 'student'::user_role, now()
     FROM generate_series(1, ${STUDENTS}) i`,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO enrollments (id, course_id, user_id, role) SELECT gen_random_uuid(), $1::uuid, id, 'student'::course_role
     FROM users WHERE role = 'student'`,
    course.id,
  );
  // Sessions of last semester: idle 120–180 days.
  await prisma.$executeRawUnsafe(
    `INSERT INTO lab_sessions (id, user_id, course_id, lab_id, status, started_at, last_activity_at)
     SELECT gen_random_uuid(), u.id, $1::uuid, l.id, 'finished'::lab_session_status, now() - interval '180 days',
            now() - interval '120 days' - random() * interval '60 days'
     FROM users u CROSS JOIN labs l WHERE u.role = 'student'`,
    course.id,
  );
  await prisma.$executeRawUnsafe('CREATE TEMP TABLE samples (n int PRIMARY KEY, output text NOT NULL)');
  const samples = Array.from({ length: 2000 }, sampleOutput);
  for (let start = 0; start < samples.length; start += 200) {
    const chunk = samples.slice(start, start + 200);
    await prisma.$executeRawUnsafe(
      `INSERT INTO samples (n, output) SELECT * FROM unnest($1::int[], $2::text[])`,
      chunk.map((_, index) => start + index),
      chunk,
    );
  }
  const sessions = await prisma.labSession.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  const sessionIds = sessions.map((session) => session.id);
  const started = performance.now();
  const PER_STATEMENT = 100;
  for (let index = 0; index < sessionIds.length; index += PER_STATEMENT) {
    // Each command's record as the worker writes it: completed (a few failed), timed, with its output.
    await prisma.$executeRawUnsafe(
      `INSERT INTO command_runs (id, lab_session_id, user_id, seq, command, kind, status, exit_code, output,
         output_bytes, truncated, queued_at, started_at, finished_at, duration_ms, home_version)
       SELECT gen_random_uuid(), s.id, s.user_id, g.seq, 'kubectl get pods -l app=yanwei.app # ' || g.seq,
         'foreground'::run_kind, 'completed'::command_status, CASE WHEN g.seq % 11 = 0 THEN 1 ELSE 0 END, smp.output,
         octet_length(smp.output), false, t.at, t.at, t.at + interval '150 ms', 150,
         CASE WHEN g.seq % 25 = 0 THEN g.seq / 25 END
       FROM lab_sessions s CROSS JOIN generate_series(1, ${PER_SESSION}) g(seq)
       CROSS JOIN LATERAL (SELECT s.started_at + g.seq * interval '20 seconds' AS at) t
       JOIN samples smp ON smp.n = abs(hashtext(s.id::text || g.seq)) % 2000
       WHERE s.id = ANY($1::uuid[])`,
      sessionIds.slice(index, index + PER_STATEMENT),
    );
    process.stdout.write(
      `\r  filled ${Math.min(index + PER_STATEMENT, sessionIds.length)}/${sessionIds.length} sessions`,
    );
  }
  process.stdout.write(` in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  // Grading state: every step of every session, two or three grading events per step.
  await prisma.$executeRawUnsafe(
    `INSERT INTO step_results (id, lab_session_id, step_id, state, attempts, points, max_points, first_passed_at, last_checked_at)
     SELECT gen_random_uuid(), s.id, 'step-' || k, 'passed'::step_state, 3, 10, 10, s.last_activity_at, s.last_activity_at
     FROM lab_sessions s CROSS JOIN generate_series(1, ${STEPS}) k`,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO grading_events (id, lab_session_id, step_id, state, points, created_at)
     SELECT gen_random_uuid(), s.id, 'step-' || k, CASE WHEN e < 3 THEN 'failed'::step_state ELSE 'passed' END,
       CASE WHEN e < 3 THEN 0 ELSE 10 END, s.started_at + (k * 10 + e) * interval '1 minute'
     FROM lab_sessions s CROSS JOIN generate_series(1, ${STEPS}) k CROSS JOIN generate_series(1, 3) e`,
  );
  await prisma.$executeRawUnsafe('VACUUM ANALYZE command_runs');
  await prisma.$executeRawUnsafe('ANALYZE');
  const students = await prisma.user.findMany({ where: { role: 'student' }, select: { id: true } });
  return { courseId: course.id, sessionIds, studentIds: students.map((student) => student.id) };
}

// ---- sizes --------------------------------------------------------------------------------------------

async function sizes(prisma: PrismaClient, label: string): Promise<void> {
  const runs = Number(
    (await prisma.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM command_runs'))[0].n,
  );
  const rows = await prisma.$queryRawUnsafe<
    { name: string; heap: bigint; toast: bigint; indexes: bigint; total: bigint }[]
  >(
    `SELECT c.relname AS name, pg_relation_size(c.oid) AS heap,
       coalesce(pg_total_relation_size(c.reltoastrelid), 0) AS toast, pg_indexes_size(c.oid) AS indexes,
       pg_total_relation_size(c.oid) AS total
     FROM pg_class c WHERE c.relname IN ('command_runs', 'step_results', 'grading_events', 'lab_sessions')
     ORDER BY pg_total_relation_size(c.oid) DESC`,
  );
  const output = await prisma.$queryRawUnsafe<{ bytes: bigint }[]>(
    'SELECT sum(octet_length(output)) AS bytes FROM command_runs',
  );
  console.log(
    `\n${label}: ${runs.toLocaleString('en')} commands, output text ${(Number(output[0].bytes) / MB).toFixed(1)} MiB`,
  );
  console.log('  table            heap MiB  toast MiB  index MiB  total MiB   per 1,000 commands');
  for (const row of rows) {
    const per = (bytes: bigint) => (Number(bytes) / (runs / 1000) / 1024).toFixed(0);
    console.log(
      `  ${row.name.padEnd(16)} ${(Number(row.heap) / MB).toFixed(1).padStart(8)} ${(Number(row.toast) / MB).toFixed(1).padStart(10)} ` +
        `${(Number(row.indexes) / MB).toFixed(1).padStart(10)} ${(Number(row.total) / MB).toFixed(1).padStart(10)}   ` +
        `${per(row.total)} KiB (heap ${per(row.heap)}, toast ${per(row.toast)}, indexes ${per(row.indexes)})`,
    );
  }
  const indexes = await prisma.$queryRawUnsafe<{ name: string; bytes: bigint }[]>(
    `SELECT indexrelname AS name, pg_relation_size(indexrelid) AS bytes FROM pg_stat_user_indexes
     WHERE relname = 'command_runs' ORDER BY 2 DESC`,
  );
  console.log(
    '  command_runs indexes: ' +
      indexes.map((index) => `${index.name} ${(Number(index.bytes) / MB).toFixed(1)} MiB`).join(', '),
  );
}

// ---- timings ------------------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function time(
  label: string,
  query: (round: number) => Promise<unknown>,
  rounds = ROUNDS,
): Promise<void> {
  for (let round = 0; round < 3; round++) await query(round + 7919); // warm up
  const took: number[] = [];
  const began = performance.now();
  // A query without its index can take seconds: stop after QUERY_BUDGET_MS (at least 10 rounds).
  for (
    let round = 0;
    round < rounds && (round < 10 || performance.now() - began < QUERY_BUDGET_MS);
    round++
  ) {
    const started = performance.now();
    await query(round);
    took.push(performance.now() - started);
  }
  took.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(58)} n ${String(took.length).padStart(3)}   p50 ${percentile(took, 50).toFixed(2).padStart(7)} ms   p99 ${percentile(took, 99).toFixed(2).padStart(7)} ms`,
  );
}

async function timings(
  prisma: PrismaClient,
  data: Awaited<ReturnType<typeof fill>>,
  label: string,
): Promise<void> {
  const db = new DatabaseRepository(prisma);
  const runs = new CommandRunRepository(db);
  const records = new CommandRecordsRepository(db);
  const results = new StepResultRepository(db);
  const audit = new AuditRepository(db);
  const courses = new CourseRepository(db);
  const sessions = new LabSessionRepository(db);
  const session = (round: number) => data.sessionIds[(round * 7919) % data.sessionIds.length];
  console.log(`\n${label}`);
  await time('terminal history on join: recent(session, 200)', (r) => runs.recent(session(r), 200));
  await time("grading's history read: history(session)", (r) => runs.history(session(r)));
  await time('housekeeping: listOpen([queued], 3 s ago)', () =>
    runs.listOpen(['queued'], new Date(Date.now() - 3000)),
  );
  await time('terminal: listOpenForSession(session)', (r) => runs.listOpenForSession(session(r)));
  await time('terminal: maxSeq(session)', (r) => runs.maxSeq(session(r)));
  await time(
    "replay: a session's runs, grading events, overrides",
    (r) =>
      Promise.all([
        runs.recent(session(r), 10_000),
        results.events(session(r)),
        audit.listForTarget('lab_session', session(r)),
      ]),
    Math.max(20, ROUNDS / 4),
  );
  await time(
    'gradebook: students, sessions of a lab, their step results',
    async (r) => {
      await courses.listStudents(data.courseId);
      const ofLab = await sessions.listForCourse(data.courseId, `bench-lab-${(r % LABS) + 1}`);
      await results.listForSessions(ofLab.map((one) => one.id));
    },
    Math.max(20, ROUNDS / 4),
  );
  await time('export: a page of 50 runs of a session', (r) =>
    records.page(session(r), (r * 37) % PER_SESSION, 50),
  );
  await time('retention: sessions due (scan)', () =>
    records.dueSessions(new Date(Date.now() - 100 * 86_400_000), true, 100),
  );
  const plans: Record<string, string> = {
    listOpen: `SELECT * FROM command_runs WHERE status IN ('queued') AND queued_at <= now() ORDER BY lab_session_id, seq LIMIT 500`,
    'recent(200)': `SELECT * FROM command_runs WHERE lab_session_id = '${session(1)}' ORDER BY seq DESC LIMIT 200`,
    'user cascade': `SELECT id FROM command_runs WHERE user_id = '${data.studentIds[0]}'`,
  };
  for (const [name, sql] of Object.entries(plans)) {
    const plan = await prisma.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`);
    console.log(
      `  plan ${name}: ${plan
        .map((line) => line['QUERY PLAN'].trim())
        .slice(0, 2)
        .join(' | ')}`,
    );
  }
}

async function retentionFigures(prisma: PrismaClient): Promise<void> {
  const config = parseConfig({ RECORDS_RETENTION_DAYS: '100', RECORDS_TRIM_WITHOUT_EXPORT: 'true' });
  const retention = new RecordRetentionService(
    config,
    new CommandRecordsRepository(new DatabaseRepository(prisma)),
  );
  const took: number[] = [];
  let trimmed = 0;
  const started = performance.now();
  // Each step is what one housekeeping sweep does (at most 4 batches of 250 seq numbers).
  for (;;) {
    const stepStarted = performance.now();
    const count = await retention.step();
    took.push(performance.now() - stepStarted);
    trimmed += count;
    const left = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM lab_sessions WHERE records_trimmed_at IS NULL`,
    );
    if (Number(left[0].n) === 0) break;
  }
  took.sort((a, b) => a - b);
  console.log(
    `\nretention: trimmed ${trimmed.toLocaleString('en')} outputs in ${((performance.now() - started) / 1000).toFixed(0)} s over ${took.length} steps ` +
      `(one step = one housekeeping sweep's share: p50 ${percentile(took, 50).toFixed(0)} ms, p99 ${percentile(took, 99).toFixed(0)} ms)`,
  );
  await prisma.$executeRawUnsafe('VACUUM FULL command_runs');
}

async function main(): Promise<void> {
  Logger.overrideLogger(false); // the retention's per-session lines
  const started = performance.now();
  const load = (await import('node:os'))
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  console.log(
    `bench:records — ${STUDENTS} students × ${COMMANDS} commands (${LABS} sessions each); load average ${load}`,
  );
  const database = await createTestDatabase();
  // Interrupted (Ctrl-C): the throwaway database is dropped all the same.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void database.drop().finally(() => process.exit(130)));
  try {
    const data = await fill(database.prisma);
    await sizes(database.prisma, 'sizes');
    const secondary = ['command_runs_status_idx', 'command_runs_user_id_idx', 'command_runs_cluster_id_idx'];
    for (const index of secondary) await database.prisma.$executeRawUnsafe(`DROP INDEX ${index}`);
    await database.prisma.$executeRawUnsafe('ANALYZE command_runs');
    await timings(
      database.prisma,
      data,
      'queries without the secondary indexes of command_runs (status, user_id, cluster_id):',
    );
    await database.prisma.$executeRawUnsafe('CREATE INDEX command_runs_status_idx ON command_runs (status)');
    await database.prisma.$executeRawUnsafe(
      'CREATE INDEX command_runs_user_id_idx ON command_runs (user_id)',
    );
    await database.prisma.$executeRawUnsafe(
      'CREATE INDEX command_runs_cluster_id_idx ON command_runs (cluster_id)',
    );
    await database.prisma.$executeRawUnsafe('ANALYZE command_runs');
    await timings(database.prisma, data, 'queries with them (the schema as migrated):');
    await retentionFigures(database.prisma);
    await sizes(
      database.prisma,
      'after retention trimmed every session (VACUUM FULL to show the space freed)',
    );
  } finally {
    await database.drop();
  }
  console.log(
    `\ndone in ${((performance.now() - started) / 1000).toFixed(0)} s; load average now ${(
      await import('node:os')
    )
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
