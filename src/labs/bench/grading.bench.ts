/**
 * Cost of grading, measured: run with `node -r ./scripts/swc-register.cjs src/labs/bench/grading.bench.ts`.
 * Grading runs after every student command, for every student of a class, so its cost is reported next to
 * a baseline measured in the same run: one readObjects call (list + copy of the default namespace's pods),
 * the primitive every object check is built on.
 *
 * Then issue 18's grading lab (bench/grading-lab.ts: 10 steps, each reading the same 200 ConfigMaps through a
 * selector of its own), graded after a command that changed something else, three ways: as the platform graded
 * before (a deep copy per read on top of the API server's copy, one read per distinct query), with one read per
 * kind and namespace (SharedReads), and with the previous grading's verdicts reused (evaluateStepReusing).
 *
 * Last, Lec7 graded over long histories (50, 500 and 1,800 commands, a class's soak typing `kubectl get pods` and
 * every 4th a node label, the lab undone so every step fails): its steps and its diagnostics evaluated afresh, and
 * reused after one more command of that kind (evaluateReusing), as the platform grades.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRADING_LAB_ID, GRADING_LAB_OBJECTS_FILE, writeGradingLab } from '../../../bench/grading-lab';
import { queryObjects } from '../../engine';
import { EvaluationContext, HistoryEntry, KubeObjectJson, ObjectQuery } from '../evaluation/context';
import { SharedReads } from '../evaluation/shared-reads';
import {
  evaluateReusing,
  evaluateStepReusing,
  HistoryMark,
  Remembered,
  RememberedStep,
} from '../evaluation/step-reuse';
import { DiagnosticHint, diagnose } from '../diagnostics/diagnose';
import { evaluateStep } from '../evaluation/evaluate';
import { Lab } from '../format/types';
import { loadLabFile, loadLabs } from '../loader/loader';
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

/** One grading of issue 18's grading lab, the old way and the new ways (see the header). */
async function gradingLab(): Promise<void> {
  const dir = writeGradingLab(mkdtempSync(join(tmpdir(), 'grading-bench-')));
  const lab = loadLabFile(join(dir, GRADING_LAB_ID, 'lab.yaml'));
  rmSync(dir, { recursive: true, force: true });
  const session = await LabSession.start(lab);
  await session.run(`kubectl apply -f ${GRADING_LAB_OBJECTS_FILE}`);
  const { context, cluster } = session;
  // What the embedded driver's readObjects returns now: the API server's own copies.
  const driverRead = async (query: ObjectQuery) =>
    queryObjects(cluster, query) as unknown as KubeObjectJson[];
  const before = async () => {
    // The grading service before: a cache per distinct query, each read deep-copied once more by the driver.
    const cache = new Map<string, Promise<KubeObjectJson[]>>();
    const graded: EvaluationContext = {
      ...context,
      readObjects: (query) => {
        const key = JSON.stringify([query.kind, query.namespace, query.name, query.labelSelector]);
        let objects = cache.get(key);
        if (!objects) cache.set(key, (objects = driverRead(query).then((read) => structuredClone(read))));
        return objects;
      },
    };
    for (const step of lab.steps) await evaluateStep(step, graded);
  };
  const shared = async () => {
    const reads = new SharedReads(driverRead);
    const graded: EvaluationContext = { ...context, readObjects: (query) => reads.readObjects(query) };
    for (const step of lab.steps) await evaluateStep(step, graded);
  };
  const remembered = new Map<string, RememberedStep>();
  let flip = 0;
  const reused = async () => {
    // Each grading follows a command that changed the cluster, but not the ConfigMaps.
    await session.run(`kubectl label nodes minikube bench=t${flip++} --overwrite`);
    const reads = new SharedReads(driverRead);
    const graded: EvaluationContext = { ...context, readObjects: (query) => reads.readObjects(query) };
    for (const step of lab.steps) {
      const outcome = await evaluateStepReusing(step, graded, reads, remembered.get(step.id));
      if (outcome.remembered) remembered.set(step.id, outcome.remembered);
    }
  };
  const labelNode = await medianMs(200, () =>
    session.run(`kubectl label nodes minikube bench=t${flip++} --overwrite`),
  );
  const rows: [string, number][] = [
    ['before: a read per query, copied twice', await medianMs(100, before)],
    ['one shared read per kind and namespace', await medianMs(100, shared)],
    ['shared read + reused verdicts (incl. the command)', await medianMs(200, reused)],
    ['  of which the command (label the node)', labelNode],
  ];
  console.log(
    `grading cost, ${GRADING_LAB_ID} (${lab.steps.length} steps x 200 ConfigMaps), one grading, medians:`,
  );
  for (const [name, ms] of rows)
    console.log(`  ${name.padEnd(52)} ${(ms * 1000).toFixed(1).padStart(10)} µs`);
  await session.close();
}

/** Lec7 over long histories: a grading's steps and diagnostics afresh, and reused (see the header). */
async function longHistories(): Promise<void> {
  const lab = loadLabs(LABS).find((candidate) => candidate.id === 'lec7-k8s-basics');
  if (!lab) throw new Error('lec7-k8s-basics not found');
  const session = new LabSession();
  const read = await session.run('kubectl get pods');
  const label = await session.run('kubectl label nodes minikube bench=t0 --overwrite');
  console.log('grading cost, Lec7 over a long history (every step failing), one grading, medians:');
  for (const length of [50, 500, 1800]) {
    const log: HistoryEntry[] = Array.from({ length }, (_, i) => (i % 4 === 3 ? label : read));
    const mark = (history: HistoryEntry[]): HistoryMark => ({ log, rewrites: 0, length: history.length });
    const contextOf = (history: HistoryEntry[]): EvaluationContext => ({
      ...session.context,
      history,
      watchHistory: () => undefined,
    });
    const fresh = async () => {
      const context = contextOf(log.slice());
      for (const step of lab.steps) await evaluateStep(step, context);
      await diagnose(lab, context);
    };
    // Reused: the previous grading saw one command fewer.
    const steps = new Map<string, RememberedStep>();
    let hints: Remembered<DiagnosticHint[]> | undefined;
    const grade = async (history: HistoryEntry[]) => {
      const context = contextOf(history);
      const reads = new SharedReads((query) => session.context.readObjects(query));
      for (const step of lab.steps) {
        const outcome = await evaluateStepReusing(step, context, reads, steps.get(step.id), mark(history));
        if (outcome.remembered) steps.set(step.id, outcome.remembered);
      }
      const diagnosed = await evaluateReusing(
        lab.diagnostics,
        (tracking) => diagnose(lab, tracking),
        context,
        reads,
        hints,
        mark(history),
      );
      hints = diagnosed.remembered;
    };
    const reused = async () => {
      await grade(log.slice(0, length - 1));
      const started = performance.now();
      await grade(log.slice());
      return performance.now() - started;
    };
    const samples: number[] = [];
    for (let i = 0; i < 30; i++) samples.push(await reused());
    samples.sort((a, b) => a - b);
    const afresh = await medianMs(30, fresh);
    const again = samples[Math.floor(samples.length / 2)];
    console.log(
      `  ${String(length).padStart(5)} commands: afresh ${(afresh * 1000).toFixed(1).padStart(8)} µs   reused ${(again * 1000).toFixed(1).padStart(8)} µs`,
    );
  }
  await session.close();
}

main()
  .then(gradingLab)
  .then(longHistories)
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
