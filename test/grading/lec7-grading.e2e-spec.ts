import path from 'node:path';
import { loadLabFile } from '../../src/labs';
import type { GradingUpdate } from '../../src/shared/events';
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

const LAB_ID = 'lec7-k8s-basics';
const lab = loadLabFile(path.resolve(__dirname, '../../labs/lec7-k8s-basics/lab.yaml'));

/**
 * A student works through the whole Lec7 lab over the websocket, on a wall clock, the way the handout
 * describes it; the instructor watches, reads the gradebook, overrides a step and exports CSV. The
 * cluster's clock runs 10 times faster than real time (CLUSTER_TIME_SCALE), so image pulls and rollouts
 * take seconds: the path is the real-time one (the cluster moves when the student looks), only quicker.
 */
describe('Lec7 lab graded live (separate API and worker, wall clock at 10x)', () => {
  let platform: TestPlatform;
  let student: { cookie: string; socket: ClientSocket; log: EventLog; sessionId: string };
  let teacher: { cookie: string; socket: ClientSocket; log: EventLog };

  async function run(command: string): Promise<{ output: string; exitCode: number }> {
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.sessionId,
      command,
    });
    if (!ack.ok) throw new Error(`${command}: ${ack.message}`);
    const exit = await student.log.exitOf(ack.data.runId, 150_000);
    return { output: student.log.outputOf(ack.data.runId), exitCode: exit.exitCode };
  }

  function passedSteps(): string[] {
    return student.log.events
      .filter((event) => event.name === 'grading.updated')
      .flatMap((event) => (event.payload as unknown as GradingUpdate).newlyPassed);
  }

  /** What a student reads off the screen to fill in a placeholder of the handout's commands. */
  async function resolve(line: string): Promise<string> {
    let resolved = line;
    if (resolved.includes('{{nodePort}}')) {
      const { output } = await run('kubectl get service yanwei -o jsonpath={.spec.ports[0].nodePort}');
      resolved = resolved.replaceAll('{{nodePort}}', output.trim());
    }
    if (resolved.includes('{{appPod}}')) {
      const { output } = await run(
        'kubectl get pods -l app=yanwei.app -o jsonpath={.items[0].metadata.name}',
      );
      resolved = resolved.replaceAll('{{appPod}}', output.trim());
    }
    return resolved;
  }

  beforeAll(async () => {
    platform = await startPlatform({ COMMAND_TIMEOUT_SECONDS: '120', CLUSTER_TIME_SCALE: '10' });
    const enrolled = await enrolledStudent(platform, 'lin@example.edu');
    student = { ...enrolled, sessionId: enrolled.labSessionId };

    const teacherCookie = await login(platform.baseUrl, 'teacher@kubelab.local');
    const teacherSocket = await connect(platform.baseUrl, teacherCookie);
    teacher = { cookie: teacherCookie, socket: teacherSocket, log: new EventLog(teacherSocket) };
    expect(await teacherSocket.emitWithAck('course.watch', { courseId: platform.courseId })).toEqual({
      ok: true,
      data: null,
    });
  }, 60_000);

  afterAll(async () => {
    student?.socket.close();
    teacher?.socket.close();
    await platform?.stop();
  }, 30_000);

  it('passes every step, in order, as the student works', async () => {
    for (const step of lab.steps) {
      let lastLook = 'kubectl get pods';
      for (const line of step.solution) {
        if (line.startsWith('#')) continue;
        const command = await resolve(line);
        await run(command);
        if (/^kubectl get /.test(command)) lastLook = command;
      }
      // Like a student, look again until the cluster has caught up (pulls and rollouts take real time).
      const deadline = Date.now() + 150_000;
      while (!passedSteps().includes(step.id) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (!passedSteps().includes(step.id)) await run(lastLook);
      }
      expect(passedSteps()).toContain(step.id);
    }
    expect(passedSteps()).toEqual(lab.steps.map((step) => step.id));
    // The instructor watching the course saw the same passes live (on a socket of its own: the last one may
    // reach it a moment after the student's).
    const seenByTeacher = () =>
      teacher.log.events
        .filter(
          (event) => event.name === 'grading.updated' && event.payload.labSessionId === student.sessionId,
        )
        .flatMap((event) => (event.payload as unknown as GradingUpdate).newlyPassed);
    for (let i = 0; i < 100 && seenByTeacher().length < lab.steps.length; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seenByTeacher()).toEqual(lab.steps.map((step) => step.id));
  }, 900_000);

  it('shows the result in the gradebook and the CSV, and records an override in the audit', async () => {
    const book = await api<{ rows: { email: string; totalPoints: number; completedAt: string | null }[] }>(
      platform.baseUrl,
      teacher.cookie,
      'GET',
      `/courses/${platform.courseId}/gradebook?labId=${LAB_ID}`,
    );
    expect(book.status).toBe(200);
    const row = book.body.rows.find((candidate) => candidate.email === 'lin@example.edu');
    expect(row).toMatchObject({ totalPoints: 100 });
    expect(row?.completedAt).not.toBeNull();

    const csv = await fetch(
      `${platform.baseUrl}/api/courses/${platform.courseId}/gradebook.csv?labId=${LAB_ID}`,
      {
        headers: { cookie: teacher.cookie },
      },
    );
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(
      `email,name,${lab.steps.map((s) => `${s.id} (${s.points})`).join(',')},total,max,completed_at,due_at,late,late_steps,lab_version`,
    );
    expect(lines.find((line) => line.startsWith('lin@example.edu,lin,'))).toMatch(/,100,100,\d{4}-/);

    const override = await api(
      platform.baseUrl,
      teacher.cookie,
      'PUT',
      `/lab-sessions/${student.sessionId}/steps/label-pod/override`,
      {
        points: 3,
        comment: 'Labelled the node instead of the pod first',
      },
    );
    expect(override.status).toBe(200);
    const after = await api<{
      rows: { email: string; totalPoints: number; steps: Record<string, { overridden: boolean }> }[];
    }>(platform.baseUrl, teacher.cookie, 'GET', `/courses/${platform.courseId}/gradebook?labId=${LAB_ID}`);
    const updated = after.body.rows.find((candidate) => candidate.email === 'lin@example.edu');
    expect(updated?.totalPoints).toBe(98);
    expect(updated?.steps['label-pod'].overridden).toBe(true);

    const replay = await api<{
      events: { type: string; stepId?: string; comment?: string; command?: string }[];
    }>(platform.baseUrl, teacher.cookie, 'GET', `/lab-sessions/${student.sessionId}/replay`);
    expect(replay.body.events.filter((e) => e.type === 'override')).toEqual([
      expect.objectContaining({ stepId: 'label-pod', comment: 'Labelled the node instead of the pod first' }),
    ]);
    expect(replay.body.events.filter((e) => e.type === 'command')[0]).toMatchObject({
      command: 'kubectl version',
    });
    expect(
      replay.body.events.filter((e) => e.type === 'grading' && (e as { state?: string }).state === 'passed'),
    ).toHaveLength(lab.steps.length);
    const audit = await platform.db.prisma.auditEvent.findMany({ where: { action: 'grade.override' } });
    expect(audit).toEqual([
      expect.objectContaining({ targetType: 'lab_session', targetId: student.sessionId }),
    ]);

    // Bad overrides are refused with clear messages.
    expect(
      (
        await api(
          platform.baseUrl,
          teacher.cookie,
          'PUT',
          `/lab-sessions/${student.sessionId}/steps/label-pod/override`,
          { points: 50, comment: 'x' },
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await api(
          platform.baseUrl,
          teacher.cookie,
          'PUT',
          `/lab-sessions/${student.sessionId}/steps/no-such-step/override`,
          { points: 1, comment: 'x' },
        )
      ).status,
    ).toBe(404);
    // The student can read neither the gradebook nor override.
    expect(
      (
        await api(
          platform.baseUrl,
          student.cookie,
          'GET',
          `/courses/${platform.courseId}/gradebook?labId=${LAB_ID}`,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await api(
          platform.baseUrl,
          student.cookie,
          'PUT',
          `/lab-sessions/${student.sessionId}/steps/label-pod/override`,
          { points: 5, comment: 'me' },
        )
      ).status,
    ).toBe(403);
  });
});
