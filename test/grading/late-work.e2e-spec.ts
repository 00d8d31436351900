import path from 'node:path';
import { loadLabFile } from '../../src/labs';
import type { Gradebook } from '../../src/shared/http-api';
import {
  api,
  enrolledStudent,
  EnrolledStudent,
  login,
  startPlatform,
  TestPlatform,
} from '../support/platform';

const LAB_ID = 'lec7-k8s-basics';
const lab = loadLabFile(path.resolve(__dirname, '../../labs/lec7-k8s-basics/lab.yaml'));
const FIRST_STEP = lab.steps[0];

/**
 * Late work through the real pipeline: the Lec7 lab's due time is in the past, two students run the
 * first step's reference solution in their terminals, the worker grades it, and the gradebook flags
 * the step late for the student without an extension only.
 */
describe('late work graded by the worker (separate API and worker)', () => {
  let platform: TestPlatform;
  let teacher: string;
  let onTime: EnrolledStudent;
  let late: EnrolledStudent;

  async function runSolution(student: EnrolledStudent): Promise<void> {
    for (const command of FIRST_STEP.solution.filter((line) => !line.startsWith('#'))) {
      const ack = await student.socket.emitWithAck('command.submit', {
        labSessionId: student.labSessionId,
        command,
      });
      if (!ack.ok) throw new Error(`${command}: ${ack.message}`);
      await student.log.exitOf(ack.data.runId, 150_000);
    }
  }

  async function gradebook(): Promise<Gradebook> {
    const book = await api<Gradebook>(
      platform.baseUrl,
      teacher,
      'GET',
      `/courses/${platform.courseId}/gradebook?labId=${LAB_ID}`,
    );
    expect(book.status).toBe(200);
    return book.body;
  }

  beforeAll(async () => {
    platform = await startPlatform({ COMMAND_TIMEOUT_SECONDS: '120' });
    teacher = await login(platform.baseUrl, 'teacher@kubelab.local');
    onTime = await enrolledStudent(platform, 'extended@example.edu');
    late = await enrolledStudent(platform, 'late@example.edu');
  }, 120_000);

  afterAll(async () => {
    onTime?.socket.close();
    late?.socket.close();
    await platform?.stop();
  }, 30_000);

  it('flags a step passed after the due time, except for the student with an extension', async () => {
    const schedule = await api<{ labs: { labId: string }[] }>(
      platform.baseUrl,
      teacher,
      'GET',
      `/courses/${platform.courseId}/schedule`,
    );
    const dueAt = new Date(Date.now() - 60_000).toISOString();
    const saved = await api(platform.baseUrl, teacher, 'PUT', `/courses/${platform.courseId}/schedule`, {
      labs: schedule.body.labs.map((entry) => ({
        labId: entry.labId,
        opensAt: null,
        dueAt: entry.labId === LAB_ID ? dueAt : null,
        weight: 1,
      })),
    });
    expect(saved.status).toBe(200);
    const roster = await api<{ id: string; email: string }[]>(
      platform.baseUrl,
      teacher,
      'GET',
      `/courses/${platform.courseId}/students`,
    );
    const extendedId = roster.body.find((student) => student.email === 'extended@example.edu')!.id;
    const extension = await api(
      platform.baseUrl,
      teacher,
      'PUT',
      `/courses/${platform.courseId}/labs/${LAB_ID}/extensions/${extendedId}`,
      { dueAt: '2099-01-01T00:00' },
    );
    expect(extension.status).toBe(200);

    await Promise.all([runSolution(onTime), runSolution(late)]);
    // The worker grades after the commands; wait (generously: the machine is shared) for both passes.
    const deadline = Date.now() + 150_000;
    let book = await gradebook();
    const cell = (email: string) => book.rows.find((row) => row.email === email)?.steps[FIRST_STEP.id];
    while (
      (cell('late@example.edu')?.state !== 'passed' || cell('extended@example.edu')?.state !== 'passed') &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      book = await gradebook();
    }
    expect(cell('late@example.edu')).toMatchObject({
      state: 'passed',
      points: FIRST_STEP.points,
      late: true,
    });
    expect(cell('extended@example.edu')).toMatchObject({
      state: 'passed',
      points: FIRST_STEP.points,
      late: false,
    });
    const rowOf = (email: string) => book.rows.find((row) => row.email === email)!;
    expect(rowOf('late@example.edu')).toMatchObject({ late: true, dueAt });
    expect(rowOf('extended@example.edu')).toMatchObject({ late: false, dueAt: '2098-12-31T16:00:00.000Z' });
  }, 400_000);
});
