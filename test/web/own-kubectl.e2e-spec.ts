import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parse } from 'yaml';
import type { KubeApiAccess } from '../../src/shared/kube-api';
import { api, enrolledStudent, login, startPlatform, TestPlatform } from '../support/platform';
import { closeSuite, launchChromium } from './support/browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/lib/setup.cjs') as { ensureWebBuild(): void; ROOT: string };

/**
 * "Use your own kubectl" (issue 20) in a real browser against a real platform: the student opens the panel in the
 * workspace, reads the set-up lines the API offers and copies one, downloads the kubeconfig (context minikube,
 * the server's path is the session's) and real kubectl 1.30 lists the session's pods with it through the platform's
 * TLS listener; "New token" asks first, then the old kubeconfig is refused and a new download works again. The
 * panel is a dialog that works from the keyboard and fills a phone's width.
 */
jest.setTimeout(300_000);

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.30';
const ARTIFACTS = path.join(setup.ROOT, 'test-artifacts');
const EMAIL = `own-kubectl-${Date.now()}@kubelab.local`;
const LAB = 'lec7-k8s-basics';
const PANEL = 'Use your own kubectl';
/** The Lec7 lab's image, which the engine's clusters know. */
const IMAGE = 'gcr.io/google-samples/kubernetes-bootcamp:v1';

let platform: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let labSessionId: string;
let cookie: string;
let scratch: string;

interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Real kubectl 1.30 with only the given kubeconfig (no ~/.kube of the machine, no KUBECONFIG). */
function kubectl(kubeconfig: string, ...args: string[]): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--request-timeout=30s', ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface Kubeconfig {
  'current-context': string;
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users: { name: string; user: { token?: string } }[];
}

function panel(): ReturnType<Page['getByRole']> {
  return page.getByRole('dialog', { name: PANEL });
}

/** Clicks "Download kubeconfig" and keeps the file the browser saved; returns its path and name. */
async function downloadKubeconfig(as: string): Promise<{ file: string; name: string }> {
  const download = page.waitForEvent('download');
  await panel().getByRole('button', { name: 'Download kubeconfig' }).click();
  const saved = await download;
  const file = path.join(scratch, as);
  await saved.saveAs(file);
  await panel().getByTestId('own-kubectl-note').getByText(`Saved as ${saved.suggestedFilename()}.`).waitFor();
  return { file, name: saved.suggestedFilename() };
}

/** The token the panel shows (its id), once it shows one. */
async function shownTokenId(): Promise<string> {
  const token = panel().getByTestId('own-kubectl-token');
  await token.locator('time').first().waitFor();
  return (await token.getAttribute('data-token-id')) ?? '';
}

beforeAll(async () => {
  if (!existsSync(KUBECTL))
    throw new Error(`kubectl 1.30 is missing at ${KUBECTL}: this spec runs the real kubectl.1.30 binary`);
  setup.ensureWebBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'own-kubectl-'));
  platform = await startPlatform({
    WEB_DIR: path.join(setup.ROOT, 'web', 'dist'),
    CLUSTER_DRIVER: 'embedded',
  });
  const student = await enrolledStudent(platform, EMAIL, LAB);
  student.socket.disconnect();
  labSessionId = student.labSessionId;
  cookie = student.cookie;
  browser = await launchChromium();
  context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    locale: 'en-GB',
    acceptDownloads: true,
  });
  // The copy buttons write to the clipboard; the test reads it back.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: platform.baseUrl });
  const [name, value] = student.cookie.split('=');
  await context.addCookies([{ name, value, url: platform.baseUrl }]);
  page = await context.newPage();
  await page.goto(`${platform.baseUrl}/courses/${platform.courseId}/labs/${LAB}`);
  await page.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 60_000 });
}, 240_000);

afterAll(async () => {
  if (page) await page.screenshot({ path: path.join(ARTIFACTS, 'own-kubectl.png') }).catch(() => undefined);
  await closeSuite('own-kubectl', browser, platform);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('"Use your own kubectl" in the workspace', () => {
  it('opens from the workspace and shows the server, the token state and the set-up lines the API offers', async () => {
    const reply = await api<KubeApiAccess>(
      platform.baseUrl,
      cookie,
      'GET',
      `/lab-sessions/${labSessionId}/kube-api`,
    );
    expect(reply.status).toBe(200);
    const access = reply.body;

    await page.getByRole('button', { name: PANEL }).click();
    await panel().waitFor();
    await panel().getByText('Drive this lab’s cluster with the kubectl on your own computer').waitFor();
    expect(await panel().getByTestId('own-kubectl-server').textContent()).toBe(access.server);
    expect(access.server.endsWith(`/k8s/${labSessionId}`)).toBe(true);
    // No token until the first download issues one.
    expect(access.token).toBeNull();
    await panel().getByText('None yet: downloading the kubeconfig issues one.').waitFor();

    // One tab per shell, each with the API's line, verbatim.
    for (const [tab, shell] of [
      ['Linux', 'linux'],
      ['macOS', 'macos'],
      ['Windows (PowerShell)', 'windows'],
    ] as const) {
      await panel().getByRole('tab', { name: tab }).click();
      const line = panel().getByTestId(`own-kubectl-setup-${shell}`);
      expect(await line.textContent()).toBe(access.setup[shell]);
    }
    expect(access.setup.windows).toContain('$env:KUBECONFIG');

    // Copy puts the line on the clipboard, and says so.
    await panel().getByRole('button', { name: 'Copy the Windows (PowerShell) set-up' }).click();
    await panel().getByText('The Windows (PowerShell) set-up is on your clipboard.').waitFor();
    const clipboard = await page.evaluate(() =>
      // Runs in the page; the test's own TypeScript settings have no DOM types, hence the local one.
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(clipboard).toBe(access.setup.windows);
    await page.screenshot({ path: path.join(ARTIFACTS, 'own-kubectl-panel.png') });
  });

  it('downloads a kubeconfig for this session (context minikube) that real kubectl 1.30 uses through the platform', async () => {
    const { file, name } = await downloadKubeconfig('first.kubeconfig');
    expect(name).toMatch(/\.kubeconfig$/);
    const config = parse(readFileSync(file, 'utf8')) as Kubeconfig;
    expect(config['current-context']).toBe('minikube');
    const current = config.contexts.find((one) => one.name === 'minikube');
    expect(current).toBeDefined();
    const cluster = config.clusters.find((one) => one.name === current?.context.cluster);
    const server = new URL(cluster?.cluster.server ?? 'invalid:');
    expect(server.protocol).toBe('https:');
    expect(server.pathname).toBe(`/k8s/${labSessionId}`);
    // The listener is the test platform's own, on this machine: nothing else is ever contacted.
    expect(server.hostname).toBe('127.0.0.1');
    expect(cluster?.cluster['certificate-authority-data']).toBeTruthy();
    expect(config.users.find((one) => one.name === current?.context.user)?.user.token).toBeTruthy();

    // The download issued the session's token: the panel shows it now.
    expect(await shownTokenId()).not.toBe('');

    const pods = await kubectl(file, 'get', 'pods');
    expect(pods).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  it('"New token" asks first; afterwards the old kubeconfig is refused and a new download works', async () => {
    const before = await shownTokenId();
    const oldFile = path.join(scratch, 'first.kubeconfig');

    // Cancelled: nothing changes.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await panel().getByRole('button', { name: 'New token' }).click();
    expect(await panel().getByTestId('own-kubectl-token').getAttribute('data-token-id')).toBe(before);
    expect((await kubectl(oldFile, 'get', 'pods')).code).toBe(0);

    // Confirmed: the confirmation says the old kubeconfig stops working.
    let question = '';
    page.once('dialog', (dialog) => {
      question = dialog.message();
      void dialog.accept();
    });
    await panel().getByRole('button', { name: 'New token' }).click();
    await panel()
      .getByText('New token issued. The kubeconfig you downloaded before no longer works: download it again.')
      .waitFor();
    expect(question).toBe(
      'A new token makes the kubeconfig you downloaded for this session stop working. Issue a new token?',
    );
    const after = await shownTokenId();
    expect(after).not.toBe('');
    expect(after).not.toBe(before);

    const refused = await kubectl(oldFile, 'get', 'pods');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: You must be logged in to the server \(.+\)\n$/);

    const { file } = await downloadKubeconfig('second.kubeconfig');
    expect(await kubectl(file, 'get', 'pods')).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No resources found in default namespace.\n',
    });
  });

  it("records a mutation from the student's kubectl in the session, shown in the replay marked as own kubectl", async () => {
    const created = await kubectl(
      path.join(scratch, 'second.kubeconfig'),
      'create',
      'deployment',
      'own-web',
      `--image=${IMAGE}`,
    );
    expect(created).toEqual({ code: 0, stdout: 'deployment.apps/own-web created\n', stderr: '' });

    const teacher = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    try {
      const [name, value] = (await login(platform.baseUrl, 'teacher@kubelab.local')).split('=');
      await teacher.addCookies([{ name, value, url: platform.baseUrl }]);
      const replay = await teacher.newPage();
      await replay.goto(`${platform.baseUrl}/teach/${platform.courseId}/sessions/${labSessionId}`);
      // The line is recorded once kubectl's requests have gone quiet: reload until it is there.
      const item = replay
        .getByTestId('replay-timeline')
        .locator('li', { hasText: `$ kubectl create deployment own-web --image=${IMAGE}` });
      const deadline = Date.now() + 30_000;
      while ((await item.count()) === 0 && Date.now() < deadline) {
        await replay.waitForTimeout(1000);
        await replay.reload();
        await replay.getByRole('heading', { name: /^Session replay/ }).waitFor();
      }
      await item.getByTestId('own-kubectl').getByText('own kubectl').waitFor({ timeout: 1000 });
      await replay.screenshot({ path: path.join(ARTIFACTS, 'own-kubectl-replay.png') });
    } finally {
      await teacher.close();
    }
  });

  it('is a dialog that works from the keyboard and fills a narrow screen', async () => {
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'hidden' });
    const opener = page.getByRole('button', { name: PANEL });
    // Closing gives the focus back to the button that opened it.
    await page.waitForFunction(() => {
      const dom = globalThis as unknown as {
        document: { activeElement: { getAttribute(name: string): string | null } | null };
      };
      return dom.document.activeElement?.getAttribute('data-testid') === 'own-kubectl-open';
    });

    await page.setViewportSize({ width: 390, height: 800 });
    await opener.focus();
    await page.keyboard.press('Enter');
    await panel().waitFor();
    await panel().getByRole('button', { name: 'Download kubeconfig' }).waitFor();
    // The drawer slides in from the right: measure once its transition has ended, not while it is still moving.
    await page.waitForFunction(() => {
      const dom = globalThis as unknown as { document: { getAnimations(): { playState: string }[] } };
      return dom.document.getAnimations().every((animation) => animation.playState !== 'running');
    });
    const box = await panel().boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(385);
    // Nothing inside is wider than the screen: the set-up line wraps.
    const line = await panel()
      .getByTestId(/own-kubectl-setup-/)
      .first()
      .boundingBox();
    expect((line?.x ?? 0) + (line?.width ?? Infinity)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(ARTIFACTS, 'own-kubectl-narrow.png') });
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'hidden' });
  });
});
