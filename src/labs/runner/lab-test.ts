/**
 * `lab test`: replays a lab's reference solutions in a fresh embedded cluster and proves its checks grade
 * something. For each step in order: every check must FAIL before the step's solution runs (a check that
 * already passes would award points for nothing) and every check must PASS after it.
 */
import { evaluateStep } from '../evaluation/evaluate';
import { CheckVerdict, HistoryEntry, StepVerdict } from '../evaluation/context';
import { VarResolver } from '../evaluation/vars';
import { parseSolutionLine } from '../format/solution';
import { Lab, Step } from '../format/types';
import { LAB_TEST_SEED, LabSession } from './lab-session';

export { LAB_TEST_SEED };

export interface LabTestOptions {
  seed?: number;
  /** Called as each step finishes, for progressive reports. */
  onStep?: (result: StepTestResult) => void;
}

export interface CheckProblem {
  checkIndex: number;
  /** 'before': passed although the solution had not run; 'after': failed although it had. */
  when: 'before' | 'after';
  verdict: CheckVerdict;
}

export interface StepTestResult {
  stepId: string;
  ok: boolean;
  problems: CheckProblem[];
  /** A solution line that could not run (unresolvable {{var}}, command that never finished). */
  solutionErrors: string[];
  before: StepVerdict;
  after: StepVerdict;
  /** The solution's commands as run, with exit codes and output. */
  commands: HistoryEntry[];
  /** Earlier steps whose checks no longer all pass (informational: a passed step stays passed). */
  noLongerPassing: string[];
  simulatedMs: number;
  wallMs: number;
}

export interface LabTestResult {
  labId: string;
  ok: boolean;
  steps: StepTestResult[];
  wallMs: number;
}

export async function testLab(lab: Lab, options: LabTestOptions = {}): Promise<LabTestResult> {
  const started = performance.now();
  const session = new LabSession({ seed: options.seed ?? LAB_TEST_SEED, lab });
  const setupErrors = await session.setUp();
  const { context, clock } = session;

  const steps: StepTestResult[] = [];
  for (const [index, step] of lab.steps.entries()) {
    // A cluster set-up that failed fails the first step, which names the lines.
    const setup = index === 0 ? setupErrors.map((error) => `cluster set-up: ${error}`) : [];
    const stepStarted = performance.now();
    const clockStarted = clock.now();
    const before = await evaluateStep(step, context);
    const solution = await runSolution(step, session);
    const { commands } = solution;
    const errors = [...setup, ...solution.errors];
    const after = await evaluateStep(step, context);

    const problems: CheckProblem[] = [
      ...problemsOf(before, 'before', (verdict) => verdict.passed),
      ...problemsOf(after, 'after', (verdict) => !verdict.passed),
    ];
    const noLongerPassing: string[] = [];
    for (const earlier of lab.steps.slice(0, index)) {
      if (!(await evaluateStep(earlier, context)).passed) noLongerPassing.push(earlier.id);
    }
    const result: StepTestResult = {
      stepId: step.id,
      ok: problems.length === 0 && errors.length === 0,
      problems,
      solutionErrors: errors,
      before,
      after,
      commands,
      noLongerPassing,
      simulatedMs: clock.now() - clockStarted,
      wallMs: performance.now() - stepStarted,
    };
    steps.push(result);
    options.onStep?.(result);
  }
  await session.close();
  return { labId: lab.id, ok: steps.every((step) => step.ok), steps, wallMs: performance.now() - started };
}

function problemsOf(
  verdict: StepVerdict,
  when: CheckProblem['when'],
  isProblem: (check: CheckVerdict) => boolean,
) {
  return verdict.checks.flatMap((check, checkIndex) =>
    isProblem(check) ? [{ checkIndex, when, verdict: check }] : [],
  );
}

/** Runs a step's reference solution in the session: clock moves, {{vars}} captured per line. */
export async function runSolution(
  step: Step,
  session: LabSession,
): Promise<{ commands: HistoryEntry[]; errors: string[] }> {
  const commands: HistoryEntry[] = [];
  const errors: string[] = [];
  for (const raw of step.solution) {
    const line = parseSolutionLine(raw);
    if (line.kind === 'advance') await session.advance(line.ms);
    if (line.kind !== 'command') continue;
    // Vars are captured afresh for each line: an earlier line may have created what a later one names.
    const filled = await new VarResolver(step.vars, session.context).fill(line.line);
    if (!filled.ok) {
      errors.push(`\`${line.line}\`: ${filled.reason.en}`);
      continue;
    }
    const run = await session.run(filled.value);
    commands.push(run);
    if (run.interrupted) errors.push(`\`${filled.value}\` did not finish: the runner interrupted it`);
  }
  return { commands, errors };
}
