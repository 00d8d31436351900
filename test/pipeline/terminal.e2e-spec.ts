import {
  api,
  ClientSocket,
  connect,
  enrolledStudent,
  EventLog,
  login,
  startPlatform,
  TestPlatform,
} from '../support/platform';

interface Student {
  cookie: string;
  socket: ClientSocket;
  log: EventLog;
  sessionId: string;
}

describe('terminal pipeline (separate API and worker processes, real Redis and PostgreSQL)', () => {
  let platform: TestPlatform;
  let studentCount = 0;

  async function newStudent(): Promise<Student> {
    studentCount++;
    const student = await enrolledStudent(platform, `pipeline${studentCount}@example.edu`);
    return { ...student, sessionId: student.labSessionId };
  }

  async function run(student: Student, command: string, timeoutMs = 20_000) {
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.sessionId,
      command,
    });
    if (!ack.ok) throw new Error(`rejected: ${ack.message}`);
    const exit = await student.log.exitOf(ack.data.runId, timeoutMs);
    return { runId: ack.data.runId, exit, output: student.log.outputOf(ack.data.runId) };
  }

  beforeAll(async () => {
    platform = await startPlatform({
      COMMAND_TIMEOUT_SECONDS: '8',
      COMMAND_LASTING_TIMEOUT_SECONDS: '9',
      COMMAND_MAX_OUTPUT_BYTES: '4096',
    });
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
  }, 30_000);

  it('streams a command: accepted, started, output, then exit — and keeps the record', async () => {
    const student = await newStudent();
    const { runId, exit, output } = await run(student, 'kubectl get nodes');
    expect(exit).toMatchObject({ exitCode: 0, status: 'completed', truncated: false });
    expect(output).toMatch(
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nminikube\s+Ready\s+control-plane\s+\S+\s+v1\.30\.0\n$/,
    );
    const names = student.log.of(runId).map((event) => event.name);
    expect(names[0]).toBe('command.accepted');
    expect(names[1]).toBe('command.started');
    expect(names[names.length - 1]).toBe('command.exit');
    expect(names.slice(2, -1).every((name) => name === 'command.output')).toBe(true);

    const snapshot = await student.socket.emitWithAck('session.join', { labSessionId: student.sessionId });
    expect(snapshot.ok && snapshot.data.history.find((entry) => entry.runId === runId)).toMatchObject({
      command: 'kubectl get nodes',
      status: 'completed',
      exitCode: 0,
      output,
    });
    student.socket.close();
  });

  it('delivers output while a command is still running, not only at the end', async () => {
    const student = await newStudent();
    // nginx:alpine pulls in about three seconds of real time: long enough to see progress lines.
    await run(student, 'kubectl create deployment web --image=nginx:alpine');
    const { runId, exit } = await run(student, 'kubectl rollout status deployments/web', 30_000);
    expect(exit.exitCode).toBe(0);
    const outputs = student.log.of(runId).filter((event) => event.name === 'command.output');
    const exitAt = student.log.of(runId).find((event) => event.name === 'command.exit')!.at;
    expect(outputs.length).toBeGreaterThanOrEqual(2);
    expect(outputs[0].at).toBeLessThan(exitAt - 200);
    expect(student.log.outputOf(runId)).toContain('deployment "web" successfully rolled out');
    student.socket.close();
  }, 40_000);

  it('runs one session’s commands strictly in order, one at a time, under concurrent submissions', async () => {
    const student = await newStudent();
    const commands = Array.from({ length: 15 }, (_, i) =>
      i % 2 ? 'kubectl get nodes' : `kubectl get pods -n kube-system`,
    );
    const acks = await Promise.all(
      commands.map((command) =>
        student.socket.emitWithAck('command.submit', { labSessionId: student.sessionId, command }),
      ),
    );
    const runIds = acks.map((ack) => (ack.ok ? ack.data.runId : 'rejected'));
    const seqs = acks.map((ack) => (ack.ok ? ack.data.seq : -1)).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(15);
    await Promise.all(runIds.map((runId) => student.log.exitOf(runId)));
    const bySeq = [...acks]
      .sort((a, b) => (a.ok && b.ok ? a.data.seq - b.data.seq : 0))
      .map((a) => (a.ok ? a.data.runId : ''));
    const lifecycle = student.log.events
      .filter((event) => event.name === 'command.started' || event.name === 'command.exit')
      .map((event) => `${event.name === 'command.started' ? 'start' : 'exit'}:${event.payload.runId}`);
    expect(lifecycle).toEqual(bySeq.flatMap((runId) => [`start:${runId}`, `exit:${runId}`]));
    student.socket.close();
  }, 40_000);

  it('keeps students apart: no joining, driving or hearing another student’s session', async () => {
    const alice = await newStudent();
    const bob = await newStudent();
    expect(await bob.socket.emitWithAck('session.join', { labSessionId: alice.sessionId })).toEqual({
      ok: false,
      code: 'not_found',
      message: 'Lab session not found.',
    });
    expect(
      await bob.socket.emitWithAck('command.submit', {
        labSessionId: alice.sessionId,
        command: 'kubectl get pods',
      }),
    ).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await bob.socket.emitWithAck('command.cancel', { labSessionId: alice.sessionId })).toMatchObject({
      ok: false,
    });
    expect(
      await bob.socket.emitWithAck('session.join', { labSessionId: '00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(
      await bob.socket.emitWithAck('session.join', { labSessionId: "'; drop table users; --" }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_request',
    });
    expect(await bob.socket.emitWithAck('course.watch', { courseId: platform.courseId })).toMatchObject({
      ok: false,
    });

    const { runId } = await run(alice, 'kubectl get nodes');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Bob only ever hears about his own refused attempts, never Alice's commands or cluster.
    const heard = bob.log.events.filter((event) => event.payload.labSessionId === alice.sessionId);
    expect(heard.map((event) => event.name)).toEqual(['command.rejected']);
    expect(bob.log.of(runId)).toEqual([]);

    // Over HTTP too: another student's session, replay and the gradebook are out of reach.
    expect((await api(platform.baseUrl, bob.cookie, 'GET', `/lab-sessions/${alice.sessionId}`)).status).toBe(
      404,
    );
    expect(
      (await api(platform.baseUrl, bob.cookie, 'GET', `/lab-sessions/${alice.sessionId}/replay`)).status,
    ).toBe(404);
    expect(
      (
        await api(
          platform.baseUrl,
          bob.cookie,
          'GET',
          `/courses/${platform.courseId}/gradebook?labId=lec7-k8s-basics`,
        )
      ).status,
    ).toBe(403);
    alice.socket.close();
    bob.socket.close();
  });

  it('lets the course instructor watch read-only, and refuses another course’s instructor', async () => {
    const student = await newStudent();
    const teacherCookie = await login(platform.baseUrl, 'teacher@kubelab.local');
    const teacher = await connect(platform.baseUrl, teacherCookie);
    const teacherLog = new EventLog(teacher);
    const joined = await teacher.emitWithAck('session.join', { labSessionId: student.sessionId });
    expect(joined.ok && joined.data.readOnly).toBe(true);
    expect(
      await teacher.emitWithAck('command.submit', {
        labSessionId: student.sessionId,
        command: 'kubectl get pods',
      }),
    ).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    const { runId } = await run(student, 'kubectl version');
    await teacherLog.exitOf(runId);
    expect(teacherLog.outputOf(runId)).toContain('Server Version: v1.30.0');

    const adminCookie = await login(platform.baseUrl, 'admin@kubelab.local');
    const created = await api(platform.baseUrl, adminCookie, 'POST', '/users', {
      email: 'elsewhere@kubelab.local',
      password: 'elsewhere-pass',
      displayName: 'Elsewhere',
      role: 'instructor',
    });
    expect(created.status).toBe(201);
    const otherCookie = await login(platform.baseUrl, 'elsewhere@kubelab.local', 'elsewhere-pass');
    const other = await connect(platform.baseUrl, otherCookie);
    expect(await other.emitWithAck('session.join', { labSessionId: student.sessionId })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await other.emitWithAck('course.watch', { courseId: platform.courseId })).toMatchObject({
      ok: false,
    });
    teacher.close();
    other.close();
    student.socket.close();
  });

  it('delivers a worker’s output to clients on every API instance', async () => {
    const student = await newStudent();
    const secondApi = await platform.addApiInstance();
    const teacherCookie = await login(secondApi, 'teacher@kubelab.local');
    const teacher = await connect(secondApi, teacherCookie);
    const teacherLog = new EventLog(teacher);
    expect((await teacher.emitWithAck('session.join', { labSessionId: student.sessionId })).ok).toBe(true);
    const { runId, output } = await run(student, 'kubectl get nodes');
    await teacherLog.exitOf(runId);
    expect(teacherLog.outputOf(runId)).toBe(output);
    teacher.close();
    student.socket.close();
  });

  it('refuses a websocket without a valid session cookie', async () => {
    await expect(connect(platform.baseUrl)).rejects.toThrow(/unauthorized/);
    await expect(connect(platform.baseUrl, 'kubelab_session=forged-token')).rejects.toThrow(/unauthorized/);
  });

  it('answers hostile input with an error event and runs nothing', async () => {
    const student = await newStudent();
    const hostile: unknown[] = [
      '',
      'x'.repeat(5 * 1024),
      'kubectl get pods\u0007',
      'kubectl get pods\u0000',
      'kubectl get pods \ufffd\ufffd',
      'kubectl get pods; rm -rf /',
      'curl $(cat /etc/passwd)',
      'kubectl get `id`',
      { not: 'a string' },
      Buffer.from([0xc3, 0x28]),
    ];
    for (const command of hostile) {
      const ack = await student.socket.emitWithAck('command.submit', {
        labSessionId: student.sessionId,
        command: command as string,
      });
      expect(ack).toMatchObject({ ok: false, code: 'invalid_line' });
    }
    await student.log.waitFor(
      () => student.log.events.filter((event) => event.name === 'command.rejected').length === hostile.length,
      5000,
      'a rejection per hostile line',
    );
    expect(student.log.events.filter((event) => event.name === 'command.started')).toEqual([]);
    const snapshot = await student.socket.emitWithAck('session.join', { labSessionId: student.sessionId });
    const statuses = snapshot.ok ? snapshot.data.history.map((entry) => entry.status) : [];
    expect(statuses).toEqual(hostile.map(() => 'rejected'));
    // The platform still serves the student afterwards.
    expect((await run(student, 'kubectl get nodes')).exit.exitCode).toBe(0);
    student.socket.close();
  });

  it('cancels a running command (exit 130) and a queued one', async () => {
    const student = await newStudent();
    const watch = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.sessionId,
      command: 'kubectl get pods -A -w',
    });
    const queued = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.sessionId,
      command: 'kubectl get nodes',
    });
    if (!watch.ok || !queued.ok) throw new Error('not accepted');
    await student.log.waitFor(
      (e) => e.name === 'command.output' && e.payload.runId === watch.data.runId,
      10_000,
      'watch output',
    );
    const cancelled = await student.socket.emitWithAck('command.cancel', {
      labSessionId: student.sessionId,
      runId: queued.data.runId,
    });
    expect(cancelled).toEqual({ ok: true, data: { cancelled: 1 } });
    expect(await student.log.exitOf(queued.data.runId)).toMatchObject({ exitCode: 130, status: 'cancelled' });
    await student.socket.emitWithAck('command.cancel', { labSessionId: student.sessionId });
    expect(await student.log.exitOf(watch.data.runId)).toMatchObject({ exitCode: 130, status: 'cancelled' });
    expect(student.log.of(queued.data.runId).some((event) => event.name === 'command.started')).toBe(false);
    student.socket.close();
  });

  it('stops a command at the time limit with a note, and caps its output with a marker', async () => {
    const student = await newStudent();
    // A watch follows changes until Ctrl-C, under the longer limit of runs that last.
    const watch = await run(student, 'kubectl get pods -A -w', 20_000);
    expect(watch.exit).toMatchObject({ exitCode: 124, status: 'timed_out' });
    expect(watch.exit.note).toBe(
      'Stopped after 9 s, the time limit for a command that follows changes or waits for input.',
    );
    const big = await run(student, 'kubectl get pods -A -o yaml');
    expect(big.exit.truncated).toBe(true);
    expect(big.output).toMatch(/\[output truncated: this command printed more than 4 KiB\]\n$/);
    expect(Buffer.byteLength(big.output)).toBeLessThan(4096 + 200);
    student.socket.close();
  }, 30_000);
});
