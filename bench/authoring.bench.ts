/**
 * `npm run bench:authoring`: lab authoring on the real platform (separate API and worker processes,
 * PostgreSQL, Redis), as test/api/authoring.e2e-spec.ts starts it.
 * 1. Proving a 10-step lab (a copy of lec7-k8s-basics): from the prove request leaving the client (the
 *    job is queued) to the last step's `authoring.proof` event arriving on the author's websocket;
 *    BENCH_AUTHORING_PROOFS (5) proofs one after another, p50 and max; beside it, the same self-test run
 *    in this process (no queue, no thread, no database) as the baseline.
 * 1b. The same from the browser, as an author sees it: from the click on "Prove it" in the lab editor page
 *    (Chromium) to the tenth step's result shown on the page, BENCH_AUTHORING_PROOFS runs, p50 and max.
 * 2. Regrading BENCH_AUTHORING_SESSIONS (200) sessions of version 1 against version 2: from the regrade
 *    request to its state `done` (polled every 100 ms). The sessions are written straight into the
 *    database (students, sessions pinned to version 1, each with one passed step) and have no running
 *    cluster, so this measures re-pinning and re-scoring, not live re-evaluation.
 */
import { Client } from 'pg';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Draft, Regrade } from '../src/shared/authoring-api';
import { api, connect, EventLog, login, startPlatform } from '../test/support/platform';
import { loadLabFile } from '../src/labs';
import { testLab } from '../src/labs/runner/lab-test';
import { launchChromium } from '../test/web/support/browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../scripts/lib/setup.cjs') as { ensureWebBuild(): void; ROOT: string };

const PROOFS = Number(process.env.BENCH_AUTHORING_PROOFS ?? 5);
const SESSIONS = Number(process.env.BENCH_AUTHORING_SESSIONS ?? 200);
const LAB = 'bench-lec7';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  setup.ensureWebBuild();
  // The production database pool, not the test platforms' small one (a bench runs alone).
  const platform = await startPlatform({
    WEB_DIR: path.join(setup.ROOT, 'web', 'dist'),
    DATABASE_POOL_SIZE: '20',
  });
  try {
    const teacher = await login(platform.baseUrl, 'teacher@kubelab.local');
    const call = <T>(method: string, route: string, body?: unknown) =>
      api<T>(platform.baseUrl, teacher, method, route, body);
    const socket = await connect(platform.baseUrl, teacher);
    const log = new EventLog(socket);
    const created = await call<Draft>('POST', '/authoring/drafts', {
      courseId: platform.courseId,
      copyFrom: { labId: 'lec7-k8s-basics' },
      labId: LAB,
    });
    if (created.status !== 201) throw new Error(`draft: ${created.status} ${created.text}`);
    const draft = created.body;
    await socket.emitWithAck('authoring.watch', { draftId: draft.draftId });

    const proofMs: number[] = [];
    let lastProofId = '';
    for (let run = 0; run < PROOFS; run++) {
      const started = performance.now();
      const asked = await call<{ proofId: string }>('POST', `/authoring/drafts/${draft.draftId}/prove`);
      const { proofId } = asked.body;
      await log.waitFor(
        (event) =>
          event.name === 'authoring.proof' &&
          event.payload.proofId === proofId &&
          (event.payload.step as { index?: number; total?: number } | undefined)?.index === 9,
        180_000,
        'last step',
      );
      proofMs.push(performance.now() - started);
      lastProofId = proofId;
    }
    await log.waitFor(
      (event) =>
        event.name === 'authoring.proof' &&
        event.payload.proofId === lastProofId &&
        event.payload.state === 'passed',
      60_000,
      'verdict',
    );
    console.log(
      `prove a 10-step lab (queued -> last step on the websocket), ${PROOFS} runs: p50 ${Math.round(percentile(proofMs, 50))} ms, max ${Math.round(Math.max(...proofMs))} ms`,
    );
    const fromPage = await proveFromTheBrowser(platform.baseUrl, teacher, draft.draftId);
    console.log(
      `prove a 10-step lab from the browser (click on "Prove it" -> tenth step result on the page), ${PROOFS} runs: p50 ${Math.round(percentile(fromPage, 50))} ms, max ${Math.round(Math.max(...fromPage))} ms`,
    );
    // Baseline: the same self-test run in this process (what `npm run lab -- test` does), no queue or thread.
    const lab = loadLabFile(path.resolve(__dirname, '../labs/lec7-k8s-basics/lab.yaml'));
    const inProcessMs: number[] = [];
    for (let run = 0; run < PROOFS; run++) inProcessMs.push((await testLab(lab)).wallMs);
    console.log(`baseline: the same self-test in-process, p50 ${Math.round(percentile(inProcessMs, 50))} ms`);

    const v1 = await call('POST', `/authoring/drafts/${draft.draftId}/publish`, {
      courseId: platform.courseId,
    });
    if (v1.status !== 201) throw new Error(`publish: ${v1.status} ${v1.text}`);
    await seedSessions(platform.db.url, platform.courseId, SESSIONS);
    // Version 2: the first step is worth more.
    const yaml = draft.files['lab.yaml'].replace(
      /points: (\d+)/,
      (_all, points: string) => `points: ${Number(points) + 5}`,
    );
    const saved = await call<{ revision: number }>('PUT', `/authoring/drafts/${draft.draftId}/files`, {
      path: 'lab.yaml',
      content: yaml,
      baseRevision: draft.revision,
    });
    const proof = await call<{ proofId: string }>('POST', `/authoring/drafts/${draft.draftId}/prove`);
    await log.waitFor(
      (event) =>
        event.name === 'authoring.proof' &&
        event.payload.proofId === proof.body.proofId &&
        event.payload.state === 'passed',
      180_000,
      `proof of revision ${saved.body.revision}`,
    );
    const v2 = await call('POST', `/authoring/drafts/${draft.draftId}/publish`, {
      courseId: platform.courseId,
    });
    if (v2.status !== 201) throw new Error(`publish v2: ${v2.status} ${v2.text}`);

    const started = performance.now();
    const asked = await call<{ regradeId: string }>('POST', `/authoring/labs/${LAB}/regrade`, {
      courseId: platform.courseId,
      fromVersion: 1,
    });
    let regrade: Regrade;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      regrade = (await call<Regrade>('GET', `/authoring/regrades/${asked.body.regradeId}`)).body;
    } while (regrade.state !== 'done' && regrade.state !== 'failed');
    const regradeMs = performance.now() - started;
    console.log(
      `regrade ${regrade.total} sessions of version 1 against version 2 (no running clusters): ${regrade.state} in ${Math.round(regradeMs)} ms (${(regradeMs / Math.max(1, regrade.total)).toFixed(1)} ms per session)`,
    );
    socket.disconnect();
  } finally {
    await platform.stop();
  }
}

interface PageElement {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): { length: number };
}
interface PageDocument {
  querySelector(selector: string): PageElement | null;
}

/** Times PROOFS proofs in the lab editor page: click, then the tenth step of that new proof on the page. */
async function proveFromTheBrowser(baseUrl: string, cookie: string, draftId: string): Promise<number[]> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'en-GB' });
    const [name, value] = cookie.split(/=(.*)/s);
    await context.addCookies([{ name, value, url: baseUrl }]);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/authoring/drafts/${encodeURIComponent(draftId)}`);
    const prove = page.getByRole('button', { name: 'Prove it' });
    const times: number[] = [];
    for (let run = 0; run < PROOFS; run++) {
      await page
        .locator('[data-testid="proof"]:not([data-state="queued"]):not([data-state="running"])')
        .waitFor();
      const previous = await page.getByTestId('proof').getAttribute('data-proof-id');
      const started = performance.now();
      await prove.click();
      await page.waitForFunction(
        (before) => {
          // Runs in the page (this file is compiled without the DOM's types).
          const { document } = globalThis as unknown as { document: PageDocument };
          const panel = document.querySelector('[data-testid="proof"]');
          return (
            panel !== null &&
            panel.getAttribute('data-proof-id') !== before &&
            panel.querySelectorAll('[data-testid^="proof-step-"]').length === 10
          );
        },
        previous,
        { timeout: 180_000, polling: 'raf' },
      );
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    await browser.close();
  }
}

/** Students of the course with sessions pinned to version 1 of the lab, each with its first step passed. */
async function seedSessions(url: string, courseId: string, count: number): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const version = await client.query<{
      id: string;
      definition: { steps: { id: string; points: number }[] };
    }>('SELECT id, definition FROM lab_versions WHERE lab_id = $1 AND version = 1', [LAB]);
    const { id: versionId, definition } = version.rows[0];
    const step = definition.steps[0];
    for (let index = 0; index < count; index++) {
      const user = await client.query<{ id: string }>(
        `INSERT INTO users (id, email, display_name, password_hash, role, updated_at)
         VALUES (gen_random_uuid(), $1, $2, 'x', 'student', now()) RETURNING id`,
        [`bench-${index}@example.edu`, `Bench ${index}`],
      );
      const userId = user.rows[0].id;
      await client.query(
        'INSERT INTO enrollments (id, course_id, user_id) VALUES (gen_random_uuid(), $1, $2)',
        [courseId, userId],
      );
      const session = await client.query<{ id: string }>(
        `INSERT INTO lab_sessions (id, user_id, course_id, lab_id, lab_version_id)
         VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id`,
        [userId, courseId, LAB, versionId],
      );
      await client.query(
        `INSERT INTO step_results (id, lab_session_id, step_id, state, attempts, points, max_points, first_passed_at)
         VALUES (gen_random_uuid(), $1, $2, 'passed', 1, $3, $3, now())`,
        [session.rows[0].id, step.id, step.points],
      );
    }
  } finally {
    await client.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
