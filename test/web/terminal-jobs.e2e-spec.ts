import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EnrolledStudent, enrolledStudent, startPlatform, TestPlatform } from '../support/platform';
import {
  launchChromium,
  PROMPT,
  PROMPT_PATTERN,
  PROMPT_ROW,
  run,
  terminalRows,
  terminalText,
  waitForOutput,
  waitForPrompt,
  closeSuite,
} from './support/browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/lib/setup.cjs') as { ensureWebBuild(): void; ROOT: string };

/**
 * Runs that last, in a real browser: a background job (`kubectl get pods -w &`) whose output is
 * interleaved with foreground commands that answer in order, `jobs` and `kill %1`, and a heredoc
 * typed over several lines after bash's `> ` continuation prompt. Then a lasting run of other students
 * makes the lab busy (issue 21): the line typed meanwhile is refused at admission, the terminal says so and
 * retries it by itself, and it runs once when the platform accepts again.
 */
jest.setTimeout(240_000);

const ARTIFACTS = path.join(setup.ROOT, 'test-artifacts');
const EMAIL = `jobs-${Date.now()}@kubelab.local`;
/** Admission refuses while more than this many sessions' drains wait for the worker (ADMISSION_MAX_WAITING). */
const BUSY_BOUND = 1;

let platform: TestPlatform;
let browser: Browser;
let lab: Page;
let labSessionId: string;
const others: EnrolledStudent[] = [];

/** Waits until the terminal's text matches `pattern` (output of a job arrives whenever it comes). */
async function waitForText(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await terminalText(page);
    if (pattern.test(text)) return text;
    await page.waitForTimeout(150);
  }
  throw new Error(`the terminal did not show ${pattern} within ${timeoutMs} ms:\n${text}`);
}

beforeAll(async () => {
  setup.ensureWebBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  platform = await startPlatform({
    WEB_DIR: path.join(setup.ROOT, 'web', 'dist'),
    CLUSTER_DRIVER: 'embedded',
    // One command slot, so another student's watch holds the worker, and a bound of one waiting session, so two
    // sessions' lines behind it make the lab busy. The browser's student alone never has more than one waiting.
    WORKER_CONCURRENCY: '1',
    ADMISSION_MAX_WAITING: String(BUSY_BOUND),
  });
  // The student account and lab session, made through the API; the browser carries its session cookie.
  const student = await enrolledStudent(platform, EMAIL);
  student.socket.disconnect();
  labSessionId = student.labSessionId;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const [name, value] = student.cookie.split('=');
  await context.addCookies([{ name, value, url: platform.baseUrl }]);
  lab = await context.newPage();
  await lab.goto(`${platform.baseUrl}/courses/${platform.courseId}/labs/lec7-k8s-basics`);
  await lab.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 60_000 });
  await lab.getByTestId('terminal').click();
  await waitForPrompt(lab);
}, 180_000);

afterAll(async () => {
  if (lab) await lab.screenshot({ path: path.join(ARTIFACTS, 'terminal-jobs.png') }).catch(() => undefined);
  for (const other of others) other.socket.disconnect();
  await closeSuite('terminal-jobs', browser, platform);
});

describe('background jobs and interactive runs in the browser terminal', () => {
  it('runs a background watch beside foreground commands; jobs and kill %1 end it', async () => {
    await lab.keyboard.type('kubectl get pods -w &', { delay: 5 });
    await lab.keyboard.press('Enter');
    // bash's start notice, and the prompt back at once while the watch goes on.
    const started = await waitForText(
      lab,
      new RegExp(`^${PROMPT_PATTERN} kubectl get pods -w &\\n\\[1\\] (\\d+)\\n${PROMPT_PATTERN} ?$`, 'm'),
    );
    const pid = /^\[1\] (\d+)$/m.exec(started)?.[1] as string;
    expect(Number(pid)).toBeGreaterThan(0);

    // Foreground commands answer in order while the job's output is interleaved with them.
    await run(lab, 'kubectl create deployment web --image=nginx', /deployment\.apps\/web created/);
    await waitForText(lab, /^web-[a-z0-9]+-[a-z0-9]+\s+0\/1\s+Pending/m);
    await run(lab, 'kubectl get deployments', /web\s+\d\/1/);
    await run(lab, 'echo after', /^after$/m);
    const text = await terminalText(lab);
    expect(text.indexOf(`${PROMPT}kubectl create deployment web`)).toBeLessThan(
      text.indexOf(`${PROMPT}kubectl get deployments`),
    );
    expect(text.indexOf(`${PROMPT}kubectl get deployments`)).toBeLessThan(
      text.lastIndexOf(`${PROMPT}echo after`),
    );

    const jobs = await run(lab, 'jobs', /Running/);
    // The watch may print a pod's next state between the line and its answer, as in bash.
    expect(jobs.split('\n').filter((line) => line.startsWith('['))).toEqual([
      '[1]+  Running                 kubectl get pods -w &',
    ]);
    await run(lab, 'jobs -l', new RegExp(`^\\[1\\]\\+\\s+${pid} Running`, 'm'));

    await lab.keyboard.type('kill %1', { delay: 5 });
    await lab.keyboard.press('Enter');
    await waitForText(lab, /^\[1\]\+  Terminated\s+kubectl get pods -w$/m);
    // No job is left.
    const listed = await run(lab, 'jobs', /\$/);
    expect(listed.split('\n').filter((row) => row !== '')).toEqual([PROMPT_ROW]);
  });

  it('shows the > prompt for a heredoc typed line by line, and creates the object', async () => {
    await lab.keyboard.type('kubectl apply -f - <<EOF', { delay: 5 });
    await lab.keyboard.press('Enter');
    await waitForText(lab, new RegExp(`^${PROMPT_PATTERN} kubectl apply -f - <<EOF\\n> ?$`, 'm'));
    const body = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: typed-config',
      'data:',
      '  greeting: hello',
    ];
    for (const line of body) {
      await lab.keyboard.type(line, { delay: 5 });
      await lab.keyboard.press('Enter');
      // Each line is echoed after the continuation prompt, as bash shows it, and `> ` comes again.
      await waitForText(lab, new RegExp(`^> ${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n> ?$`, 'm'));
    }
    await lab.keyboard.type('EOF', { delay: 5 });
    await lab.keyboard.press('Enter');
    await waitForText(lab, new RegExp(`^> EOF\\nconfigmap/typed-config created\\n${PROMPT_PATTERN} ?$`, 'm'));
    const rows = await terminalRows(lab);
    const opened = rows.lastIndexOf(`${PROMPT}kubectl apply -f - <<EOF`);
    expect(rows.slice(opened, opened + body.length + 3)).toEqual([
      `${PROMPT}kubectl apply -f - <<EOF`,
      ...body.map((line) => `> ${line}`),
      '> EOF',
      'configmap/typed-config created',
    ]);
    await run(lab, 'kubectl get configmap typed-config', /^typed-config\s+1\s+/m);
  });

  it('says the lab is busy, retries the refused line by itself and runs it once', async () => {
    // Two other students: one's watch holds the worker's only slot, and a line of each waits behind it.
    others.push(
      ...(await Promise.all(
        ['holder', 'queued'].map((role) => enrolledStudent(platform, `${role}-${Date.now()}@kubelab.local`)),
      )),
    );
    const [holder, queued] = others;
    const submit = (student: EnrolledStudent, command: string, clientRef: string) =>
      student.socket.emitWithAck('command.submit', {
        labSessionId: student.labSessionId,
        command,
        clientRef,
      });
    const watch = await submit(holder, 'kubectl get pods -w', 'hold');
    if (!watch.ok) throw new Error(`the watch was refused: ${watch.message}`);
    await holder.log.waitFor(
      (e) => e.name === 'command.started' && e.payload.runId === watch.data.runId,
      30_000,
      'the watch start',
    );
    for (const student of others) {
      const ack = await submit(student, 'echo waiting', 'wait');
      if (!ack.ok) throw new Error(`a waiting line was refused: ${ack.message}`);
    }
    // Admission reads the queue at most every 250 ms: the queued student types on (a session has one drain waiting
    // however many lines it has queued) until refused with a hint of 2 s or more (the oldest line has waited over
    // a second), so admission has seen the backlog before the browser's line, and its hint leaves a countdown.
    let hint = 0;
    for (let attempt = 0; attempt < 60 && hint < 2; attempt++) {
      const clientRef = `probe-${attempt}`;
      const ack = await submit(queued, 'echo waiting', clientRef);
      if (!ack.ok && ack.code !== 'unavailable') throw new Error(`a probe was refused: ${ack.message}`);
      const refusal = queued.log.events.find(
        (e) => e.name === 'command.rejected' && e.payload.clientRef === clientRef,
      );
      hint = Number(refusal?.payload.retryAfterSeconds ?? 0);
      if (hint < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(hint).toBeGreaterThanOrEqual(2);

    // A change, so a second run would show: it would fail with AlreadyExists.
    const line = 'kubectl create configmap busy-retry --from-literal=try=1';
    await lab.keyboard.type(line, { delay: 5 });
    await lab.keyboard.press('Enter');
    const refused = await waitForText(
      lab,
      new RegExp(`^${PROMPT_PATTERN} ${line}\\nthe lab is busy, retrying in (\\d+) s$`, 'm'),
    );
    const seconds = Number(/the lab is busy, retrying in (\d+) s/.exec(refused)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThanOrEqual(30);
    // It counts down on the same row.
    await waitForText(
      lab,
      new RegExp(`^${PROMPT_PATTERN} ${line}\\nthe lab is busy, retrying in ${seconds - 1} s$`, 'm'),
    );
    // The line waits for its retry: no prompt yet, and nothing ran.
    expect((await terminalRows(lab)).filter((row) => row !== '').pop()).toMatch(
      /^the lab is busy, retrying in/,
    );
    const records = () => platform.db.prisma.commandRun.count({ where: { labSessionId, command: line } });
    expect(await records()).toBe(0);

    // The load ends: Ctrl-C ends the watch, and the lines behind it run.
    await holder.socket.emitWithAck('command.cancel', {
      labSessionId: holder.labSessionId,
      runId: watch.data.runId,
    });
    expect(await holder.log.exitOf(watch.data.runId)).toMatchObject({ exitCode: 130 });

    // The terminal's own retry is accepted: the line runs once, below the busy notice, and the prompt is back.
    const below = await waitForOutput(lab, line, /^configmap\/busy-retry created$/m, 60_000);
    const shown = below.split('\n').filter((row) => row !== '' && row !== PROMPT_ROW);
    expect(shown.pop()).toBe('configmap/busy-retry created');
    // One notice row, however often the line was refused meanwhile.
    expect(shown).toEqual([expect.stringMatching(/^the lab is busy, retrying in \d+ s$/)]);
    expect(await records()).toBe(1);
    await run(lab, 'kubectl get configmap busy-retry', /^busy-retry\s+1\s+/m);
    expect(await records()).toBe(1);
  });
});
