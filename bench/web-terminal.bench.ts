/**
 * `npm run bench:web`: what a student feels in the browser terminal, against separate API and worker
 * processes. Measures in headless Chromium (real key presses through Playwright):
 *  - command round trip: Enter on `kubectl get nodes` → output and the next prompt drawn;
 *  - local echo: a key press → the character drawn (no server involved);
 * and, as baselines measured in the same run, the same command over a bare socket.io client
 * (submit → exit event) and a browser round trip that waits one animation frame. Prints p50 and p90.
 * Environment: BENCH_ROUNDS (40).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/web/support/browser';
import { api, connect, startPlatform } from '../test/support/platform';

/** The page's document, typed locally: these scripts' TypeScript settings have no DOM types. */
type PageDocument = { querySelectorAll(selector: string): Iterable<{ textContent: string | null }> };

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const LAB = 'lec7-k8s-basics';
const COMMAND = 'kubectl get nodes';
const ROOT = path.resolve(__dirname, '..');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../scripts/lib/setup.cjs') as { ensureWebBuild(): void };

function stats(samples: number[]): { p50: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return { p50: at(0.5), p90: at(0.9) };
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(9);

/** Runs in the page: true once the terminal shows `text` and the last non-empty row is the prompt. */
function screenShows(page: Page, text: string): Promise<unknown> {
  return page.waitForFunction(
    (expected) => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      const rows = [...doc.querySelectorAll('.xterm-rows > div')].map((row) =>
        (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd(),
      );
      // The prompt is bash's `student@minikube:~$`: the last drawn row ends with its `$`.
      const last = rows.filter((row) => row !== '').pop() ?? '';
      return rows.join('\n').includes(expected) && last.endsWith('$');
    },
    text,
    { polling: 'raf', timeout: 30_000 },
  );
}

async function main(): Promise<void> {
  setup.ensureWebBuild();
  process.stdout.write('Starting the platform (API and worker as separate processes)…\n');
  const platform = await startPlatform({
    WEB_DIR: path.join(ROOT, 'web', 'dist'),
    CLUSTER_DRIVER: 'embedded',
    LOG_LEVEL: 'error',
    COMMANDS_PER_MINUTE: '100000',
    // The production pool, not the test platforms' small one (a bench runs alone).
    DATABASE_POOL_SIZE: '20',
  });
  const browser = await launchChromium();
  try {
    const register = await fetch(`${platform.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'bench@kubelab.local',
        password: 'bench-password',
        displayName: 'Bench',
        joinCode: platform.joinCode,
      }),
    });
    if (register.status !== 201) throw new Error(`register: ${register.status} ${await register.text()}`);
    const cookie = (register.headers.get('set-cookie') ?? '').split(';')[0];
    const session = await api<{ id: string }>(
      platform.baseUrl,
      cookie,
      'POST',
      `/courses/${platform.courseId}/labs/${LAB}/session`,
    );

    // Baseline: the same command over a bare socket.io client.
    const socket = await connect(platform.baseUrl, cookie);
    await socket.emitWithAck('session.join', { labSessionId: session.body.id });
    const socketSamples: number[] = [];
    for (let i = 0; i < ROUNDS + 3; i++) {
      const started = performance.now();
      const exited = new Promise<void>((resolve) => {
        const onExit = () => {
          socket.off('command.exit', onExit);
          resolve();
        };
        socket.on('command.exit', onExit);
      });
      await socket.emitWithAck('command.submit', { labSessionId: session.body.id, command: COMMAND });
      await exited;
      if (i >= 3) socketSamples.push(performance.now() - started);
    }
    socket.close();

    // The browser terminal.
    const [name, value] = cookie.split('=');
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name, value, url: platform.baseUrl }]);
    const page = await context.newPage();
    await page.goto(`${platform.baseUrl}/courses/${platform.courseId}/labs/${LAB}`);
    await page.locator('[data-testid="cluster"][data-status="ready"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('terminal').click();
    await screenShows(page, '$');

    // The floor for anything drawn: a round trip that waits for the next animation frame.
    const frameSamples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await page.evaluate(
        () =>
          new Promise<void>((resolve) =>
            (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(
              () => resolve(),
            ),
          ),
      );
      frameSamples.push(performance.now() - started);
    }

    const echoSamples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await page.keyboard.press('x');
      await page.waitForFunction(
        (count) => {
          const doc = (globalThis as unknown as { document: PageDocument }).document;
          return [...doc.querySelectorAll('.xterm-rows > div')].some((row) =>
            (row.textContent ?? '')
              .replace(/\u00a0/g, ' ')
              .trimEnd()
              .endsWith(`$ ${'x'.repeat(count)}`),
          );
        },
        i + 1,
        { polling: 'raf', timeout: 10_000 },
      );
      echoSamples.push(performance.now() - started);
    }
    await page.keyboard.press('Control+U');

    const browserSamples: number[] = [];
    for (let i = 0; i < ROUNDS + 3; i++) {
      await page.keyboard.press('Control+L');
      await page.keyboard.type(COMMAND);
      const started = performance.now();
      await page.keyboard.press('Enter');
      await screenShows(page, 'control-plane');
      if (i >= 3) browserSamples.push(performance.now() - started);
    }

    const socketStats = stats(socketSamples);
    const browserStats = stats(browserSamples);
    const echoStats = stats(echoSamples);
    const frameStats = stats(frameSamples);
    const lines = [
      '',
      `Browser terminal, ${ROUNDS} rounds each (first 3 command rounds discarded as warm-up)`,
      `                                            p50        p90`,
      `command: Enter → output + prompt drawn  ${fmt(browserStats.p50)}  ${fmt(browserStats.p90)}`,
      `baseline: socket.io submit → exit        ${fmt(socketStats.p50)}  ${fmt(socketStats.p90)}`,
      `  ratio browser / socket (p50)           ${(browserStats.p50 / socketStats.p50).toFixed(2)}×`,
      `echo: key press → character drawn       ${fmt(echoStats.p50)}  ${fmt(echoStats.p90)}`,
      `baseline: one animation frame round trip ${fmt(frameStats.p50)}  ${fmt(frameStats.p90)}`,
      `  ratio echo / frame (p50)               ${(echoStats.p50 / frameStats.p50).toFixed(2)}×`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    await browser.close();
    await platform.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
