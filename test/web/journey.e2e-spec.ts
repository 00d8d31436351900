import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  launchChromium,
  pasteIntoTerminal,
  PROMPT,
  PROMPT_PATTERN,
  run,
  terminalText,
  waitForOutput,
  waitForOutputSoFar,
  waitForPrompt,
  closeSuite,
} from './support/browser';
import { startPlatform, TestPlatform } from '../support/platform';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/lib/setup.cjs') as { ensureWebBuild(): void; ROOT: string };

/**
 * The whole platform in a real browser: an instructor creates a course, a student registers with its
 * join code and works through the first five steps of the Lec7 lab by typing into the terminal, the
 * instructor's class matrix follows live, the CSV carries the points, and the replay shows the session.
 */
jest.setTimeout(300_000);

const PASSWORD = 'kubelab-demo';
const STUDENT = { name: 'E2E 学生', email: `e2e-${Date.now()}@kubelab.local`, password: 'correct horse 42' };
const COURSE_TITLE = `E2E 课程 ${new Date().toISOString().slice(0, 16)}`;
// Wide enough that the longest lab command fits on one terminal row after the `student@kubelab:~$ ` prompt.
const SCREEN = { width: 2240, height: 900 };
const RATE_LIMIT = 30;
const ARTIFACTS = path.join(setup.ROOT, 'test-artifacts');

let platform: TestPlatform;
let browser: Browser;
let teacher: BrowserContext;
let student: BrowserContext;

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

beforeAll(async () => {
  setup.ensureWebBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  platform = await startPlatform({
    WEB_DIR: path.join(setup.ROOT, 'web', 'dist'),
    CLUSTER_DRIVER: 'embedded',
    // A low command rate limit, so the journey can show how the terminal reports it.
    COMMANDS_PER_MINUTE: String(RATE_LIMIT),
  });
  browser = await launchChromium();
  teacher = await browser.newContext({ viewport: SCREEN, locale: 'en-GB', acceptDownloads: true });
  student = await browser.newContext({ viewport: SCREEN, locale: 'en-GB' });
}, 180_000);

afterAll(async () => {
  await closeSuite('journey', browser, platform);
});

describe('Kubelab in a browser', () => {
  let dashboard: Page;
  let lab: Page;
  let joinCode: string;
  let courseId: string;

  it('lets the instructor sign in and create a course with a join code', async () => {
    dashboard = await teacher.newPage();
    await dashboard.goto(`${platform.baseUrl}/teach`);
    await dashboard.waitForURL(/\/login$/);
    await dashboard.locator('label', { hasText: 'English' }).click();
    await screenshot(dashboard, 'login');
    await dashboard.getByLabel('Email').fill('teacher@kubelab.local');
    await dashboard.getByLabel(/^Password/).fill(PASSWORD);
    await dashboard.getByRole('button', { name: 'Sign in' }).click();
    // Back to the page that asked for sign-in.
    await dashboard.waitForURL(/\/teach\/[0-9a-f-]+$/);
    await dashboard.getByLabel('New course title').fill(COURSE_TITLE);
    await dashboard.getByRole('button', { name: 'Create course' }).click();
    await dashboard.getByRole('heading', { name: COURSE_TITLE }).waitFor();
    joinCode = (await dashboard.getByTestId('join-code').textContent())?.trim() ?? '';
    expect(joinCode).toMatch(/^[A-Z2-9]{8}$/);
    await dashboard.getByText(/No students yet/).waitFor();
  });

  it('lets a student register with the join code and open the Lec7 lab', async () => {
    lab = await student.newPage();
    await lab.goto(`${platform.baseUrl}/register`);
    await lab.locator('label', { hasText: 'English' }).click();
    await lab.getByLabel('Course join code').fill(joinCode.toLowerCase());
    await lab.getByLabel('Your name').fill(STUDENT.name);
    await lab.getByLabel('Email').fill(STUDENT.email);
    await lab.getByLabel(/^Password/).fill(STUDENT.password);
    await screenshot(lab, 'register');
    await lab.getByRole('button', { name: 'Create an account' }).click();
    const course = lab.getByRole('region', { name: COURSE_TITLE });
    await course.getByRole('link', { name: /Open lab: Kubernetes basics/ }).click();
    await lab.waitForURL(/\/courses\/[0-9a-f-]+\/labs\/lec7-k8s-basics$/);
    courseId = /\/courses\/([0-9a-f-]+)\//.exec(lab.url())?.[1] as string;
    await lab.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 60_000 });
    await lab.getByTestId('terminal').click();
    await waitForPrompt(lab);
  });

  it('runs the lab commands typed into the terminal and ticks the steps', async () => {
    // Step 1: look at the cluster.
    await run(lab, 'kubectl version', /Server Version: v1\.\d+/);
    await run(lab, 'kubectl cluster-info', /Kubernetes control plane is running at/);
    await run(lab, 'kubectl get nodes', /minikube\s+Ready\s+control-plane/);
    await run(lab, 'kubectl get pod -n kube-system', /kube-apiserver-minikube\s+1\/1\s+Running/);
    await lab.locator('[data-testid="step-inspect-cluster"][data-state="passed"]').waitFor();

    // Step 2: Tab completes the node name learnt from `kubectl get nodes`.
    await lab.keyboard.type('kubectl label nodes mini');
    await lab.keyboard.press('Tab');
    await lab.keyboard.type('disktype=ssd');
    await lab.keyboard.press('Enter');
    await waitForOutput(lab, 'kubectl label nodes minikube disktype=ssd', /node\/minikube labeled/);
    await lab.locator('[data-testid="step-label-node"][data-state="passed"]').waitFor();

    // History and line editing: ↑↑↑ recalls `kubectl get nodes`, then the line is extended.
    await lab.keyboard.press('ArrowUp');
    await lab.keyboard.press('ArrowUp');
    await lab.keyboard.press('ArrowUp');
    await lab.keyboard.type(' --show-labels');
    await lab.keyboard.press('Enter');
    await waitForOutput(lab, 'kubectl get nodes --show-labels', /disktype=ssd/);
    await lab.keyboard.type('ubectl get deployments');
    await lab.keyboard.press('Home');
    await lab.keyboard.type('k');
    await lab.keyboard.press('Enter');
    await waitForOutput(lab, 'kubectl get deployments', /No resources found in default namespace/);

    // Step 3: deploy the application and wait for it (the image "pull" takes real seconds).
    await run(
      lab,
      'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1',
      /deployment\.apps\/yanwei\.app created/,
    );
    await lab.keyboard.type('kubectl rollout status deployment/yanwei.app');
    await lab.keyboard.press('Enter');
    await waitForOutputSoFar(lab, 'kubectl rollout status deployment/yanwei.app', /Waiting for deployment/);
    // Typed while the rollout is still being watched: kept in the browser, run when the prompt returns.
    await lab.keyboard.type('kubectl get deployments yanwei.app');
    await lab.keyboard.press('Enter');
    await waitForOutput(lab, 'kubectl get deployments yanwei.app', /yanwei\.app\s+1\/1\s+1\s+1/, 90_000);
    const screen = await terminalText(lab);
    const rolledOut = screen.lastIndexOf('deployment "yanwei.app" successfully rolled out');
    expect(rolledOut).toBeGreaterThan(
      screen.lastIndexOf(`${PROMPT}kubectl rollout status deployment/yanwei.app`),
    );
    expect(rolledOut).toBeLessThan(screen.lastIndexOf(`${PROMPT}kubectl get deployments yanwei.app`));
    const pods = await run(lab, 'kubectl get pod', /yanwei\.app-[a-z0-9]+-[a-z0-9]+\s+1\/1\s+Running/);
    const podName = /(yanwei\.app-[a-z0-9]+-[a-z0-9]+)/.exec(pods)?.[1] as string;
    await lab.locator('[data-testid="step-create-deployment"][data-state="passed"]').waitFor();

    // Step 4: the pod's random name comes from Tab completion.
    await lab.keyboard.type('kubectl label pod yan');
    await lab.keyboard.press('Tab');
    await lab.keyboard.type('transwarp.io/name=yanwei');
    await lab.keyboard.press('Enter');
    await waitForOutput(lab, `kubectl label pod ${podName} transwarp.io/name=yanwei`, /labeled/);
    await lab.locator('[data-testid="step-label-pod"][data-state="passed"]').waitFor();

    // Step 5: scale out to three replicas.
    await run(lab, 'kubectl scale deployments/yanwei.app --replicas=3', /scaled/);
    await run(lab, 'kubectl rollout status deployments/yanwei.app', /successfully rolled out/, 90_000);
    await lab.locator('[data-testid="step-scale-to-3"][data-state="passed"]').waitFor();
    await lab.getByTestId('score').getByText('40 / 100 pts').waitFor();

    // Ctrl-C stops a watching command and gives the prompt back.
    await lab.keyboard.type('kubectl get pods -w');
    await lab.keyboard.press('Enter');
    await waitForOutputSoFar(lab, 'kubectl get pods -w', /STATUS/);
    await lab.keyboard.press('Control+C');
    await waitForOutput(lab, 'kubectl get pods -w', /\^C/);
    await screenshot(lab, 'workspace');
  });

  it("lets the instructor watch the student's terminal and files live", async () => {
    // A page of its own: the dashboard stays as it is, to show later that its matrix followed live.
    const watchLink = dashboard.getByRole('link', { name: `Watch live: ${STUDENT.name}` });
    const live = await teacher.newPage();
    await live.goto(`${platform.baseUrl}${await watchLink.getAttribute('href')}`);
    // The instructor's terminal is read only and follows what the student types.
    await live.getByTestId('terminal').getByText('This session is read-only for you.').waitFor();
    await lab.getByTestId('terminal').click();
    await run(lab, 'echo watched > notes.txt', new RegExp(PROMPT_PATTERN));
    await run(lab, 'kubectl get nodes -o name', /node\/minikube/);
    await waitForOutputSoFar(live, 'kubectl get nodes -o name', /node\/minikube/);
    const files = live.getByTestId('live-files');
    await files.locator('[data-path="notes.txt"]').click();
    await files.getByTestId('live-file-text').getByText('watched').waitFor();
    await live
      .getByTestId('live-score')
      .getByText(/\d+ \/ 100 pts/)
      .waitFor();
    await screenshot(live, 'live');
    await live.close();
  });

  it('restores the terminal from the session history after a reload', async () => {
    await lab.reload();
    await lab.locator('[data-testid="cluster"][data-status="ready"]').waitFor();
    await lab.getByTestId('terminal').click();
    const text = await waitForOutput(lab, 'kubectl get pods -w', /\^C/);
    expect(text).toContain('^C');
    expect(await terminalText(lab)).toMatch(/deployment "yanwei\.app" successfully rolled out/);
    await lab.locator('[data-testid="step-scale-to-3"][data-state="passed"]').waitFor();
  });

  it('shows a lost connection, queues what is typed, and catches up when the API is back', async () => {
    await platform.api.stop();
    await lab.getByTestId('offline').waitFor();
    await lab.locator('[data-testid="connection"][data-state="disconnected"]').waitFor();
    // Typed while offline: kept in the browser, run once the terminal has joined again.
    await lab.getByTestId('terminal').click();
    await lab.keyboard.type('kubectl get deployments');
    await lab.keyboard.press('Enter');
    platform.api.start();
    await lab.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 60_000 });
    await waitForOutput(lab, 'kubectl get deployments', /yanwei\.app\s+3\/3\s+3\s+3/);
    expect(await lab.getByTestId('offline').count()).toBe(0);
  });

  it('runs a multi-line paste line by line and reports the rate limit', async () => {
    const lines = Array.from({ length: RATE_LIMIT + 5 }, (_, i) => `echo pasted-${i + 1}`);
    await pasteIntoTerminal(lab, `${lines.join('\n')}\n`);
    await waitForOutput(lab, lines[lines.length - 1], /✗ Too many commands — wait \d+ s\./);
    const refused =
      (await terminalText(lab)).match(
        new RegExp(`^${PROMPT_PATTERN} echo pasted-\\d+\\n✗ Too many commands`, 'gm'),
      ) ?? [];
    expect(refused.length).toBeGreaterThanOrEqual(5);
    // The lines before the limit ran one after another, in order, each with its own output.
    const session = await (
      await lab.request.post(`${platform.baseUrl}/api/courses/${courseId}/labs/lec7-k8s-basics/session`)
    ).json();
    const replay = await (
      await lab.request.get(`${platform.baseUrl}/api/lab-sessions/${session.id}/replay`)
    ).json();
    const pasted = (replay.events as { type: string; command?: string; output?: string }[]).filter(
      (event) => event.type === 'command' && event.command?.startsWith('echo pasted-'),
    );
    expect(pasted.length).toBeGreaterThanOrEqual(1);
    expect(pasted.length).toBeLessThanOrEqual(RATE_LIMIT);
    pasted.forEach((event, index) => {
      expect(event.command).toBe(`echo pasted-${index + 1}`);
      expect(event.output).toBe(`pasted-${index + 1}\n`);
    });
  });

  it('extends the cluster and resets it to a fresh one, keeping the points', async () => {
    await lab.getByRole('button', { name: 'Extend' }).click();
    await lab.getByText(/Your cluster stays up until/).waitFor();
    lab.once('dialog', (dialog) => void dialog.accept());
    await lab.getByRole('button', { name: 'Reset cluster' }).click();
    await lab.getByText('A fresh cluster is starting.').waitFor();
    await lab.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 60_000 });
    await waitForPrompt(lab);
    await lab.getByTestId('score').getByText('40 / 100 pts').waitFor();
    await screenshot(lab, 'workspace-after-reset');
  });

  it("updates the instructor's class matrix live and exports the points as CSV", async () => {
    // The dashboard was opened before the student existed; it has not been reloaded since.
    const row = dashboard.getByTestId(`row-${STUDENT.email}`);
    for (const step of ['inspect-cluster', 'label-node', 'create-deployment', 'label-pod', 'scale-to-3']) {
      await row.locator(`[data-step="${step}"][data-state="passed"]`).waitFor();
    }
    await row.getByTestId('row-total').getByText('40 / 100 pts').waitFor();
    await dashboard.getByTestId('completion-chart').waitFor();
    await screenshot(dashboard, 'dashboard');

    const [download] = await Promise.all([
      dashboard.waitForEvent('download'),
      dashboard.getByTestId('csv-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('gradebook-lec7-k8s-basics.csv');
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header, ...lines] = csv.slice(1).trim().split('\r\n');
    const columns = header.split(',');
    const line = lines.find((candidate) => candidate.startsWith(`${STUDENT.email},`));
    expect(line).toBeDefined();
    const cells = (line as string).split(',');
    expect(cells[columns.indexOf('total')]).toBe('40');
    expect(cells[columns.indexOf('max')]).toBe('100');
    expect(cells[columns.indexOf('inspect-cluster (10)')]).toBe('10');
    expect(cells[columns.indexOf('expose (15)')]).toBe('0');
  });

  it("replays the student's session and overrides a grade", async () => {
    await dashboard.getByRole('link', { name: `Replay: ${STUDENT.name}` }).click();
    const timeline = dashboard.getByTestId('replay-timeline');
    await timeline.getByText('$ kubectl create deployment yanwei.app', { exact: false }).waitFor();
    await timeline
      .getByText(/successfully rolled out/)
      .first()
      .waitFor();
    await screenshot(dashboard, 'replay');

    await dashboard.getByRole('button', { name: /6\. Reach the application/ }).click();
    await dashboard.getByLabel('Points').fill('5');
    await dashboard.getByLabel('Comment').fill('Explained the NodePort in class');
    await dashboard.getByRole('button', { name: 'Override', exact: true }).click();
    await dashboard.getByText('Grade saved.').waitFor();
    await timeline.getByText(/Explained the NodePort in class/).waitFor();

    // The override reaches the student's checklist live.
    await lab.getByTestId('score').getByText('45 / 100 pts').waitFor();
  });

  it('switches the interface to Chinese and remembers the choice', async () => {
    await dashboard.getByRole('link', { name: /Back to the class/ }).click();
    await dashboard.locator('label', { hasText: '中文' }).click();
    await dashboard.getByRole('heading', { name: '教师面板' }).waitFor();
    await dashboard.reload();
    await dashboard.getByRole('heading', { name: '全班进度' }).waitFor();
    await screenshot(dashboard, 'dashboard-zh');
  });
});
