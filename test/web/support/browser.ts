import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { shellPrompt } from '../../../src/engine/terminal/prompt';
import type { TestPlatform } from '../../support/platform';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The lab shell's prompt in the home directory, and as a trimmed terminal row shows it alone. */
export const PROMPT = shellPrompt('~');
export const PROMPT_ROW = PROMPT.trimEnd();
/** The prompt as a RegExp source, for patterns over the terminal's text. */
export const PROMPT_PATTERN = PROMPT_ROW.replace(/[$.*+?^(){}|[\]\\]/g, '\\$&');

/** Debian's chromium, headless, with the flags that work on these machines (see shared notes). */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: run "npm test" (it installs it) or apt-get install -y chromium`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The rows xterm.js shows right now (its DOM renderer), trailing blanks removed. */
export async function terminalRows(page: Page): Promise<string[]> {
  return page
    .locator('.xterm-rows > div')
    .evaluateAll((rows) => rows.map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()));
}

export async function terminalText(page: Page): Promise<string> {
  return (await terminalRows(page)).join('\n');
}

/** Pastes text into the focused terminal the way the browser does on Ctrl-V (a clipboard paste event). */
export async function pasteIntoTerminal(page: Page, text: string): Promise<void> {
  await page.locator('.xterm-helper-textarea').evaluate((textarea, pasted) => {
    // Runs in the page; the test's own TypeScript settings have no DOM types, hence the local ones.
    const dom = globalThis as unknown as {
      DataTransfer: new () => { setData(type: string, value: string): void };
      ClipboardEvent: new (type: string, init: object) => never;
    };
    const data = new dom.DataTransfer();
    data.setData('text/plain', pasted);
    textarea.dispatchEvent(
      new dom.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

/** Waits until the terminal's last line is the bare prompt. */
export async function waitForPrompt(page: Page, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await terminalRows(page)).filter((row) => row !== '').pop() === PROMPT_ROW) return;
    await page.waitForTimeout(150);
  }
  throw new Error(`the terminal showed no prompt within ${timeoutMs} ms:\n${await terminalText(page)}`);
}

/**
 * Waits until the terminal shows the prompt line `<PROMPT><commandLine>`, then output matching `pattern`
 * below it, then the prompt again on the last line. The last echo of the line counts, so a command
 * typed twice is matched by its second run.
 */
export async function waitForOutput(
  page: Page,
  commandLine: string,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    const rows = await terminalRows(page);
    text = rows.join('\n');
    const echo = rows.lastIndexOf(`${PROMPT}${commandLine}`);
    const below = echo >= 0 ? rows.slice(echo + 1) : [];
    const last = below.filter((row) => row !== '').pop();
    if (echo >= 0 && last === PROMPT_ROW && pattern.test(below.join('\n'))) return below.join('\n');
    await page.waitForTimeout(150);
  }
  throw new Error(
    `terminal did not show "${PROMPT}${commandLine}", ${pattern} and a prompt within ${timeoutMs} ms:\n${text}`,
  );
}

/** Waits until a command still running has printed `pattern` below its prompt line. */
export async function waitForOutputSoFar(
  page: Page,
  commandLine: string,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await terminalRows(page);
    const echo = rows.lastIndexOf(`${PROMPT}${commandLine}`);
    if (echo >= 0 && pattern.test(rows.slice(echo + 1).join('\n'))) return;
    await page.waitForTimeout(150);
  }
  throw new Error(`"${commandLine}" printed nothing matching ${pattern} within ${timeoutMs} ms`);
}

/** Types a line with real key presses, presses Enter and waits for its output and the next prompt. */
export async function run(
  page: Page,
  command: string,
  expected: RegExp,
  timeoutMs = 30_000,
): Promise<string> {
  await page.keyboard.type(command, { delay: 5 });
  await page.keyboard.press('Enter');
  return waitForOutput(page, command, expected, timeoutMs);
}

/**
 * A browser suite's tear-down: closes Chromium, stops the platform and keeps the API's and worker's logs
 * in test-artifacts/ as `<name>-api.log` and `<name>-worker.log`, for a look after a failure.
 */
export async function closeSuite(
  name: string,
  browser: Browser | undefined,
  platform: TestPlatform | undefined,
): Promise<void> {
  await browser?.close();
  if (!platform) return;
  await platform.stop();
  const artifacts = path.join(__dirname, '..', '..', '..', 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(path.join(artifacts, `${name}-api.log`), platform.api.output);
  writeFileSync(path.join(artifacts, `${name}-worker.log`), platform.worker.output);
}
