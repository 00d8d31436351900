import * as https from 'node:https';
import type { PlatformLoad } from '../../src/shared/http-api';
import {
  api,
  EnrolledStudent,
  enrolledStudent,
  explainingFailure,
  login,
  startPlatform,
  TestPlatform,
} from '../support/platform';

const BOUND = 5;

/**
 * Overload (issue 21) on the real platform: one worker with one command slot and a bound of 5 waiting sessions.
 * A watch holds the slot, six sessions' commands wait behind it, and the next command is refused at admission
 * with a retry hint (answered at once, never a timeout); once the watch ends the queue drains, the refused line
 * retried with the same client reference is accepted, and a repeat of that reference does not run it twice.
 */
describe('overload: admission by worker load', () => {
  let platform: TestPlatform;
  const students: EnrolledStudent[] = [];

  beforeAll(async () => {
    platform = await startPlatform({
      WORKER_CONCURRENCY: '1',
      ADMISSION_MAX_WAITING: String(BOUND),
      ADMISSION_MAX_WAIT_MS: '0',
    });
    const emails = Array.from({ length: BOUND + 3 }, (_, index) => `overload${index}@example.edu`);
    students.push(...(await Promise.all(emails.map((email) => enrolledStudent(platform, email)))));
  }, 120_000);

  afterAll(async () => {
    for (const student of students) student.socket.close();
    await platform?.stop();
  }, 30_000);

  const submit = (student: EnrolledStudent, command: string, clientRef: string) =>
    student.socket.emitWithAck('command.submit', { labSessionId: student.labSessionId, command, clientRef });

  /** A GET on the session's Kubernetes API with its kubeconfig's server, token and CA, as kubectl sends it. */
  async function kubeApiGet(student: EnrolledStudent, apiPath: string) {
    const response = await fetch(
      `${platform.baseUrl}/api/lab-sessions/${student.labSessionId}/kube-api/kubeconfig`,
      { headers: { cookie: student.cookie } },
    );
    const kubeconfig = await response.text();
    const field = (name: string) => new RegExp(`${name}: (\\S+)`).exec(kubeconfig)?.[1] as string;
    const ca = Buffer.from(field('certificate-authority-data'), 'base64').toString();
    return new Promise<{ status: number; retryAfter: unknown; text: string }>((resolve, reject) => {
      const req = https.get(`${field('server')}${apiPath}`, {
        ca,
        headers: { authorization: `Bearer ${field('token')}` },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], text }),
        );
      });
      req.on('error', reject);
    });
  }

  async function accepted(student: EnrolledStudent, command: string, clientRef: string): Promise<string> {
    const ack = await submit(student, command, clientRef);
    if (!ack.ok) throw new Error(`${command} refused: ${ack.message}`);
    return ack.data.runId;
  }

  it('refuses beyond the bound with a retry hint, and accepts again once the load ends', async () => {
    const [holder, ...rest] = students;
    const waiting = rest.slice(0, BOUND + 1);
    const late = rest[BOUND + 1];

    // The worker's one slot is held by a watch (it lasts until Ctrl-C).
    const watch = await accepted(holder, 'kubectl get pods -w', 'watch');
    await explainingFailure(
      platform,
      holder.log.waitFor(
        (e) => e.name === 'command.started' && e.payload.runId === watch,
        20_000,
        'the watch start',
      ),
    );
    // Six sessions' drains wait behind it: one beyond the bound.
    const queued = await Promise.all(
      waiting.map((student, index) => accepted(student, 'kubectl get nodes', `q${index}`)),
    );

    // Admission reads the queue at most every 250 ms: a few more lines may get in before it sees the backlog.
    let refusal: { ok: false; code: string; message: string } | undefined;
    let clientRef = '';
    const extra: string[] = [];
    for (let attempt = 0; attempt < 50 && !refusal; attempt++) {
      clientRef = `late-${attempt}`;
      const ack = await submit(late, 'kubectl get namespaces', clientRef);
      if (ack.ok) {
        extra.push(ack.data.runId);
        await new Promise((resolve) => setTimeout(resolve, 100));
      } else refusal = ack;
    }
    expect(refusal).toMatchObject({
      ok: false,
      code: 'unavailable',
      message: expect.stringMatching(/^The lab is busy/),
    });
    const rejected = late.log.events.find(
      (e) => e.name === 'command.rejected' && e.payload.clientRef === clientRef,
    )?.payload;
    expect(rejected).toMatchObject({ code: 'unavailable', retryAfterSeconds: expect.any(Number) });
    expect(rejected?.retryAfterSeconds as number).toBeGreaterThanOrEqual(1);

    // The session's Kubernetes API refuses too: 429, Retry-After, and a Status kubectl prints.
    const busy = await kubeApiGet(late, '/api/v1/namespaces/default/pods');
    expect(busy).toMatchObject({ status: 429, retryAfter: expect.stringMatching(/^[1-9]\d*$/) });
    expect(JSON.parse(busy.text)).toMatchObject({
      kind: 'Status',
      code: 429,
      reason: 'TooManyRequests',
      message: expect.stringMatching(/^the lab is busy, please try again in \d+ s$/),
    });

    // Instructors see the backlog and the refusal on the dashboard.
    const teacher = await login(platform.baseUrl, 'teacher@kubelab.local');
    const load = await api<PlatformLoad>(platform.baseUrl, teacher, 'GET', '/platform/load');
    expect(load.status).toBe(200);
    expect(load.body.refusalsLastMinute).toBeGreaterThanOrEqual(1);
    expect(load.body.workers.some((worker) => worker.overloaded && worker.waiting > BOUND)).toBe(true);

    // The load ends: Ctrl-C ends the watch, and every waiting command runs.
    await holder.socket.emitWithAck('command.cancel', { labSessionId: holder.labSessionId });
    expect(await holder.log.exitOf(watch)).toMatchObject({ exitCode: 130 });
    for (const [index, runId] of queued.entries())
      expect(await explainingFailure(platform, waiting[index].log.exitOf(runId))).toMatchObject({
        exitCode: 0,
      });
    for (const runId of extra) expect(await late.log.exitOf(runId)).toMatchObject({ exitCode: 0 });

    // The refused line, retried with its client reference as the terminal does, is accepted again.
    let retried: string | undefined;
    for (let attempt = 0; attempt < 40 && !retried; attempt++) {
      const ack = await submit(late, 'kubectl get namespaces', clientRef);
      if (ack.ok) retried = ack.data.runId;
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!retried) throw new Error('the refused line was never accepted after the load ended');
    expect(await late.log.exitOf(retried)).toMatchObject({ exitCode: 0 });
    // A repeat of the same reference answers the same run and does not run it again.
    expect(await submit(late, 'kubectl get namespaces', clientRef)).toMatchObject({
      ok: true,
      data: { runId: retried, clientRef },
    });
    const acceptances = late.log.events.filter(
      (e) => e.name === 'command.accepted' && e.payload.runId === retried,
    );
    expect(acceptances).toHaveLength(1);
    // The announcement every client of the session gets names the line's reference too.
    expect(acceptances[0].payload).toMatchObject({ runId: retried, clientRef });
    expect((await kubeApiGet(late, '/api/v1/namespaces/default/pods')).status).toBe(200);
  }, 90_000);
});
