import type { HealthReport } from '../../src/shared/http-api';
import { PrivatePostgres } from '../support/private-postgres';
import {
  api,
  EnrolledStudent,
  enrolledStudent,
  explainingFailure,
  freePort,
  startPlatform,
  TestPlatform,
} from '../support/platform';

const DEPLOY = 'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1';
/** What the class types while PostgreSQL is down: reads, a change to the cluster, a failure, a home file. */
const DURING_OUTAGE = [
  'kubectl get deployments',
  'kubectl scale deployment yanwei.app --replicas=2',
  'kubectl get deployment nosuch',
  'echo outage-notes > notes.txt',
  'cat notes.txt',
];

interface Ran {
  runId: string;
  command: string;
  exitCode: number;
  output: string;
}

/**
 * The platform on a PostgreSQL server of this test's own (never the shared one on 5432), which the
 * test stops mid-class with `pg_ctl stop -m fast` and starts again.
 */
describe('a PostgreSQL outage mid-class', () => {
  let postgres: PrivatePostgres;
  let platform: TestPlatform;
  let student: EnrolledStudent;
  let postgresRunning = false;

  async function run(command: string): Promise<Ran> {
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.labSessionId,
      command,
    });
    if (!ack.ok) throw new Error(`${command}: ${ack.code}: ${ack.message}`);
    const exit = await explainingFailure(platform, student.log.exitOf(ack.data.runId, 30_000));
    return {
      runId: ack.data.runId,
      command,
      exitCode: exit.exitCode,
      output: student.log.outputOf(ack.data.runId),
    };
  }

  beforeAll(async () => {
    postgres = new PrivatePostgres(await freePort());
    postgres.start();
    postgresRunning = true;
    platform = await startPlatform({}, { postgresServerUrl: postgres.url('postgres') });
    student = await enrolledStudent(platform, 'outage@example.edu');
    // Starting the platform is most of this suite's time: over two minutes seen on a loaded machine.
  }, 240_000);

  afterAll(async () => {
    student?.socket.close();
    if (postgres && !postgresRunning) postgres.start();
    await platform?.stop();
    postgres?.destroy();
  }, 60_000);

  it('keeps commands running and announces their exits; records land once, in order, when it is back', async () => {
    const before = await run(DEPLOY);
    expect(before).toMatchObject({ exitCode: 0, output: 'deployment.apps/yanwei.app created\n' });

    postgres.stop();
    postgresRunning = false;

    const during: Ran[] = [];
    for (const command of DURING_OUTAGE) during.push(await run(command));
    expect(during.map(({ command, exitCode }) => [command, exitCode])).toEqual([
      ['kubectl get deployments', 0],
      ['kubectl scale deployment yanwei.app --replicas=2', 0],
      ['kubectl get deployment nosuch', 1],
      ['echo outage-notes > notes.txt', 0],
      ['cat notes.txt', 0],
    ]);
    expect(during[1].output).toBe('deployment.apps/yanwei.app scaled\n');
    expect(during[2].output).toBe('Error from server (NotFound): deployments.apps "nosuch" not found\n');
    expect(during[4].output).toBe('outage-notes\n');

    // Signing in and starting a lab need the database: a clear 503, not a 500 and not a hang.
    const login = await fetch(`${platform.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'student1@kubelab.local', password: 'kubelab-demo' }),
    });
    expect(login.status).toBe(503);
    expect(((await login.json()) as { message: string }).message).toMatch(/database is briefly unavailable/);
    const newLab = await api<{ message: string }>(
      platform.baseUrl,
      student.cookie,
      'POST',
      `/courses/${platform.courseId}/labs/pods-namespaces/session`,
    );
    expect(newLab.status).toBe(503);
    expect(newLab.body.message).toMatch(/database is briefly unavailable/);

    // Health names the part that is down.
    const health = await fetch(`${platform.baseUrl}/api/health`);
    expect(health.status).toBe(503);
    const report = (await health.json()) as HealthReport;
    expect(report.down).toEqual(['database']);
    expect(report.checks.redis.ok).toBe(true);
    expect(report.checks.workers.ok).toBe(true);

    const restartedAt = Date.now();
    postgres.start();
    postgresRunning = true;

    // The worker writes what it held within a second or two of the database's return.
    const ran = [before, ...during];
    const records = await explainingFailure(platform, recordsOf(platform, student.labSessionId, ran.length));
    expect(records.map((record) => record.id)).toEqual(ran.map((each) => each.runId));
    expect(records.map((record) => record.seq)).toEqual(ran.map((_, index) => index + 1));
    expect(
      records.map(({ command, exitCode, output, status }) => ({ command, exitCode, output, status })),
    ).toEqual(
      ran.map(({ command, exitCode, output }) => ({ command, exitCode, output, status: 'completed' })),
    );

    // Grading needs the database: it catches up once the held records are written.
    await explainingFailure(
      platform,
      student.log.waitFor(
        (event) => event.name === 'grading.updated' && event.at >= restartedAt,
        30_000,
        'a grading after the restart',
      ),
    );

    // The home change made during the outage was stored too.
    const file = await api<{ text: string }>(
      platform.baseUrl,
      student.cookie,
      'GET',
      `/lab-sessions/${student.labSessionId}/home/file?path=notes.txt`,
    );
    expect(file).toMatchObject({ status: 200, body: { text: 'outage-notes\n' } });
    // Its record links the home version that change landed as, so the replay shows the file with that command.
    const home = await platform.db.prisma.labSessionHome.findUniqueOrThrow({
      where: { labSessionId: student.labSessionId },
    });
    const revision = await platform.db.prisma.homeRevision.findFirst({
      where: { labSessionId: student.labSessionId, changes: { contains: 'notes.txt' } },
      orderBy: { version: 'asc' },
    });
    expect(records[4].command).toBe('echo outage-notes > notes.txt');
    expect(records[4].homeVersion).toBe(revision?.version);
    expect(records[4].homeVersion).toBe(home.version);

    // And the platform is whole again: a login works, and the next command is numbered after the rest.
    const relogin = await fetch(`${platform.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'student1@kubelab.local', password: 'kubelab-demo' }),
    });
    expect(relogin.status).toBe(200);
    const after = await run('kubectl get deployment yanwei.app -o jsonpath={.spec.replicas}');
    expect(after).toMatchObject({ exitCode: 0, output: '2' });
    const all = await recordsOf(platform, student.labSessionId, ran.length + 1);
    expect(all.map((record) => record.seq)).toEqual(all.map((_, index) => index + 1));
  }, 120_000);
});

/** The session's finished records, once `count` of them are there (the held ones land after the restart). */
async function recordsOf(platform: TestPlatform, labSessionId: string, count: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await platform.db.prisma.commandRun
      .findMany({ where: { labSessionId }, orderBy: { seq: 'asc' } })
      .catch(() => []);
    const finished = rows.filter((row) => row.status !== 'queued' && row.status !== 'running');
    if (finished.length >= count || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
