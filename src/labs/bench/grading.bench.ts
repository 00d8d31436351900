/**
 * Cost of grading, measured: run with `node -r ./scripts/swc-register.cjs src/labs/bench/grading.bench.ts`.
 * Grading runs after every student command, for every student of a class, so its cost is reported next to
 * a baseline measured in the same run: one readObjects call (list + copy of the default namespace's pods),
 * the primitive every object check is built on.
 */
import { join } from 'node:path';
import { diagnose } from '../diagnostics/diagnose';
import { evaluateStep } from '../evaluation/evaluate';
import { Lab } from '../format/types';
import { loadLabs } from '../loader/loader';
import { LabSession } from '../runner/lab-session';
import { runSolution, testLab } from '../runner/lab-test';

const LABS = join(__dirname, '../../../labs');

async function medianMs(runs: number, action: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(20, runs); i++) await action();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await action();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** A session at the end of the lab: every reference solution replayed, ~30 commands in the history. */
async function finishedSession(lab: Lab): Promise<LabSession> {
  const session = new LabSession();
  for (const step of lab.steps) await runSolution(step, session);
  return session;
}

async function main(): Promise<void> {
  const lab = loadLabs(LABS).find((candidate) => candidate.id === 'lec7-k8s-basics');
  if (!lab) throw new Error('lec7-k8s-basics not found');
  const session = await finishedSession(lab);
  const { context } = session;
  const checks = lab.steps.reduce((sum, step) => sum + step.checks.length, 0);

  const baseline = await medianMs(2000, () => context.readObjects({ kind: 'Pod', namespace: 'default' }));
  const oneStep = await medianMs(2000, () => evaluateStep(lab.steps[lab.steps.length - 1], context));
  const allSteps = await medianMs(500, async () => {
    for (const step of lab.steps) await evaluateStep(step, context);
  });
  const diagnostics = await medianMs(500, () => diagnose(lab, context));
  const load = await medianMs(50, () => loadLabs(LABS));
  const labTest = await medianMs(10, () => testLab(lab));

  const rows: [string, number][] = [
    ['baseline: readObjects(Pods in default)', baseline],
    ['evaluateStep(rollback), 2 checks', oneStep],
    [`evaluateStep x ${lab.steps.length} steps (${checks} checks)`, allSteps],
    [`diagnose(lab), ${lab.diagnostics.length} diagnostics`, diagnostics],
    ['loadLabs(labs/) incl. Markdown', load],
    ['testLab(lec7): new cluster + 10 steps', labTest],
  ];
  console.log(`grading cost, Lec7 end state (${context.history.length} commands in history), medians:`);
  for (const [name, ms] of rows) {
    const ratio = (ms / baseline).toFixed(1);
    console.log(
      `  ${name.padEnd(44)} ${(ms * 1000).toFixed(1).padStart(10)} µs   ${ratio.padStart(7)}x baseline`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
