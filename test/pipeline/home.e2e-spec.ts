import type { GradingUpdate } from '../../src/shared/events';
import type { HomeAtRun, HomeConflict, HomeFile, HomeListing, HomeSaved } from '../../src/shared/http-api';
import {
  api,
  connect,
  enrolledStudent,
  EnrolledStudent,
  EventLog,
  login,
  startPlatform,
  TestPlatform,
} from '../support/platform';

/**
 * The student's home directory end to end: separate API and worker processes, real PostgreSQL and
 * Redis, the embedded engine. Files saved over REST are the terminal's files and the other way round;
 * they outlive resets and restarts; replay shows them as they were after a command.
 */
describe('home directory (REST API, terminal, replay)', () => {
  let platform: TestPlatform;
  let count = 0;

  beforeAll(async () => {
    platform = await startPlatform();
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
  }, 30_000);

  async function newStudent(): Promise<EnrolledStudent> {
    count++;
    return enrolledStudent(platform, `home${count}@example.edu`);
  }

  async function run(student: EnrolledStudent, command: string) {
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.labSessionId,
      command,
    });
    if (!ack.ok) throw new Error(`rejected: ${ack.message}`);
    const exit = await student.log.exitOf(ack.data.runId, 20_000);
    return { runId: ack.data.runId, exit, output: student.log.outputOf(ack.data.runId) };
  }

  const home = (student: EnrolledStudent, route = '') => `/lab-sessions/${student.labSessionId}/home${route}`;

  function save(student: EnrolledStudent, path: string, text: string, baseVersion: number) {
    return api<HomeSaved | HomeConflict>(platform.baseUrl, student.cookie, 'PUT', home(student, '/file'), {
      path,
      text,
      baseVersion,
    });
  }

  it('lists the starter files, saves a file the terminal reads, and a file a command wrote is read back', async () => {
    const student = await newStudent();
    const listing = await api<HomeListing>(platform.baseUrl, student.cookie, 'GET', home(student));
    expect(listing.status).toBe(200);
    expect(listing.body.version).toBe(0);
    expect(listing.body.entries.map(({ path, kind }) => `${kind} ${path}`)).toEqual([
      'file deployment.yaml',
      'file pod.yaml',
      'file service.yaml',
    ]);

    const saved = await save(
      student,
      'manifests/cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
      0,
    );
    expect(saved).toMatchObject({ status: 200, body: { version: 1 } });
    await student.log.waitFor(
      (e) => e.name === 'home.changed' && e.payload.version === 1,
      5000,
      'home.changed',
    );

    expect((await run(student, 'kubectl apply -f manifests/cm.yaml')).output).toBe('configmap/cm created\n');
    const written = await run(
      student,
      'kubectl create deployment w1 --image=nginx --dry-run=client -o yaml > w.yaml',
    );
    expect(written.exit.exitCode).toBe(0);
    const event = student.log.events.find(
      (e) => e.name === 'home.changed' && e.payload.runId === written.runId,
    );
    // A redirection creates the file, then writes it (two changes, as in bash): the version moved past 1.
    const after = event?.payload.version as number;
    expect(after).toBeGreaterThan(1);
    expect(event?.payload).toEqual({
      labSessionId: student.labSessionId,
      version: after,
      runId: written.runId,
    });

    const file = await api<HomeFile>(
      platform.baseUrl,
      student.cookie,
      'GET',
      `${home(student, '/file')}?path=w.yaml`,
    );
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ path: 'w.yaml', version: after });
    expect(file.body.text).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);

    const download = await fetch(
      `${platform.baseUrl}/api${home(student, '/file')}?path=manifests/cm.yaml&download=1`,
      {
        headers: { cookie: student.cookie },
      },
    );
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="cm.yaml"; filename*=UTF-8''cm.yaml`,
    );
    expect(await download.text()).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n');
    student.socket.close();
  }, 60_000);

  it('two saves from the same version: one wins, the other gets 409 with the text as it is now', async () => {
    const student = await newStudent();
    const [first, second] = await Promise.all([
      save(student, 'notes.txt', 'tab one\n', 0),
      save(student, 'notes.txt', 'tab two\n', 0),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = first.status === 200 ? 'tab one\n' : 'tab two\n';
    const loser = (first.status === 409 ? first : second).body as HomeConflict;
    expect(loser).toEqual({
      statusCode: 409,
      message: 'the file changed since you opened it (saved elsewhere, or written by a command)',
      version: 1,
      text: winner,
    });
    // Another file saved from the old version is not a conflict.
    expect(await save(student, 'other.txt', 'x\n', 0)).toMatchObject({ status: 200, body: { version: 2 } });
    // A command writing the file after the editor read it is one too.
    await run(student, 'echo from-terminal > notes.txt');
    const now = await api<HomeListing>(platform.baseUrl, student.cookie, 'GET', home(student));
    expect(await save(student, 'notes.txt', 'stale\n', 2)).toMatchObject({
      status: 409,
      body: { version: now.body.version, text: 'from-terminal\n' },
    });
    student.socket.close();
  }, 60_000);

  it('refuses what breaks the limits or leaves the home, clearly, and writes nothing', async () => {
    const student = await newStudent();
    const big = await save(student, 'big.txt', 'x'.repeat(300 * 1024), 0);
    expect(big).toMatchObject({
      status: 413,
      body: {
        message: 'file too large: a file in this lab terminal holds at most 256 KiB (this would be 300 KiB)',
      },
    });
    const paste = await fetch(`${platform.baseUrl}/api${home(student, '/file')}`, {
      method: 'PUT',
      headers: { cookie: student.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ path: 'paste.txt', text: 'y'.repeat(10 * 1024 * 1024), baseVersion: 0 }),
    });
    expect(paste.status).toBe(413);
    expect(await paste.json()).toEqual({
      statusCode: 413,
      message: 'request too large: a file in the home holds at most 256 KiB (this request is over 1.5 MiB)',
    });
    expect((await save(student, '../etc/passwd', 'x', 0)).body).toMatchObject({
      statusCode: 400,
      message: 'a path in the home cannot contain ".."',
    });
    expect((await save(student, 'deployment.yaml/x', 'x', 0)).body).toMatchObject({
      statusCode: 400,
      message: 'deployment.yaml: Not a directory',
    });
    const listing = await api<HomeListing>(platform.baseUrl, student.cookie, 'GET', home(student));
    expect(listing.body.version).toBe(0);

    // Many tiny files: the home holds 200 entries (3 starter files, the folder, 196 files); one more is refused.
    let version = 0;
    for (let i = 0; i < 196; i++) {
      const saved = await save(student, `tiny/${i}.txt`, `${i}\n`, version);
      expect(saved.status).toBe(200);
      version = (saved.body as HomeSaved).version;
    }
    expect(await save(student, 'tiny/one-more.txt', 'x\n', version)).toMatchObject({
      status: 413,
      body: { message: 'home directory full: it holds at most 200 files and folders; remove some with rm' },
    });
    student.socket.close();
  }, 60_000);

  it('keeps the files through a reset and through API and worker restarts; removal is its own call', async () => {
    const student = await newStudent();
    await save(student, 'keep.yaml', 'kept\n', 0);
    const reset = await api(
      platform.baseUrl,
      student.cookie,
      'POST',
      `/lab-sessions/${student.labSessionId}/reset`,
    );
    expect(reset.status).toBe(200);
    expect((await run(student, 'cat keep.yaml')).output).toBe('kept\n');

    await platform.restartWorker();
    await platform.restartApi();
    student.socket.close();
    const again = await enrolledAgain(student);
    expect((await run(again, 'cat keep.yaml')).output).toBe('kept\n');

    const removed = await api<HomeSaved>(
      platform.baseUrl,
      again.cookie,
      'DELETE',
      `${home(again, '/file')}?path=keep.yaml`,
    );
    expect(removed).toMatchObject({ status: 200, body: { version: 2 } });
    expect((await run(again, 'cat keep.yaml')).output).toBe('cat: keep.yaml: No such file or directory\n');
    again.socket.close();
  }, 90_000);

  it('shows instructors the files as they were after each command; other students see nothing', async () => {
    const student = await newStudent();
    const before = await run(student, 'echo one > a.txt');
    const after = await run(student, 'echo two > b.txt');
    const teacher = await login(platform.baseUrl, 'teacher@kubelab.local');
    const atBefore = await api<HomeAtRun>(
      platform.baseUrl,
      teacher,
      'GET',
      home(student, `/at/${before.runId}`),
    );
    expect(atBefore.status).toBe(200);
    expect(atBefore.body.entries.filter((e) => e.kind === 'file').map((e) => e.path)).toEqual([
      'a.txt',
      'deployment.yaml',
      'pod.yaml',
      'service.yaml',
    ]);
    expect(atBefore.body.entries[0]).toMatchObject({ path: 'a.txt', text: 'one\n', size: 4 });
    const atAfter = await api<HomeAtRun>(
      platform.baseUrl,
      teacher,
      'GET',
      home(student, `/at/${after.runId}`),
    );
    expect(atAfter.body.entries.find((e) => e.path === 'b.txt')).toMatchObject({ text: 'two\n' });
    // Instructors read, they do not write.
    expect(
      (
        await api(platform.baseUrl, teacher, 'PUT', home(student, '/file'), {
          path: 'x',
          text: 'x',
          baseVersion: 2,
        })
      ).status,
    ).toBe(403);
    const other = await newStudent();
    expect((await api(platform.baseUrl, other.cookie, 'GET', home(student))).status).toBe(404);
    student.socket.close();
    other.socket.close();
  }, 60_000);

  it('grades a save from the editor at once: a step that checks a file follows it with no command run', async () => {
    count++;
    const student = await enrolledStudent(platform, `home${count}@example.edu`, 'batch-jobs');
    // The cluster is up once a command has run; a grading needs it.
    await run(student, 'kubectl get jobs');
    const fileReasons = (event: EventLog['events'][number]) => {
      const step = (event.payload as unknown as GradingUpdate).steps.find((s) => s.stepId === 'ttl-cleanup');
      return (step?.reasons ?? []).filter((reason) => reason.en.includes('cleanup.yaml'));
    };
    // A grading that began before a save may still announce the file as it was; the one the save queued follows.
    const graded = (since: number, fileCheck: 'failing' | 'passing') =>
      student.log.waitFor(
        (e) =>
          e.name === 'grading.updated' &&
          e.at >= since &&
          fileReasons(e).length > 0 === (fileCheck === 'failing'),
        30_000,
        `a grading after the save with the file check ${fileCheck}`,
      );
    const job = (ttl: number) =>
      `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: cleanup\nspec:\n  ttlSecondsAfterFinished: ${ttl}\n` +
      '  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n';
    const listing = await api<HomeListing>(platform.baseUrl, student.cookie, 'GET', home(student));
    const commands = student.log.events.filter((e) => e.name === 'command.accepted').length;

    let since = Date.now();
    const tooLong = await save(student, 'cleanup.yaml', job(600), listing.body.version);
    expect(tooLong.status).toBe(200);
    await graded(since, 'failing');

    since = Date.now();
    await save(student, 'cleanup.yaml', job(30), (tooLong.body as HomeSaved).version);
    await graded(since, 'passing');
    expect(student.log.events.filter((e) => e.name === 'command.accepted').length).toBe(commands);
    student.socket.close();
  }, 90_000);

  it('serves the engine’s OpenAPI documents for the editor', async () => {
    const student = await newStudent();
    const root = await api<{ paths: Record<string, { serverRelativeURL: string }> }>(
      platform.baseUrl,
      student.cookie,
      'GET',
      '/schema/openapi/v3',
    );
    expect(root.body.paths['apis/apps/v1'].serverRelativeURL).toMatch(
      /^\/api\/schema\/openapi\/v3\/apis\/apps\/v1\?hash=/,
    );
    const apps = await api<{ components: { schemas: Record<string, unknown> } }>(
      platform.baseUrl,
      student.cookie,
      'GET',
      '/schema/openapi/v3/apis/apps/v1',
    );
    expect(Object.keys(apps.body.components.schemas)).toContain('io.k8s.api.apps.v1.Deployment');
    expect(
      (await api(platform.baseUrl, student.cookie, 'GET', '/schema/openapi/v3/apis/nope/v9')).status,
    ).toBe(404);
    student.socket.close();
  }, 30_000);

  /** The same student after a restart: a new socket on their session. */
  async function enrolledAgain(student: EnrolledStudent): Promise<EnrolledStudent> {
    const socket = await connect(platform.baseUrl, student.cookie);
    const log = new EventLog(socket);
    const joined = await socket.emitWithAck('session.join', { labSessionId: student.labSessionId });
    if (!joined.ok) throw new Error(joined.message);
    return { ...student, socket, log };
  }
});
