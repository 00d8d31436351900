/**
 * `npm run screenshots`: the README's screenshots, taken from the demo course with five students at different
 * stages of the Lec7 lab. It starts the platform (API and worker from source, a throwaway database, the
 * embedded cluster driver), registers the students, drives each of them by submitting the lab's reference
 * solution over the websocket, then photographs the instructor's and the students' screens in Chromium into
 * docs/screenshots/. Everything it started is stopped at the end, whether it succeeded or not.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadLabFile } from '../src/labs/loader/loader';
import type { Lab, Step, VarDefinition } from '../src/labs/format/types';
import { parseSolutionLine } from '../src/labs/format/solution';
import type { GradingUpdate } from '../src/shared/events';
import { DEMO_STUDENTS } from '../src/services/seed.service';
import {
  api,
  connect,
  EventLog,
  explainingFailure,
  login,
  startPlatform,
  TestPlatform,
  type ClientSocket,
} from '../test/support/platform';
import { launchChromium, waitForPrompt } from '../test/web/support/browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('./lib/setup.cjs') as {
  ensureWebBuild(): void;
  ensureChromium(): string;
  ROOT: string;
};

const LAB_ID = 'lec7-k8s-basics';
const OUT = path.join(setup.ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1920, height: 1080 };
const STUDENT_PASSWORD = 'screenshots-password';

/** How far each student gets: the number of Lec7 steps done, and whether a typical mistake follows. */
interface Stage {
  name: string;
  email: string;
  stepsDone: number;
  /** Typed after the steps done: a command a student gets wrong, which makes the lab show a hint. */
  mistake?: string;
  /** A student who has registered but not opened the lab yet. */
  notStarted?: boolean;
}

const STUDENTS: Stage[] = [
  { name: '王芳', email: 'wang.fang@example.edu', stepsDone: 10 },
  { name: 'Maria Santos', email: 'maria.santos@example.edu', stepsDone: 5 },
  { name: 'Chen Jing', email: 'chen.jing@example.edu', stepsDone: 1 },
  // A typo in the image: the pod cannot pull it, which the step's first hint is about.
  {
    name: '李明',
    email: 'li.ming@example.edu',
    stepsDone: 2,
    mistake: 'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcam:v1',
  },
  { name: 'Arjun Mehta', email: 'arjun.mehta@example.edu', stepsDone: 0, notStarted: true },
];

interface Student extends Stage {
  cookie: string;
  labSessionId?: string;
  /** The first step not done, where a mistake shows. */
  nextStepId?: string;
  socket?: ClientSocket;
  log?: EventLog;
}

function say(message: string): void {
  process.stdout.write(`[screenshots] ${message}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function register(platform: TestPlatform, stage: Stage): Promise<Student> {
  const response = await fetch(`${platform.baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: stage.email,
      password: STUDENT_PASSWORD,
      displayName: stage.name,
      joinCode: platform.joinCode,
    }),
  });
  if (response.status !== 201)
    throw new Error(`register ${stage.email}: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
  const student: Student = { ...stage, cookie };
  if (stage.notStarted) return student;
  const session = await api<{ id: string }>(
    platform.baseUrl,
    cookie,
    'POST',
    `/courses/${platform.courseId}/labs/${LAB_ID}/session`,
  );
  if (session.status !== 200)
    throw new Error(`open the lab for ${stage.email}: ${session.status} ${session.text}`);
  student.labSessionId = session.body.id;
  student.socket = await connect(platform.baseUrl, cookie);
  student.log = new EventLog(student.socket);
  const joined = await student.socket.emitWithAck('session.join', { labSessionId: session.body.id });
  if (!joined.ok) throw new Error(`join for ${stage.email}: ${joined.message}`);
  return student;
}

/** Submits one terminal line as the student's terminal does and waits for it to finish; returns its output. */
async function submit(platform: TestPlatform, student: Student, command: string): Promise<string> {
  const socket = student.socket as ClientSocket;
  const log = student.log as EventLog;
  const ack = await socket.emitWithAck('command.submit', {
    labSessionId: student.labSessionId as string,
    command,
  });
  if (!ack.ok) throw new Error(`${student.email}: "${command}" was refused: ${ack.message}`);
  await explainingFailure(platform, log.exitOf(ack.data.runId, 180_000));
  return log.outputOf(ack.data.runId);
}

/**
 * A captured var of the lab ({{appPod}}, {{nodePort}}) read from the student's cluster with kubectl, as a
 * student would copy it from the screen.
 */
async function readVar(
  platform: TestPlatform,
  student: Student,
  definition: VarDefinition,
  fixed: (text: string) => string,
): Promise<string> {
  if ('value' in definition) return fixed(definition.value);
  const { select, field } = definition;
  const namespace = select.namespace ? ` -n ${fixed(select.namespace)}` : '';
  const command = select.name
    ? `kubectl get ${select.kind} ${fixed(select.name)}${namespace} -o jsonpath='{${field}}'`
    : `kubectl get ${select.kind}${namespace} -l ${fixed(select.labelSelector ?? '')} -o jsonpath='{.items[0]${field}}'`;
  const value = (await submit(platform, student, command)).trim();
  if (!value) throw new Error(`${student.email}: "${command}" printed nothing`);
  return value;
}

/** The solution line with its {{vars}} filled in: fixed values from the lab, captured ones from the cluster. */
async function fillVars(platform: TestPlatform, student: Student, lab: Lab, line: string): Promise<string> {
  const fixed = (text: string) =>
    text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
      const definition = lab.vars[name];
      return definition && 'value' in definition ? definition.value : whole;
    });
  let filled = fixed(line);
  for (const [whole, name] of [...filled.matchAll(/\{\{(\w+)\}\}/g)]) {
    const definition = lab.vars[name];
    if (!definition) throw new Error(`unknown var {{${name}}} in "${line}"`);
    filled = filled.replace(whole, await readVar(platform, student, definition, fixed));
  }
  return filled;
}

function latestGrading(student: Student): GradingUpdate | undefined {
  const updates = (student.log as EventLog).events.filter((event) => event.name === 'grading.updated');
  return updates.pop()?.payload as unknown as GradingUpdate | undefined;
}

function stepPassed(student: Student, stepId: string): boolean {
  return (
    latestGrading(student)?.steps.some((step) => step.stepId === stepId && step.state === 'passed') ?? false
  );
}

/**
 * Runs a step's reference solution. The lab's `# advance` lines move a simulated clock in its self-test; here
 * the clock is real, so they become short pauses, and the step's last command is repeated until the step
 * passes (a rollout still finishing, an image pull that has not failed yet).
 */
async function runStep(platform: TestPlatform, student: Student, lab: Lab, step: Step): Promise<void> {
  let last = '';
  for (const raw of step.solution) {
    const line = parseSolutionLine(raw);
    if (line.kind === 'advance') await sleep(Math.min(line.ms, 3_000));
    if (line.kind !== 'command') continue;
    last = await fillVars(platform, student, lab, line.line);
    await submit(platform, student, last);
  }
  const deadline = Date.now() + 180_000;
  while (!stepPassed(student, step.id)) {
    if (Date.now() > deadline) throw new Error(`${student.email}: step ${step.id} did not pass`);
    await sleep(3_000);
    if (!stepPassed(student, step.id)) await submit(platform, student, last);
  }
}

async function bringToStage(platform: TestPlatform, student: Student, lab: Lab): Promise<void> {
  for (const step of lab.steps.slice(0, student.stepsDone)) await runStep(platform, student, lab, step);
  if (student.mistake) {
    await submit(platform, student, student.mistake);
    const next = lab.steps[student.stepsDone].id;
    student.nextStepId = next;
    const deadline = Date.now() + 120_000;
    const hinted = () =>
      latestGrading(student)?.steps.some((step) => step.stepId === next && (step.hints?.length ?? 0) > 0);
    while (!hinted()) {
      if (Date.now() > deadline) throw new Error(`${student.email}: no hint for ${next} after the mistake`);
      await sleep(2_000);
      if (!hinted()) await submit(platform, student, 'kubectl get pod');
    }
    // What the student looks at next: the pod's STATUS says why.
    await submit(platform, student, 'kubectl get pod');
  }
  say(`${student.name}: ${student.stepsDone} step(s) done${student.mistake ? ', and a mistake' : ''}`);
}

async function signedIn(
  browser: Browser,
  platform: TestPlatform,
  cookie: string,
  locale = 'en-GB',
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale });
  const separator = cookie.indexOf('=');
  await context.addCookies([
    { name: cookie.slice(0, separator), value: cookie.slice(separator + 1), url: platform.baseUrl },
  ]);
  return context;
}

/** A photo of the page once nothing on it says the connection is lost. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.getByTestId('offline').waitFor({ state: 'detached', timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  say(`docs/screenshots/${name}.png`);
}

/** The lab editor on a copy of the Lec7 lab; skipped with a note if the editor does not render. */
async function photographDraft(library: Page): Promise<void> {
  try {
    await library
      .locator(`[data-testid="builtin-card"][data-lab="${LAB_ID}"]`)
      .getByRole('button', { name: 'Copy into a draft' })
      .click();
    await library.waitForURL(/\/authoring\/drafts\//, { timeout: 30_000 });
    await library.getByTestId('lab-file-editor').waitFor({ timeout: 30_000 });
    await library.getByTestId('preview').waitFor({ timeout: 30_000 });
    await shoot(library, 'lab-editor');
  } catch (error) {
    say(`the lab editor did not render, so lab-editor.png was not taken: ${(error as Error).message}`);
  }
}

async function photograph(browser: Browser, platform: TestPlatform, students: Student[]): Promise<void> {
  const find = (email: string) => students.find((student) => student.email === email) as Student;
  const halfWay = find('maria.santos@example.edu');
  const finished = find('wang.fang@example.edu');
  const mistaken = find('li.ming@example.edu');
  const base = platform.baseUrl;
  const courseId = platform.courseId;

  // Someone about to join the course: the form is filled in, not sent.
  const visitor = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
  const register = await visitor.newPage();
  await register.goto(`${base}/register?code=${platform.joinCode}`);
  await register.getByLabel('Your name').fill('Sofia Rossi');
  await register.getByLabel('Email').fill('sofia.rossi@example.edu');
  await register.getByLabel(/^Password/).fill('a long passphrase');
  await shoot(register, 'register');
  await visitor.close();

  for (const [student, name] of [
    [halfWay, 'workspace'],
    [mistaken, 'workspace-hint'],
  ] as const) {
    const context = await signedIn(browser, platform, student.cookie);
    const page = await context.newPage();
    await page.goto(`${base}/courses/${courseId}/labs/${LAB_ID}`);
    await page.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('terminal').click();
    await waitForPrompt(page, 60_000);
    if (student.mistake) {
      // The student asks why the step is not done and opens its first hint.
      const step = page.getByTestId(`step-${student.nextStepId}`);
      await page.getByRole('button', { name: 'Check my progress' }).click();
      await step.locator('.reasons').waitFor();
      await step.getByRole('button', { name: /Show a hint/ }).click();
      await step.locator('.hint').waitFor();
      await page.getByTestId('terminal').click();
    }
    await shoot(page, name);
    await context.close();
  }

  const teacherCookie = await login(base, 'teacher@kubelab.local');
  const teacher = await signedIn(browser, platform, teacherCookie);
  const dashboard = await teacher.newPage();
  await dashboard.goto(`${base}/teach/${courseId}?lab=${LAB_ID}`);
  for (const student of students) await dashboard.getByTestId(`row-${student.email}`).waitFor();
  await dashboard
    .getByTestId(`row-${finished.email}`)
    .getByTestId('row-total')
    .getByText('100 / 100 pts')
    .waitFor();
  await dashboard.getByTestId('completion-chart').waitFor();
  await shoot(dashboard, 'dashboard');

  await dashboard.getByRole('tab', { name: 'Course overview' }).click();
  await dashboard.getByRole('tabpanel').getByText(finished.name).first().waitFor();
  await shoot(dashboard, 'course-overview');
  await dashboard.getByRole('tab', { name: 'Schedule' }).click();
  await dashboard.getByRole('tabpanel').waitFor();
  await shoot(dashboard, 'schedule');

  const live = await teacher.newPage();
  await live.goto(`${base}/teach/${courseId}/sessions/${halfWay.labSessionId}/live`);
  await live.getByTestId('terminal').getByText('This session is read-only for you.').waitFor();
  await live
    .getByTestId('live-score')
    .getByText(/\d+ \/ 100 pts/)
    .waitFor();
  await shoot(live, 'live');

  const replay = await teacher.newPage();
  await replay.goto(`${base}/teach/${courseId}/sessions/${finished.labSessionId}`);
  await replay
    .getByTestId('replay-timeline')
    .getByText(/successfully rolled out/)
    .first()
    .waitFor();
  await shoot(replay, 'replay');

  const authoring = await teacher.newPage();
  await authoring.goto(`${base}/courses/${courseId}/authoring`);
  await shoot(authoring, 'lab-library');
  await photographDraft(authoring);
  await teacher.close();

  const chinese = await signedIn(browser, platform, teacherCookie, 'zh-CN');
  const dashboardZh = await chinese.newPage();
  await dashboardZh.goto(`${base}/teach/${courseId}?lab=${LAB_ID}`);
  await dashboardZh.getByRole('heading', { name: '全班进度' }).waitFor();
  await dashboardZh.getByTestId(`row-${finished.email}`).waitFor();
  await shoot(dashboardZh, 'dashboard-zh');
  await chinese.close();
}

/**
 * Chromium draws Chinese text with whatever CJK font fontconfig offers; without one the names and the
 * Chinese dashboard come out as empty boxes. Installed like setup.cjs installs Chromium (root with apt-get).
 */
function ensureCjkFont(): void {
  const listed = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  if (listed.status === 0 && listed.stdout.trim() !== '') return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot)
    throw new Error('No Chinese font for Chromium: run "sudo apt-get install -y fonts-noto-cjk" first.');
  say('Installing fonts-noto-cjk, so Chinese text renders (apt-get)…');
  const installed = spawnSync('apt-get', ['install', '-y', '-qq', 'fonts-noto-cjk'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (installed.status !== 0) throw new Error('apt-get install fonts-noto-cjk failed');
}

/**
 * The seed enrols five placeholder accounts ("学生 1 (Student 1)") in the demo course, for trying it by hand;
 * the screenshots show the five students this script brings instead.
 */
async function withoutPlaceholderStudents(platform: TestPlatform): Promise<void> {
  await platform.db.prisma.enrollment.deleteMany({
    where: { courseId: platform.courseId, user: { email: { in: DEMO_STUDENTS } } },
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  setup.ensureWebBuild();
  setup.ensureChromium();
  ensureCjkFont();
  mkdirSync(OUT, { recursive: true });
  const lab = loadLabFile(path.join(setup.ROOT, 'labs', LAB_ID, 'lab.yaml'));
  say('Starting the platform…');
  const platform = await startPlatform({
    WEB_DIR: path.join(setup.ROOT, 'web', 'dist'),
    CLUSTER_DRIVER: 'embedded',
  });
  let browser: Browser | undefined;
  const students: Student[] = [];
  try {
    await withoutPlaceholderStudents(platform);
    for (const stage of STUDENTS) students.push(await register(platform, stage));
    say('Bringing the students to their stages…');
    await Promise.all(students.map((student) => bringToStage(platform, student, lab)));
    browser = await launchChromium();
    await photograph(browser, platform, students);
  } finally {
    await browser?.close();
    for (const student of students) student.socket?.disconnect();
    await platform.stop();
  }
  say(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[screenshots] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
