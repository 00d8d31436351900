import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { HOSTILE_LAB_ID as LAB_ID, writeHostileLab } from './support/hostile-lab';
import { startPlatform, TestPlatform } from '../support/platform';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../../scripts/lib/setup.cjs') as { ensureWebBuild(): void; ROOT: string };

/**
 * Lab Markdown is written by one user (an instructor, soon from the browser) and shown to others. A lab
 * written to attack its students — raw <script>, <img onerror>, javascript:/vbscript:/data: links in every
 * disguise — is loaded by the real platform and opened by a student in Chromium; every link is clicked and
 * no payload may run: each would set window.__pwned (in the page or its opener) or open a dialog.
 */
jest.setTimeout(300_000);

let platform: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let labsDir: string;
const dialogs: string[] = [];
const popups: Page[] = [];

beforeAll(async () => {
  setup.ensureWebBuild();
  labsDir = mkdtempSync(path.join(os.tmpdir(), 'kubelab-hostile-labs-'));
  writeHostileLab(labsDir);
  platform = await startPlatform({
    WEB_DIR: path.join(setup.ROOT, 'web', 'dist'),
    CLUSTER_DRIVER: 'embedded',
    LABS_DIR: labsDir,
  });
  const registered = await fetch(`${platform.baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `hostile-${Date.now()}@kubelab.local`,
      password: 'student-password',
      displayName: 'Student',
      joinCode: platform.joinCode,
    }),
  });
  expect(registered.status).toBe(201);
  const [name, value] = (registered.headers.get('set-cookie') ?? '').split(';')[0].split(/=(.*)/s);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'en-GB' });
  await context.addCookies([{ name, value, url: platform.baseUrl }]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
  if (labsDir) rmSync(labsDir, { recursive: true, force: true });
});

async function pwned(page: Page): Promise<unknown> {
  // Runs in the page; the tests' TypeScript settings have no DOM types.
  return page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned);
}

/** Clicks every link inside rendered lab Markdown, then checks that nothing ran, in the page or anything it opened. */
async function clickEveryLink(page: Page): Promise<number> {
  const links = page.locator('.markdown a');
  const count = await links.count();
  for (let i = 0; i < count; i++) {
    await links.nth(i).click({ noWaitAfter: true });
    await page.waitForTimeout(100);
    expect(await pwned(page)).toBeUndefined();
  }
  return count;
}

describe('a lab written to attack its students', () => {
  it('loads (the platform accepts its files) and is offered in the course', async () => {
    const page = await context.newPage();
    await page.goto(`${platform.baseUrl}/`);
    await page
      .getByRole('link', { name: /Hostile lab/ })
      .first()
      .waitFor();
    expect(await pwned(page)).toBeUndefined();
    await page.close();
  });

  it('runs none of its scripts when a student reads and clicks through it in both languages', async () => {
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // Links open in a new tab: each opened page is checked too (a data: document would run in it).
    page.on('popup', (popup) => {
      popups.push(popup);
      popup.on('dialog', (dialog) => {
        dialogs.push(`popup: ${dialog.message()}`);
        void dialog.dismiss();
      });
    });
    for (const language of ['English', '中文']) {
      await page.goto(`${platform.baseUrl}/courses/${platform.courseId}/labs/${LAB_ID}`);
      await page.locator('label', { hasText: language }).first().click();
      await page.locator('.lab-description summary').click();
      const step = page.getByTestId('step-run-pod');
      if (
        (await step.locator('.markdown').count()) === 0 ||
        !(await step.locator('.markdown').first().isVisible())
      )
        await step.getByRole('button').first().click();
      await step.getByRole('button', { name: /Show a hint|显示提示/ }).click();
      // The check's label comes back as a reason once the cluster has graded the (empty) namespace.
      await page.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 90_000 });
      await page.getByTestId('check-progress').click();
      await step.getByRole('note').first().waitFor({ timeout: 60_000 });

      // The payloads are on the page as text, not as markup.
      const text = await page.locator('.lab-description .markdown').innerText();
      expect(text).toContain('<script>');
      expect(text).toContain('onerror=');
      expect(
        await page
          .locator('.markdown script, .markdown img[onerror], .markdown iframe, .markdown svg')
          .count(),
      ).toBe(0);
      const hrefs = await page
        .locator('.markdown a')
        .evaluateAll((anchors) => anchors.map((anchor) => (anchor as unknown as { href: string }).href));
      for (const href of hrefs) expect(new URL(href).protocol).toMatch(/^https?:$/);
      const sources = await page
        .locator('.markdown img')
        .evaluateAll((images) => images.map((image) => (image as unknown as { src: string }).src));
      for (const src of sources) expect(new URL(src).protocol).toMatch(/^https?:$/);

      const clicked = await clickEveryLink(page);
      // Description, step and hint each keep their two safe links (and harmless relative paths).
      expect(clicked).toBeGreaterThanOrEqual(6);
      await page.waitForTimeout(1000);
      expect(await pwned(page)).toBeUndefined();
      for (const popup of popups.splice(0)) {
        await popup.waitForLoadState('domcontentloaded').catch(() => undefined);
        if (popup.url().startsWith(platform.baseUrl)) expect(await pwned(popup)).toBeUndefined();
        await popup.close();
      }
    }
    expect(dialogs).toEqual([]);
    expect(await pwned(page)).toBeUndefined();
  });
});
