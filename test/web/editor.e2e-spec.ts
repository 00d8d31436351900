import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { enrolledStudent, login, startPlatform, TestPlatform } from '../support/platform';
import { closeSuite, launchChromium, run, waitForOutput, waitForPrompt } from './support/browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/lib/setup.cjs') as { ensureWebBuild(): void; ROOT: string };

/**
 * The editor pane in a real browser: a manifest generated in the terminal opens with `vim`, is changed with real
 * keystrokes, shows the API server's error for a misspelt field inline until it is fixed, is saved with Ctrl-S and
 * applied in the terminal, and the lab steps tick; the file outlives a reload and an API restart. Hostile: a name
 * with control characters is shown escaped, and of two tabs saving the same file the second gets the conflict UI.
 * The deployment is the Lec7 lab's (yanwei.app, its image), so that applying the file is what ticks its steps.
 */
jest.setTimeout(300_000);

const ARTIFACTS = path.join(setup.ROOT, 'test-artifacts');
const EMAIL = `editor-${Date.now()}@kubelab.local`;
const LAB = 'lec7-k8s-basics';
const GENERATE =
  'kubectl create deployment yanwei.app --image=gcr.io/google-samples/kubernetes-bootcamp:v1 --dry-run=client -o yaml > web.yaml';

let platform: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let lab: Page;
let labSessionId: string;

function editorOf(page: Page) {
  return page.getByTestId('code-editor').locator('.cm-content');
}

/** The editor's text, line by line (CodeMirror renders one .cm-line per line). */
async function editorText(page: Page): Promise<string> {
  return (await editorOf(page).locator('.cm-line').allTextContents()).join('\n');
}

async function openLab(page: Page): Promise<void> {
  await page.goto(`${platform.baseUrl}/courses/${platform.courseId}/labs/${LAB}`);
  await page.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 60_000 });
}

/** Puts the cursor at the start of the key on the line showing `text` (after its indentation). */
async function cursorToLine(page: Page, text: string): Promise<void> {
  await editorOf(page).locator('.cm-line', { hasText: text }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
}

beforeAll(async () => {
  setup.ensureWebBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  platform = await startPlatform({
    WEB_DIR: path.join(setup.ROOT, 'web', 'dist'),
    CLUSTER_DRIVER: 'embedded',
    // Cluster clocks at 10x: the rollout this suite waits for pulls its image in about a second.
    CLUSTER_TIME_SCALE: '10',
  });
  const student = await enrolledStudent(platform, EMAIL);
  student.socket.disconnect();
  labSessionId = student.labSessionId;
  browser = await launchChromium();
  // Wide enough that the generating command fits on one terminal row after the student@kubelab:~$ prompt.
  context = await browser.newContext({
    viewport: { width: 2240, height: 1000 },
    locale: 'en-GB',
    acceptDownloads: true,
  });
  const [name, value] = student.cookie.split('=');
  await context.addCookies([{ name, value, url: platform.baseUrl }]);
  lab = await context.newPage();
  await openLab(lab);
  await lab.getByTestId('terminal').click();
  await waitForPrompt(lab);
}, 180_000);

afterAll(async () => {
  if (lab) await lab.screenshot({ path: path.join(ARTIFACTS, 'editor.png') }).catch(() => undefined);
  await closeSuite('editor', browser, platform);
});

describe('the editor pane', () => {
  it('edits a generated manifest opened with vim, flags a misspelt field, saves, and the applied file ticks the steps', async () => {
    await run(lab, GENERATE, /\$/);
    await lab.keyboard.type('vim web.yaml', { delay: 5 });
    await lab.keyboard.press('Enter');
    await lab.getByRole('tab', { name: 'web.yaml' }).waitFor();
    await editorOf(lab).locator('.cm-line', { hasText: 'replicas: 1' }).waitFor();
    // The editor took the keyboard from the terminal.
    await editorOf(lab).evaluate(
      (element) =>
        // Runs in the page; the test's own TypeScript settings have no DOM types, hence the local one.
        new Promise<void>((resolve) => {
          const dom = globalThis as unknown as { document: { activeElement: unknown } };
          const check = () => (dom.document.activeElement === element ? resolve() : setTimeout(check, 50));
          check();
        }),
    );

    // replicas: 1 → 3, then the key misspelt, with real key presses.
    await cursorToLine(lab, 'replicas: 1');
    await lab.keyboard.press('End');
    await lab.keyboard.press('Backspace');
    await lab.keyboard.type('3');
    await lab.keyboard.press('Home');
    for (let i = 0; i < 'replicas'.length; i++) await lab.keyboard.press('Delete');
    await lab.keyboard.type('replicaz');
    await lab.keyboard.press('Escape');
    expect(await editorText(lab)).toContain('  replicaz: 3');
    await lab.locator('[data-testid="editor-status"][data-status="dirty"]').waitFor();

    // The API server's strict field validation message, inline at the key.
    const marked = editorOf(lab).locator('.cm-lintRange-error');
    await marked.first().waitFor();
    expect(await marked.first().textContent()).toBe('replicaz');
    await marked.first().hover();
    await lab.locator('.cm-tooltip-lint', { hasText: 'unknown field "spec.replicaz"' }).waitFor();
    await lab.screenshot({ path: path.join(ARTIFACTS, 'editor-lint.png') });

    await cursorToLine(lab, 'replicaz: 3');
    for (let i = 0; i < 'replicaz'.length; i++) await lab.keyboard.press('Delete');
    await lab.keyboard.type('replicas');
    await lab.keyboard.press('Escape');
    await marked.first().waitFor({ state: 'detached' });

    await lab.keyboard.press('Control+s');
    await lab.locator('[data-testid="editor-status"][data-status="clean"]').waitFor();
    await lab.getByText('Saved', { exact: true }).waitFor();

    // Pointing at a field shows what `kubectl explain` says of it.
    await editorOf(lab).locator('.cm-line', { hasText: 'replicas: 3' }).getByText('replicas').hover();
    const docs = lab.locator('.cm-field-doc');
    await docs.waitFor();
    expect(await docs.locator('.cm-field-doc-head').textContent()).toBe('deployment.spec.replicas <int32>');
    expect(await docs.textContent()).toContain('Number of desired pods.');

    await lab.getByTestId('terminal').click();
    await run(lab, 'grep replicas web.yaml', /replicas: 3/);
    await run(lab, 'kubectl apply -f web.yaml', /deployment\.apps\/yanwei\.app created/);
    // Grading follows commands: the one after the rollout sees three ready replicas.
    await run(lab, 'kubectl rollout status deployment/yanwei.app', /successfully rolled out/, 90_000);
    await lab
      .locator('[data-testid="step-create-deployment"][data-state="passed"]')
      .waitFor({ timeout: 90_000 });
    await lab.locator('[data-testid="step-scale-to-3"][data-state="passed"]').waitFor({ timeout: 90_000 });
  });

  it('keeps the file after a reload and after an API restart', async () => {
    await lab.reload();
    await lab.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 60_000 });
    // The pane and its tab come back; the text is read from the home again.
    await lab.getByRole('tab', { name: 'web.yaml' }).waitFor();
    await editorOf(lab).locator('.cm-line', { hasText: 'replicas: 3' }).waitFor();

    await platform.restartApi();
    await lab.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 60_000 });
    const answer = await lab.request.get(
      `${platform.baseUrl}/api/lab-sessions/${labSessionId}/home/file?path=web.yaml`,
    );
    expect(answer.status()).toBe(200);
    expect(((await answer.json()) as { text: string }).text).toContain('  replicas: 3\n');
    await lab.getByRole('button', { name: 'Open web.yaml' }).waitFor();
  });

  it('shows a file name with control characters escaped', async () => {
    const hostile = 'evil\u001b[31mred\u0007\u202Etxt.yaml';
    const saved = await lab.request.put(`${platform.baseUrl}/api/lab-sessions/${labSessionId}/home/file`, {
      data: {
        path: hostile,
        text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: evil\n',
        baseVersion: (
          (await (
            await lab.request.get(`${platform.baseUrl}/api/lab-sessions/${labSessionId}/home`)
          ).json()) as { version: number }
        ).version,
      },
    });
    expect(saved.status()).toBe(200);
    const shown = 'evil\\x1B[31mred\\x07\\u202Etxt.yaml';
    const button = lab.getByRole('button', { name: `Open ${shown}` });
    await button.waitFor();
    expect(await button.textContent()).toBe(shown);
    await button.click();
    await lab.getByRole('tab', { name: shown }).waitFor();
    await editorOf(lab).locator('.cm-line', { hasText: 'name: evil' }).waitFor();
  });

  it('gives the second of two tabs saving the same file the conflict UI', async () => {
    const second = await context.newPage();
    await openLab(second);
    // A new browser tab starts with the pane closed.
    await second.getByTestId('editor-toggle').click();
    for (const page of [lab, second]) {
      await page.getByRole('button', { name: 'Open web.yaml' }).click();
      await editorOf(page).locator('.cm-line', { hasText: 'replicas: 3' }).waitFor();
    }
    // Both change the file; the first saves.
    await cursorToLine(second, 'status: {}');
    await second.keyboard.press('End');
    await second.keyboard.type(' # second tab');
    await cursorToLine(lab, 'status: {}');
    await lab.keyboard.press('End');
    await lab.keyboard.type(' # first tab');
    await lab.keyboard.press('Control+s');
    await lab.locator('[data-testid="editor-status"][data-status="clean"]').waitFor();

    // The second learns of the newer copy and cannot save over it unasked.
    const conflict = second.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain(
      'web.yaml changed in your home folder since you opened it',
    );
    await second.screenshot({ path: path.join(ARTIFACTS, 'editor-conflict.png') });
    await second.keyboard.press('Control+s');
    await second.locator('[data-testid="editor-status"][data-status="conflict"]').waitFor();
    // Keeping its version and saving again overwrites; the first tab, with nothing unsaved, reloads it.
    await conflict.getByRole('button', { name: 'Keep my version' }).click();
    await second.getByRole('button', { name: 'Save', exact: true }).click();
    await second.locator('[data-testid="editor-status"][data-status="clean"]').waitFor();
    await editorOf(lab).locator('.cm-line', { hasText: 'status: {} # second tab' }).waitFor();
    await second.close();
  });

  it('creates a new file opened with vim, with the fields completed from the schema', async () => {
    await lab.getByTestId('terminal').click();
    await run(lab, 'vim cm.yaml', /\$/);
    await lab.getByRole('tab', { name: 'cm.yaml' }).waitFor();
    await lab.getByText('New file: saving creates it').waitFor();
    await editorOf(lab).click();
    for (const line of ['kind: ConfigMap', 'apiVersion: v1', 'metadata: {name: typed}']) {
      await lab.keyboard.type(line, { delay: 5 });
      await lab.keyboard.press('Enter');
    }
    // `da` offers the ConfigMap fields not written yet; Enter takes the first, `data`, and opens its block.
    await lab.keyboard.type('da', { delay: 5 });
    const options = lab.locator('.cm-tooltip-autocomplete li');
    await options.first().waitFor();
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    expect(await options.first().locator('.cm-completionLabel').textContent()).toBe('data');
    // CodeMirror ignores keys for the first 75 ms of a new list (so a fast typist does not pick by accident).
    await lab.waitForTimeout(200);
    await lab.keyboard.press('Enter');
    await lab.keyboard.type('greeting: hello', { delay: 5 });
    expect((await editorText(lab)).split('\n').slice(3, 5)).toEqual(['data:', '  greeting: hello']);
    await lab.keyboard.press('Control+s');
    await lab.locator('[data-testid="editor-status"][data-status="clean"]').waitFor();
    await lab.getByTestId('terminal').click();
    await run(lab, 'kubectl apply -f cm.yaml', /configmap\/typed created/);
    await run(lab, 'kubectl get cm typed -o jsonpath={.data.greeting}', /hello/);
  });

  it('saves with :w when vim keys are on', async () => {
    await lab.getByRole('button', { name: 'Open web.yaml' }).click();
    await lab.getByRole('switch', { name: 'Vim keys' }).click();
    await editorOf(lab).locator('.cm-line', { hasText: 'kind: Deployment' }).click();
    // Normal mode: `A` appends at the end of the line, Esc leaves insert mode, `:w` writes.
    await lab.keyboard.press('Escape');
    await lab.keyboard.type('A # vim', { delay: 20 });
    await lab.keyboard.press('Escape');
    await lab.locator('[data-testid="editor-status"][data-status="dirty"]').waitFor();
    await lab.keyboard.type(':w', { delay: 20 });
    await lab.keyboard.press('Enter');
    await lab.locator('[data-testid="editor-status"][data-status="clean"]').waitFor();
    await lab.getByRole('switch', { name: 'Vim keys' }).click();
    await lab.getByTestId('terminal').click();
    await run(lab, 'grep kind web.yaml', /kind: Deployment # vim/);
  });

  it('uploads, downloads and deletes files', async () => {
    await lab.getByTestId('upload-input').setInputFiles({
      name: 'uploaded.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: uploaded\n'),
    });
    await lab.getByText('Uploaded uploaded.yaml.').waitFor();
    await lab.getByRole('button', { name: 'Open uploaded.yaml' }).waitFor();
    await lab.getByTestId('terminal').click();
    await run(lab, 'kubectl apply -f uploaded.yaml', /namespace\/uploaded created/);

    const [download] = await Promise.all([
      lab.waitForEvent('download'),
      lab.getByRole('link', { name: 'Download web.yaml' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('web.yaml');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toContain('  replicas: 3\n');

    lab.once('dialog', (dialog) => void dialog.accept());
    await lab.getByRole('button', { name: 'Delete uploaded.yaml' }).click();
    await lab.getByRole('button', { name: 'Open uploaded.yaml' }).waitFor({ state: 'detached' });
    await lab.getByTestId('terminal').click();
    await run(lab, 'cat uploaded.yaml', /cat: uploaded\.yaml: No such file or directory/);
  });

  it('opens kubectl edit in the pane: saving applies the change, closing unchanged cancels it', async () => {
    await lab.getByTestId('terminal').click();
    await lab.keyboard.type('kubectl edit deployment/yanwei.app', { delay: 5 });
    await lab.keyboard.press('Enter');
    await lab.getByTestId('edit-buffer-tab').waitFor();
    expect(await lab.getByTestId('edit-buffer-tab').textContent()).toMatch(
      /^kubectl edit: kubectl-edit-\d+\.yaml$/,
    );
    // The spec's line (status.replicas comes later, with the same indentation).
    const specReplicas = editorOf(lab)
      .locator('.cm-line', { hasText: /^ {2}replicas: 3$/ })
      .first();
    await specReplicas.waitFor();
    expect(await editorText(lab)).toMatch(
      /^# Please edit the object below\. Lines beginning with a '#' will be ignored,\n/,
    );
    // replicas: 3 → 2 with real key presses, then Ctrl-S saves and closes.
    await specReplicas.click();
    await lab.keyboard.press('End');
    await lab.keyboard.press('Backspace');
    await lab.keyboard.type('2');
    expect(await editorText(lab)).toContain('\n  replicas: 2\n');
    await lab.keyboard.press('Control+s');
    await lab.getByTestId('edit-buffer').waitFor({ state: 'detached' });
    await waitForOutput(lab, 'kubectl edit deployment/yanwei.app', /^deployment\.apps\/yanwei\.app edited$/m);
    await lab.getByTestId('terminal').click();
    await run(lab, 'kubectl get deploy yanwei.app', /^yanwei\.app\s+\d\/2\s/m);

    // Opened again and closed without saving: kubectl's "no changes" outcome.
    await lab.keyboard.type('kubectl edit deployment/yanwei.app', { delay: 5 });
    await lab.keyboard.press('Enter');
    await lab.getByTestId('edit-cancel').click();
    await lab.getByTestId('edit-buffer').waitFor({ state: 'detached' });
    await waitForOutput(lab, 'kubectl edit deployment/yanwei.app', /^Edit cancelled, no changes made\.$/m);
  });

  it('keeps the kubectl edit buffer, as a tab beside the files, over a reload and an API restart', async () => {
    await lab.getByTestId('terminal').click();
    await lab.keyboard.type('kubectl edit deployment/yanwei.app', { delay: 5 });
    await lab.keyboard.press('Enter');
    const editTab = lab.getByTestId('edit-buffer-tab');
    await editTab.waitFor();
    // One pane: the buffer is a tab in front of the open files' tabs, beside the file list.
    expect(await editTab.getAttribute('aria-selected')).toBe('true');
    expect(await lab.getByRole('tab', { name: 'web.yaml' }).getAttribute('aria-selected')).toBe('false');
    await lab.getByRole('button', { name: 'Open web.yaml' }).waitFor();
    const specReplicas = editorOf(lab)
      .locator('.cm-line', { hasText: /^ {2}replicas: 2$/ })
      .first();
    await specReplicas.click();
    await lab.keyboard.press('End');
    await lab.keyboard.press('Backspace');
    await lab.keyboard.type('4');

    // Another tab comes to the front and the buffer waits behind it, with what was typed.
    await lab.getByRole('tab', { name: 'web.yaml' }).click();
    await editorOf(lab).locator('.cm-line', { hasText: 'kind: Deployment # vim' }).waitFor();
    expect(await lab.getByTestId('edit-buffer').isHidden()).toBe(true);
    await editTab.click();
    await editorOf(lab)
      .locator('.cm-line', { hasText: /^ {2}replicas: 4$/ })
      .first()
      .waitFor();

    // A reload shows the waiting buffer again, in front, with the change not yet saved.
    await lab.reload();
    await lab.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 60_000 });
    await editTab.waitFor();
    expect(await editTab.textContent()).toMatch(/^kubectl edit: kubectl-edit-\d+\.yaml$/);
    await editorOf(lab)
      .locator('.cm-line', { hasText: /^ {2}replicas: 4$/ })
      .first()
      .waitFor();

    // So does a reconnect to a restarted API, which learns of the buffer from Redis.
    await platform.restartApi();
    await lab.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 60_000 });
    await editTab.waitFor();
    await editorOf(lab)
      .locator('.cm-line', { hasText: /^ {2}replicas: 4$/ })
      .first()
      .click();
    await lab.keyboard.press('Control+s');
    await lab.getByTestId('edit-buffer').waitFor({ state: 'detached' });
    await waitForOutput(lab, 'kubectl edit deployment/yanwei.app', /^deployment\.apps\/yanwei\.app edited$/m);
    await lab.getByTestId('terminal').click();
    await run(lab, 'kubectl get deploy yanwei.app', /^yanwei\.app\s+\d\/4\s/m);
  });

  it("shows the instructor's replay the student's files as they were after a command", async () => {
    const teacher = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    const [name, value] = (await login(platform.baseUrl, 'teacher@kubelab.local')).split('=');
    await teacher.addCookies([{ name, value, url: platform.baseUrl }]);
    const replay = await teacher.newPage();
    await replay.goto(`${platform.baseUrl}/teach/${platform.courseId}/sessions/${labSessionId}`);
    const generated = replay.locator('.timeline-command', { hasText: `$ ${GENERATE}` }).first();
    await generated.waitFor();
    await generated.getByText('Files after this command').click();
    // The file as the command wrote it, before the editor changed replicas to 3.
    const file = generated.locator('.replay-file[data-path="web.yaml"]');
    await file.waitFor();
    expect(await file.locator('pre').textContent()).toMatch(
      /^apiVersion: apps\/v1\nkind: Deployment\n[\s\S]*\n {2}replicas: 1\n/,
    );
    await replay.screenshot({ path: path.join(ARTIFACTS, 'editor-replay-files.png') });
    await teacher.close();
  });
});
