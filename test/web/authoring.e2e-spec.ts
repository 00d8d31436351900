import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { closeSuite, launchChromium, run, waitForPrompt } from './support/browser';
import { api, login, startPlatform, TestPlatform } from '../support/platform';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/lib/setup.cjs') as { ensureWebBuild(): void; ROOT: string };

/**
 * Lab authoring in a real browser: an instructor copies the Lec7 lab into a draft, breaks a step's check and
 * sees the loader's error inline, fixes it (the check now wants another label), proves the lab with the
 * results streaming in step by step, and publishes it into the course with a due time; a student then does
 * the changed step and the instructor's class matrix shows it passed.
 */
jest.setTimeout(600_000);

const SCREEN = { width: 1700, height: 1000 };
const ARTIFACTS = path.join(setup.ROOT, 'test-artifacts');
const STUDENT_EMAIL = `author-journey-${Date.now()}@kubelab.local`;
const DUE = '2031-06-30T23:59';

let platform: TestPlatform;
let browser: Browser;
let teacher: BrowserContext;
let student: BrowserContext;
let teacherCookie: string;

async function contextWithCookie(cookie: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: SCREEN, locale: 'en-GB' });
  const [name, value] = cookie.split(/=(.*)/s);
  await context.addCookies([{ name, value, url: platform.baseUrl }]);
  return context;
}

/** Replaces the open file's whole text the way a paste does (CodeMirror sees one input, no auto-indent). */
async function replaceEditorText(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="lab-file-editor"] .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

beforeAll(async () => {
  setup.ensureWebBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  platform = await startPlatform({
    WEB_DIR: path.join(setup.ROOT, 'web', 'dist'),
    CLUSTER_DRIVER: 'embedded',
  });
  browser = await launchChromium();
  teacherCookie = await login(platform.baseUrl, 'teacher@kubelab.local');
  teacher = await contextWithCookie(teacherCookie);
  const registered = await fetch(`${platform.baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: STUDENT_EMAIL,
      password: 'student-password',
      displayName: 'Author Journey',
      joinCode: platform.joinCode,
    }),
  });
  expect(registered.status).toBe(201);
  student = await contextWithCookie((registered.headers.get('set-cookie') ?? '').split(';')[0]);
}, 180_000);

afterAll(async () => {
  await closeSuite('authoring', browser, platform);
});

describe('authoring a lab in the browser', () => {
  let editor: Page;
  let draftId: string;
  let labId: string;
  let original: string;

  it('copies the built-in Lec7 lab into a draft', async () => {
    editor = await teacher.newPage();
    await editor.goto(`${platform.baseUrl}/`);
    await editor.locator('label', { hasText: 'English' }).first().click();
    await editor.getByTestId('nav-authoring').click();
    await editor.waitForURL(/\/courses\/[0-9a-f-]+\/authoring$/);
    await editor.getByRole('button', { name: /^Copy into a draft: Kubernetes basics/ }).click();
    await editor.waitForURL(/\/authoring\/drafts\/[^/]+$/);
    draftId = decodeURIComponent(editor.url().split('/').pop() as string);
    const draft = await api<{ labId: string; files: Record<string, string> }>(
      platform.baseUrl,
      teacherCookie,
      'GET',
      `/authoring/drafts/${draftId}`,
    );
    expect(draft.status).toBe(200);
    labId = draft.body.labId;
    original = draft.body.files['lab.yaml'];
    expect(original).toContain('labelSelector: disktype=ssd');
    await editor.getByRole('tab', { name: /^lab\.yaml/ }).waitFor();
    await editor.getByTestId('no-problems').waitFor();
    // The preview shows the lab as students read it, in either language whatever the page's own.
    const preview = editor.getByTestId('preview');
    await preview.getByText('Kubernetes basics: from a cluster to a rolling update').waitFor();
    await preview.locator('label', { hasText: '中文' }).click();
    await preview.getByText('Kubernetes 入门：从集群到滚动升级').waitFor();
    await preview.getByLabel('Part of the lab').click();
    await editor.getByRole('option', { name: /^2\. 给节点打标签/ }).click();
    await preview.locator('.markdown').first().waitFor();
    expect(await preview.getAttribute('lang')).toBe('zh-CN');
    await preview.locator('label', { hasText: 'English' }).click();
    await preview.getByText('2. Label the node').waitFor();
  });

  it("shows a broken check's error inline at its line, and clears it once fixed", async () => {
    const broken = original.replace('labelSelector: disktype=ssd', 'labelSelecter: disktype=ssd');
    await replaceEditorText(editor, broken);
    const problem = editor.locator('[data-testid="problem"][data-file="lab.yaml"]').first();
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.innerText()).toMatch(/label-node/);
    const expectedLine = broken.split('\n').findIndex((line) => line.includes('labelSelecter')) + 1;
    expect(Number(await problem.getAttribute('data-line'))).toBe(expectedLine);
    expect(await editor.getByTestId('publish').isDisabled()).toBe(true);
    expect(await editor.getByTestId('publish-reason').innerText()).toMatch(/Fix the problems/);
    // Picking the problem scrolls the editor to it: the gutter marker and the underline are on that line.
    await problem.getByRole('button').click();
    await editor.locator('.cm-lint-marker-error').first().waitFor();
    await editor.locator('.cm-lintRange-error', { hasText: 'labelSelecter' }).waitFor();
    await editor.screenshot({ path: path.join(ARTIFACTS, 'authoring-problem.png') });

    // The fix changes what the check wants: the node must now be labelled disktype=fast.
    const fixed = original.split('disktype=ssd').join('disktype=fast');
    await replaceEditorText(editor, fixed);
    await editor.getByTestId('no-problems').waitFor({ timeout: 30_000 });
    await editor.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
    const saved = await api<{ files: Record<string, string> }>(
      platform.baseUrl,
      teacherCookie,
      'GET',
      `/authoring/drafts/${draftId}`,
    );
    expect(saved.body.files['lab.yaml']).toBe(fixed);
  });

  it('proves the lab with per-step results streaming in, then publishes it with a due time', async () => {
    expect(await editor.getByTestId('publish-reason').innerText()).toMatch(/Prove this revision/);
    const validation = await api<{ lab: { steps: unknown[] } }>(
      platform.baseUrl,
      teacherCookie,
      'POST',
      `/authoring/drafts/${draftId}/validate`,
    );
    const steps = validation.body.lab.steps.length;
    expect(steps).toBe(10);
    await editor.getByRole('button', { name: 'Prove it' }).click();
    // A first step's result shows while the proof still runs, then all of them.
    await editor.locator('[data-testid^="proof-step-"]').first().waitFor({ timeout: 300_000 });
    await editor.locator('[data-testid="proof"][data-state="passed"]').waitFor({ timeout: 400_000 });
    expect(await editor.locator('[data-testid^="proof-step-"][data-outcome="passed"]').count()).toBe(steps);
    await editor.screenshot({ path: path.join(ARTIFACTS, 'authoring-proved.png') });

    await editor.getByLabel(/^Due/).fill(DUE);
    expect(await editor.getByTestId('publish').isEnabled()).toBe(true);
    await editor.getByTestId('publish').click();
    const result = editor.getByTestId('publish-result');
    await result.waitFor();
    expect(await result.innerText()).toMatch(
      new RegExp(`Published ${labId} version 1\\..*Due 2031-06-30 23:59`, 's'),
    );
    const schedule = await api<{ labs: { labId: string; dueAtLocal: string | null }[] }>(
      platform.baseUrl,
      teacherCookie,
      'GET',
      `/courses/${platform.courseId}/schedule`,
    );
    expect(schedule.body.labs.find((lab) => lab.labId === labId)?.dueAtLocal).toBe(DUE);
  });

  it('tries the draft as a student, in a workspace and cluster of its own', async () => {
    await editor.getByRole('button', { name: 'Try as a student' }).click();
    await editor.waitForURL(new RegExp(`/labs/trial-${draftId}$`));
    await editor.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 90_000 });
    await waitForPrompt(editor);
    await editor.getByTestId('terminal').click();
    await run(editor, 'kubectl get nodes -o name', /node\/minikube/);
    await editor.goto(`${platform.baseUrl}/authoring/drafts/${encodeURIComponent(draftId)}`);
    await editor.getByRole('button', { name: 'Prove it' }).waitFor();
  });

  it("lets a student do the changed step, and the instructor's matrix shows it", async () => {
    const dashboard = await teacher.newPage();
    await dashboard.goto(`${platform.baseUrl}/teach/${platform.courseId}?lab=${labId}`);
    await dashboard.getByTestId('class-matrix').waitFor();

    const lab = await student.newPage();
    await lab.goto(`${platform.baseUrl}/courses/${platform.courseId}/labs/${labId}`);
    await lab.locator('label', { hasText: 'English' }).first().click();
    await lab.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 90_000 });
    await lab.getByTestId('terminal').click();
    await waitForPrompt(lab);
    // The old label no longer passes the step; the one the edited check wants does. Step 1's commands come
    // after the old label, so once step 1 shows passed, the grading has seen the old label too.
    await run(lab, 'kubectl label nodes minikube disktype=ssd', /labeled/);
    await run(lab, 'kubectl version', /Server Version/);
    await run(lab, 'kubectl cluster-info', /control plane/);
    await run(lab, 'kubectl get nodes --show-labels', /disktype=ssd/);
    await run(lab, 'kubectl get pod -n kube-system', /Running/);
    await lab
      .locator('[data-testid="step-inspect-cluster"][data-state="passed"]')
      .waitFor({ timeout: 60_000 });
    expect(await lab.getByTestId('step-label-node').getAttribute('data-state')).not.toBe('passed');
    await run(lab, 'kubectl label nodes minikube disktype=fast --overwrite', /labeled/);
    await lab.locator('[data-testid="step-label-node"][data-state="passed"]').waitFor({ timeout: 60_000 });

    const row = dashboard.getByTestId(`row-${STUDENT_EMAIL}`);
    await row.locator('[data-step="label-node"][data-state="passed"]').waitFor({ timeout: 60_000 });
    // The gradebook says which published version the student did.
    await dashboard.reload();
    await row.getByTestId('row-version').getByText('did version 1').waitFor();
    await dashboard.screenshot({ path: path.join(ARTIFACTS, 'authoring-matrix.png') });
  });

  it("shows another author's saves live, and a clash as a conflict the author resolves", async () => {
    const adminCookie = await login(platform.baseUrl, 'admin@kubelab.local');
    const other = await (await contextWithCookie(adminCookie)).newPage();
    await other.goto(`${platform.baseUrl}/authoring/drafts/${draftId}`);
    await other.locator('label', { hasText: 'English' }).first().click();
    await other.getByRole('tab', { name: /^description\.md/ }).click();
    await other.locator('[data-testid="lab-file-editor"][data-path="description.md"] .cm-content').click();
    await other.keyboard.press('Control+End');
    await other.keyboard.type('\n\nA note from the admin.');
    await other.locator('[data-testid="save-status"][data-state="saved"]').waitFor();

    // The first author, with nothing unsaved there, sees the text arrive and who saved it.
    await editor
      .getByTestId('remote-save')
      .filter({ hasText: /saved description\.md/ })
      .waitFor();
    await editor.getByRole('tab', { name: /^description\.md/ }).click();
    const content = editor.locator('[data-testid="lab-file-editor"][data-path="description.md"] .cm-content');
    await content.getByText('A note from the admin.').waitFor();

    // Both change the same file: the first author's save is refused and the choice is theirs.
    const before = await api<{ revision: number; files: Record<string, string> }>(
      platform.baseUrl,
      adminCookie,
      'GET',
      `/authoring/drafts/${draftId}`,
    );
    await content.click();
    await editor.keyboard.press('Control+End');
    await editor.keyboard.type(' Mine.');
    const theirs = await api(platform.baseUrl, adminCookie, 'PUT', `/authoring/drafts/${draftId}/files`, {
      path: 'description.md',
      content: `${before.body.files['description.md']}\n\nTheirs.`,
      baseRevision: before.body.revision,
    });
    expect(theirs.status).toBe(200);
    const conflict = editor.getByTestId('draft-conflict');
    await conflict.waitFor();
    expect(await conflict.innerText()).toMatch(/description\.md/);
    expect(await editor.locator('[data-testid="save-status"]').getAttribute('data-state')).toBe('unsaved');
    await conflict.getByRole('button', { name: 'Keep my version' }).click();
    await editor.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
    const after = await api<{ files: Record<string, string> }>(
      platform.baseUrl,
      adminCookie,
      'GET',
      `/authoring/drafts/${draftId}`,
    );
    expect(after.body.files['description.md']).toMatch(/A note from the admin\. Mine\.$/);
    expect(after.body.files['description.md']).not.toContain('Theirs.');
    await other.close();
  });

  it('regrades the sessions of version 1 from the library once a fix is published as version 2', async () => {
    // Version 2 through the API (publishing from the page is shown above): the first step is worth more.
    const call = <T>(method: string, route: string, body?: unknown) =>
      api<T>(platform.baseUrl, teacherCookie, method, route, body);
    const current = await call<{ revision: number; files: Record<string, string> }>(
      'GET',
      `/authoring/drafts/${draftId}`,
    );
    const yaml = current.body.files['lab.yaml'].replace(
      /points: (\d+)/,
      (_all, points: string) => `points: ${Number(points) + 5}`,
    );
    await call('PUT', `/authoring/drafts/${draftId}/files`, {
      path: 'lab.yaml',
      content: yaml,
      baseRevision: current.body.revision,
    });
    const proof = await call<{ proofId: string }>('POST', `/authoring/drafts/${draftId}/prove`);
    let state = 'queued';
    while (state === 'queued' || state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = (await call<{ state: string }>('GET', `/authoring/proofs/${proof.body.proofId}`)).body.state;
    }
    expect(state).toBe('passed');
    const v2 = await call('POST', `/authoring/drafts/${draftId}/publish`, { courseId: platform.courseId });
    expect(v2.body).toEqual({ labId, version: 2 });

    const library = await teacher.newPage();
    await library.goto(`${platform.baseUrl}/courses/${platform.courseId}/authoring`);
    const card = library.locator(`[data-testid="published-card"][data-lab="${labId}"]`);
    await card.getByRole('button', { name: 'Regrade v1 sessions onto v2' }).click();
    await card
      .locator('[data-testid="regrade-status"][data-state="done"]')
      .getByText('Sessions regraded: 1.')
      .waitFor();
    await library.close();
  });

  it('exports a lab as .tar.gz and imports it back as a new draft', async () => {
    const library = await teacher.newPage();
    await library.goto(`${platform.baseUrl}/courses/${platform.courseId}/authoring`);
    const card = library.locator('[data-testid="builtin-card"][data-lab="pods-namespaces"]');
    const [download] = await Promise.all([
      library.waitForEvent('download'),
      card.getByRole('link', { name: 'Export .tar.gz' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('pods-namespaces.tar.gz');
    const bundle = (await download.path()) as string;
    await library.getByLabel(/^New lab/).fill('pods-imported');
    await library.locator('input[type="file"]').setInputFiles(bundle);
    await library.waitForURL(/\/authoring\/drafts\/[^/]+$/);
    await library.getByRole('heading', { name: 'pods-imported' }).waitFor();
    await library.getByTestId('no-problems').waitFor();
    await library.close();
  });
});
