import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type {
  AuthoringLabs,
  Draft,
  DraftConflict,
  DraftSaved,
  DraftValidation,
  Proof,
  Regrade,
} from '../../src/shared/authoring-api';
import { slowLabFiles } from '../../src/authoring/testing/slow-lab';
import type { GradingUpdate, ProofProgress } from '../../src/shared/events';
import type { Gradebook } from '../../src/shared/http-api';
import {
  api,
  ClientSocket,
  connect,
  enrolledStudent,
  EnrolledStudent,
  EventLog,
  login,
  startPlatform,
  TestPlatform,
} from '../support/platform';

const LAB = 'e2e-demo';
const PROOF_LIMIT_SECONDS = 15;

/**
 * Lab authoring against the real platform (separate API and worker, PostgreSQL, Redis): a draft is
 * written, validated, proven on the worker, published, taken by students while it changes, regraded,
 * moved in and out as a bundle, and kept from other courses' instructors.
 */
describe('lab authoring (separate API and worker)', () => {
  let platform: TestPlatform;
  let teacher: string;
  let teacherSocket: ClientSocket;
  let teacherLog: EventLog;
  let draft: Draft;
  let outsider: { cookie: string; courseId: string };
  const students: EnrolledStudent[] = [];

  const call = <T>(cookie: string, method: string, route: string, body?: unknown) =>
    api<T>(platform.baseUrl, cookie, method, route, body);

  async function upload(cookie: string, route: string, body: Buffer) {
    const response = await fetch(`${platform.baseUrl}/api${route}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/gzip' },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  }

  async function save(path: string, content: string) {
    const saved = await call<DraftSaved>(teacher, 'PUT', `/authoring/drafts/${draft.draftId}/files`, {
      path,
      content,
      baseRevision: draft.revision,
    });
    expect(saved.status).toBe(200);
    draft = { ...draft, revision: saved.body.revision, files: { ...draft.files, [path]: content } };
    return saved.body;
  }

  /** Proves the draft's current revision and waits for the verdict over the websocket. */
  async function prove(draftId = draft.draftId): Promise<{ proofId: string; events: ProofProgress[] }> {
    const asked = await call<{ proofId: string }>(teacher, 'POST', `/authoring/drafts/${draftId}/prove`);
    expect(asked.status).toBe(202);
    const { proofId } = asked.body;
    await teacherLog.waitFor(
      (event) =>
        event.name === 'authoring.proof' &&
        event.payload.proofId === proofId &&
        (event.payload.state === 'passed' || event.payload.state === 'failed'),
      120_000,
      `proof ${proofId}`,
    );
    const events = teacherLog.events
      .filter((event) => event.name === 'authoring.proof' && event.payload.proofId === proofId)
      .map((event) => event.payload as unknown as ProofProgress);
    return { proofId, events };
  }

  async function gradebook(): Promise<Gradebook> {
    const book = await call<Gradebook>(
      teacher,
      'GET',
      `/courses/${platform.courseId}/gradebook?labId=${LAB}`,
    );
    expect(book.status).toBe(200);
    return book.body;
  }

  async function runAndGrade(student: EnrolledStudent, command: string): Promise<GradingUpdate> {
    const before = student.log.events.length;
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.labSessionId,
      command,
    });
    if (!ack.ok) throw new Error(`${command}: ${ack.message}`);
    await student.log.exitOf(ack.data.runId, 120_000);
    const isPassing = (event: EventLog['events'][number]) =>
      event.name === 'grading.updated' &&
      (event.payload as unknown as GradingUpdate).steps.some((step) => step.state === 'passed');
    await student.log.waitFor(
      (event) => student.log.events.indexOf(event) >= before && isPassing(event),
      120_000,
      `grading of ${command}`,
    );
    return student.log.events.filter(isPassing).at(-1)?.payload as unknown as GradingUpdate;
  }

  beforeAll(async () => {
    // Proofs stop at 15 s here instead of 60 s, so a test can watch one being stopped.
    platform = await startPlatform({ LAB_PROOF_TIMEOUT_SECONDS: String(PROOF_LIMIT_SECONDS) });
    teacher = await login(platform.baseUrl, 'teacher@kubelab.local');
    teacherSocket = await connect(platform.baseUrl, teacher);
    teacherLog = new EventLog(teacherSocket);
    // Another course's instructor: made by the admin, with a course of their own.
    const admin = await login(platform.baseUrl, 'admin@kubelab.local');
    const made = await call(admin, 'POST', '/users', {
      email: 'other-teacher@example.edu',
      password: 'password-123',
      displayName: 'Other Teacher',
      role: 'instructor',
    });
    expect(made.status).toBe(201);
    const cookie = await login(platform.baseUrl, 'other-teacher@example.edu', 'password-123');
    const course = await call<{ id: string }>(cookie, 'POST', '/courses', { title: 'Another university' });
    expect(course.status).toBe(201);
    outsider = { cookie, courseId: course.body.id };
  }, 120_000);

  afterAll(async () => {
    teacherSocket?.disconnect();
    for (const student of students) student.socket.disconnect();
    await platform?.stop();
  });

  it('creates a draft, reports problems inline with file, step, field and line, and refuses a stale save', async () => {
    const created = await call<Draft>(teacher, 'POST', '/authoring/drafts', {
      courseId: platform.courseId,
      labId: LAB,
    });
    expect(created.status).toBe(201);
    draft = created.body;
    expect(draft).toMatchObject({ labId: LAB, courseId: platform.courseId, revision: 1, problems: [] });
    expect(Object.keys(draft.files).sort()).toEqual([
      'description.md',
      'lab.yaml',
      'steps/01-create-namespace.md',
    ]);
    const watched = await teacherSocket.emitWithAck('authoring.watch', { draftId: draft.draftId });
    expect(watched).toEqual({ ok: true, data: null });

    const staleRevision = draft.revision;
    const broken = await save('lab.yaml', draft.files['lab.yaml'].replace('points: 10', 'points: ten'));
    expect(broken).toEqual({
      revision: 2,
      problems: [
        {
          file: 'lab.yaml',
          step: 'create-namespace',
          field: 'points',
          line: 14,
          message: 'expected an integer >= 1',
        },
      ],
    });
    await teacherLog.waitFor(
      (event) => event.name === 'authoring.draft' && event.payload.revision === 2,
      20_000,
      'authoring.draft',
    );
    const validated = await call<DraftValidation>(
      teacher,
      'POST',
      `/authoring/drafts/${draft.draftId}/validate`,
    );
    expect(validated.status).toBe(200);
    expect(validated.body.problems).toEqual(broken.problems);
    expect(validated.body.lab).toBeUndefined();

    // A second author still on revision 1 does not overwrite revision 2: 409 with what is there now.
    const stale = await call<DraftConflict>(teacher, 'PUT', `/authoring/drafts/${draft.draftId}/files`, {
      path: 'description.md',
      content: 'overwrite',
      baseRevision: staleRevision,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'draft_conflict', revision: 2 });
    expect(stale.body.files['lab.yaml']).toContain('points: ten');
    expect(stale.body.files['description.md']).not.toBe('overwrite');

    const fixed = await save('lab.yaml', draft.files['lab.yaml'].replace('points: ten', 'points: 10'));
    expect(fixed).toEqual({ revision: 3, problems: [] });
    const preview = await call<DraftValidation>(
      teacher,
      'POST',
      `/authoring/drafts/${draft.draftId}/validate`,
    );
    expect(preview.body.lab).toMatchObject({
      labId: LAB,
      title: { en: 'New lab', 'zh-CN': '新实验' },
      steps: [
        { id: 'create-namespace', points: 10, instructions: { en: 'Create a namespace called `demo`.' } },
      ],
    });
  });

  it('refuses to publish a revision without a passing proof', async () => {
    const refused = await call<{ code: string; message: string }>(
      teacher,
      'POST',
      `/authoring/drafts/${draft.draftId}/publish`,
      { courseId: platform.courseId },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('proof_required');
    expect(refused.body.message).toBe('Revision 3 has no passing proof; prove it first.');
  });

  it('proves the draft on the worker, streaming each step, then publishes version 1', async () => {
    const { proofId, events } = await prove();
    expect(events.map((event) => event.state)).toEqual(['queued', 'running', 'running', 'passed']);
    expect(events[2].step).toEqual({ id: 'create-namespace', index: 0, total: 1, outcome: 'passed' });
    const proof = await call<Proof>(teacher, 'GET', `/authoring/proofs/${proofId}`);
    expect(proof.body).toEqual({
      proofId,
      draftId: draft.draftId,
      revision: 3,
      state: 'passed',
      steps: [{ id: 'create-namespace', index: 0, total: 1, outcome: 'passed' }],
    });

    const published = await call(teacher, 'POST', `/authoring/drafts/${draft.draftId}/publish`, {
      courseId: platform.courseId,
    });
    expect(published.status).toBe(201);
    expect(published.body).toEqual({ labId: LAB, version: 1 });
    const labs = await call<AuthoringLabs>(teacher, 'GET', `/authoring/labs?courseId=${platform.courseId}`);
    expect(labs.body.builtIn.map((lab) => lab.labId)).toContain('lec7-k8s-basics');
    expect(labs.body.drafts).toEqual([expect.objectContaining({ draftId: draft.draftId, revision: 3 })]);
    expect(labs.body.published).toEqual([
      expect.objectContaining({
        labId: LAB,
        courseId: platform.courseId,
        versions: [
          expect.objectContaining({
            version: 1,
            publishedBy: expect.objectContaining({ displayName: expect.any(String) }),
          }),
        ],
      }),
    ]);
  });

  it('keeps a running session on the version it started with while a new one is published', async () => {
    students.push(await enrolledStudent(platform, 'pinned@example.edu', LAB));
    // Version 2 doubles the step's points.
    await save('lab.yaml', draft.files['lab.yaml'].replace('points: 10', 'points: 20'));
    expect((await prove()).events.at(-1)?.state).toBe('passed');
    const v2 = await call(teacher, 'POST', `/authoring/drafts/${draft.draftId}/publish`, {
      courseId: platform.courseId,
    });
    expect(v2.body).toEqual({ labId: LAB, version: 2 });
    students.push(await enrolledStudent(platform, 'newer@example.edu', LAB));

    const [pinned, newer] = students;
    const graded = await runAndGrade(pinned, 'kubectl create namespace demo');
    expect(graded).toMatchObject({ totalPoints: 10, maxPoints: 10 });
    expect((await runAndGrade(newer, 'kubectl create namespace demo')).maxPoints).toBe(20);

    const rows = new Map((await gradebook()).rows.map((row) => [row.email, row]));
    expect(rows.get('pinned@example.edu')).toMatchObject({ labVersion: 1, totalPoints: 10 });
    expect(rows.get('newer@example.edu')).toMatchObject({ labVersion: 2, totalPoints: 20 });
    // The CSV says the same, in its last column.
    const csv = await fetch(
      `${platform.baseUrl}/api/courses/${platform.courseId}/gradebook.csv?labId=${LAB}`,
      {
        headers: { cookie: teacher },
      },
    );
    const lines = (await csv.text()).slice(1).trim().split('\r\n');
    expect(lines[0].endsWith(',lab_version')).toBe(true);
    expect(lines.find((line) => line.startsWith('pinned@example.edu,'))).toMatch(/,1$/);
    expect(lines.find((line) => line.startsWith('newer@example.edu,'))).toMatch(/,2$/);
  }, 300_000);

  it('regrades the sessions of version 1 against version 2, with progress', async () => {
    const asked = await call<{ regradeId: string }>(teacher, 'POST', `/authoring/labs/${LAB}/regrade`, {
      courseId: platform.courseId,
      fromVersion: 1,
    });
    expect(asked.status).toBe(202);
    let regrade: Regrade | undefined;
    for (let tries = 0; tries < 240; tries++) {
      regrade = (await call<Regrade>(teacher, 'GET', `/authoring/regrades/${asked.body.regradeId}`)).body;
      if (regrade.state === 'done' || regrade.state === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(regrade).toMatchObject({
      labId: LAB,
      fromVersion: 1,
      toVersion: 2,
      state: 'done',
      done: 1,
      total: 1,
    });
    const rows = new Map((await gradebook()).rows.map((row) => [row.email, row]));
    expect(rows.get('pinned@example.edu')).toMatchObject({ labVersion: 2, totalPoints: 20, maxPoints: 20 });
  }, 180_000);

  it('exports a version and a built-in lab as .tar.gz and imports them back as drafts', async () => {
    const exported = await fetch(
      `${platform.baseUrl}/api/authoring/labs/${LAB}/export.tar.gz?courseId=${platform.courseId}&version=1`,
      { headers: { cookie: teacher } },
    );
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/application\/gzip/);
    const bundle = Buffer.from(await exported.arrayBuffer());
    // GNU tar sees the labs/ layout: one folder named after the lab.
    const listing = execFileSync('tar', ['-tzf', '-'], { input: bundle }).toString().trim().split('\n');
    expect(listing.sort()).toEqual([
      `${LAB}/description.md`,
      `${LAB}/lab.yaml`,
      `${LAB}/steps/01-create-namespace.md`,
    ]);

    const imported = await upload(
      teacher,
      `/authoring/import?courseId=${platform.courseId}&labId=e2e-imported`,
      bundle,
    );
    expect(imported.status).toBe(201);
    const copy = imported.body as unknown as Draft;
    expect(copy).toMatchObject({ labId: 'e2e-imported', revision: 1, problems: [] });
    expect(copy.files['lab.yaml']).toBe(
      draft.files['lab.yaml'].replace(`id: ${LAB}`, 'id: e2e-imported').replace('points: 20', 'points: 10'),
    );

    const builtIn = await fetch(
      `${platform.baseUrl}/api/authoring/labs/lec7-k8s-basics/export.tar.gz?courseId=${platform.courseId}`,
      { headers: { cookie: teacher } },
    );
    const lec7 = await upload(
      teacher,
      `/authoring/import?courseId=${platform.courseId}&labId=lec7-mine`,
      Buffer.from(await builtIn.arrayBuffer()),
    );
    expect(lec7.status).toBe(201);
    expect(lec7.body).toMatchObject({ labId: 'lec7-mine', problems: [] });
    // Built-in labs are read-only: a draft under their own id is refused.
    const sameId = await call<{ code: string }>(teacher, 'POST', '/authoring/drafts', {
      courseId: platform.courseId,
      copyFrom: { labId: 'lec7-k8s-basics' },
      labId: 'lec7-k8s-basics',
    });
    expect(sameId.status).toBe(409);
    expect(sameId.body.code).toBe('lab_id_taken');
  });

  it('refuses bad bundles with a clear message and stores nothing', async () => {
    const route = `/authoring/import?courseId=${platform.courseId}`;
    const dir = mkdtempSync(join(tmpdir(), 'bad-bundles-'));
    try {
      const tarOf = (...args: string[]) => execFileSync('tar', ['-czf', '-', ...args], { cwd: dir });
      mkdirSync(join(dir, 'evil', 'steps'), { recursive: true });
      writeFileSync(join(dir, 'evil', 'lab.yaml'), 'id: evil\n');
      symlinkSync('/etc/passwd', join(dir, 'evil', 'steps', 'passwd.md'));
      const cases: [Buffer, string | RegExp][] = [
        [
          Buffer.alloc(2 * 1024 * 1024 + 10, 1),
          'Refused: the bundle is 2.00 MiB, more than the 2.00 MiB a lab may be.',
        ],
        [tarOf('evil'), 'Refused: "evil/steps/passwd.md" is a symbolic link; a bundle holds only files.'],
        [tarOf('--transform', 's,^,evil/../../,', 'evil/lab.yaml'), /escapes the bundle's folder/],
        [Buffer.from('just text'), 'Refused: the bundle is not a gzip-compressed file (.tar.gz).'],
      ];
      rmSync(join(dir, 'evil', 'steps', 'passwd.md'));
      writeFileSync(join(dir, 'evil', 'description.md'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      cases.push([tarOf('evil'), 'Refused: "description.md" is not UTF-8 text.']);
      rmSync(join(dir, 'evil', 'description.md'));
      const bomb = ['id: evil', 'a: &a [x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]'];
      for (const [index, name] of ['c', 'd', 'e', 'f'].entries())
        bomb.push(
          `${name}: &${name} [${Array(9)
            .fill(`*${'abcdef'[index + 1]}`)
            .join(',')}]`,
        );
      writeFileSync(join(dir, 'evil', 'lab.yaml'), bomb.join('\n'));
      cases.push([
        tarOf('evil'),
        /^Refused: lab.yaml is not valid YAML: invalid YAML: aliases expand too much/,
      ]);
      for (const [body, message] of cases) {
        const refused = await upload(teacher, route, body);
        expect({ status: refused.status, message: refused.body.message }).toEqual({
          status: 400,
          message: typeof message === 'string' ? message : expect.stringMatching(message),
        });
      }
      // Oversized plain uploads are refused the same way (gzip of > 2 MiB of files).
      const huge = gzipSync(Buffer.alloc(3 * 1024 * 1024));
      expect((await upload(teacher, route, huge)).status).toBe(400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const labs = await call<AuthoringLabs>(teacher, 'GET', `/authoring/labs?courseId=${platform.courseId}`);
    expect(labs.body.drafts.map((summary) => summary.labId).sort()).toEqual([
      LAB,
      'e2e-imported',
      'lec7-mine',
    ]);
  });

  it('keeps a draft from another course and from students, and lets an admin share a lab', async () => {
    const { cookie, courseId } = outsider;
    expect((await call(cookie, 'GET', `/authoring/drafts/${draft.draftId}`)).status).toBe(404);
    const overwrite = await call(cookie, 'PUT', `/authoring/drafts/${draft.draftId}/files`, {
      path: 'lab.yaml',
      content: 'id: x',
      baseRevision: draft.revision,
    });
    expect(overwrite.status).toBe(404);
    expect((await call(cookie, 'POST', `/authoring/drafts/${draft.draftId}/prove`)).status).toBe(404);
    expect((await call(cookie, 'GET', `/authoring/labs?courseId=${platform.courseId}`)).status).toBe(404);
    const socket = await connect(platform.baseUrl, cookie);
    expect(await socket.emitWithAck('authoring.watch', { draftId: draft.draftId })).toEqual({
      ok: false,
      code: 'not_found',
      message: 'Draft not found.',
    });
    socket.disconnect();
    const own = await call<AuthoringLabs>(cookie, 'GET', `/authoring/labs?courseId=${courseId}`);
    expect(own.body.drafts).toEqual([]);
    expect(own.body.published).toEqual([]);
    const copyBefore = await call(cookie, 'POST', '/authoring/drafts', {
      courseId,
      copyFrom: { labId: LAB },
    });
    expect(copyBefore.status).toBe(404);
    expect(
      (await call(students[0].cookie, 'GET', `/authoring/labs?courseId=${platform.courseId}`)).status,
    ).toBe(403);

    const admin = await login(platform.baseUrl, 'admin@kubelab.local');
    expect((await call(teacher, 'POST', `/authoring/labs/${LAB}/share`, { shared: true })).status).toBe(403);
    const shared = await call(admin, 'POST', `/authoring/labs/${LAB}/share`, { shared: true });
    expect(shared.body).toEqual({ labId: LAB, shared: true });
    const visible = await call<AuthoringLabs>(cookie, 'GET', `/authoring/labs?courseId=${courseId}`);
    expect(visible.body.published.map((lab) => lab.labId)).toEqual([LAB]);
    const copy = await call<Draft>(cookie, 'POST', '/authoring/drafts', {
      courseId,
      copyFrom: { labId: LAB, version: 2 },
    });
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ labId: `${LAB}-copy`, courseId, problems: [] });
  });

  it('starts a private trial session of the draft that no gradebook counts', async () => {
    const trial = await call<{ labSessionId: string }>(
      teacher,
      'POST',
      `/authoring/drafts/${draft.draftId}/try`,
    );
    expect(trial.status).toBe(201);
    const session = await call<{ labId: string; userId: string }>(
      teacher,
      'GET',
      `/lab-sessions/${trial.body.labSessionId}`,
    );
    expect(session.body.labId).toBe(`trial-${draft.draftId}`);
    const book = await gradebook();
    expect(book.rows.map((row) => row.labSessionId)).not.toContain(trial.body.labSessionId);

    // The workspace opens the hidden lab and resumes the session as a student's page does: the lab without
    // its solutions, and the same session (a second start does not make another).
    const labPath = `/courses/${platform.courseId}/labs/trial-${draft.draftId}`;
    const lab = await call<{ id: string; steps: { solution?: string[] }[] }>(teacher, 'GET', labPath);
    expect(lab.status).toBe(200);
    expect(lab.body.id).toBe(`trial-${draft.draftId}`);
    expect(lab.body.steps.every((step) => step.solution === undefined)).toBe(true);
    const resumed = await call<{ id: string }>(teacher, 'POST', `${labPath}/session`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.id).toBe(trial.body.labSessionId);
    // Nobody else reaches it: for a student of the course the hidden lab is in no schedule, so absent.
    const student = await login(platform.baseUrl, 'student1@kubelab.local');
    expect((await call(student, 'GET', labPath)).status).toBe(404);
  });

  it('stops a self-test past its time limit with a clear message, and the worker goes on proving', async () => {
    const slow = await call<Draft>(teacher, 'POST', '/authoring/drafts', {
      courseId: platform.courseId,
      labId: 'e2e-slow',
    });
    const files = slowLabFiles('e2e-slow', 60);
    const saved = await call<DraftSaved>(teacher, 'PUT', `/authoring/drafts/${slow.body.draftId}/files`, {
      path: 'lab.yaml',
      content: files['lab.yaml'],
      baseRevision: slow.body.revision,
    });
    expect(saved.body.problems).toEqual([]);
    await teacherSocket.emitWithAck('authoring.watch', { draftId: slow.body.draftId });
    const { proofId, events } = await prove(slow.body.draftId);
    const verdict = events.at(-1) as ProofProgress;
    expect(verdict.state).toBe('failed');
    expect(verdict.message).toMatch(
      new RegExp(
        `^The self-test ran past ${PROOF_LIMIT_SECONDS} s and was stopped \\(after \\d+ of 60 steps\\)`,
      ),
    );
    const stored = await call<Proof>(teacher, 'GET', `/authoring/proofs/${proofId}`);
    expect(stored.body).toMatchObject({ state: 'failed', message: verdict.message });
    expect(stored.body.steps.length).toBeLessThan(60);
    // The worker is still there: the next proof runs and passes.
    expect((await prove()).events.at(-1)?.state).toBe('passed');
  }, 180_000);
});
