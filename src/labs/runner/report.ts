/** The readable report of `lab test`: one line per step (✓/✗, checks, times), details under failures. */
import { Lab } from '../format/types';
import { LabTestResult, StepTestResult } from './lab-test';

export function formatStepResult(
  lab: Lab,
  result: StepTestResult,
  options: { verbose?: boolean } = {},
): string[] {
  const step = lab.steps.find((candidate) => candidate.id === result.stepId);
  const checks = step?.checks.length ?? 0;
  const mark = result.ok ? '✓' : '✗';
  const time = `${formatSimulated(result.simulatedMs)} simulated, ${Math.round(result.wallMs)} ms`;
  const lines = [
    `  ${mark} ${result.stepId.padEnd(20)} ${String(step?.points ?? 0).padStart(3)} pts  ${checks} check${checks === 1 ? '' : 's'}  (${time})`,
  ];
  for (const problem of result.problems) {
    const label = step?.checks[problem.checkIndex]?.label?.en;
    const name = `check ${problem.checkIndex + 1}${label ? ` "${label}"` : ''}`;
    const what =
      problem.when === 'before'
        ? 'already passes BEFORE the solution ran (it grades nothing)'
        : 'still fails AFTER the solution ran';
    lines.push(`      step "${result.stepId}" ${name} ${what}: ${problem.verdict.reason.en}`);
  }
  for (const error of result.solutionErrors) lines.push(`      step "${result.stepId}" solution: ${error}`);
  if (result.noLongerPassing.length > 0) {
    lines.push(
      `      note: earlier steps no longer passing (they stay passed in grading): ${result.noLongerPassing.join(', ')}`,
    );
  }
  if (options.verbose || !result.ok) {
    for (const command of result.commands) {
      const code = command.exitCode === 0 ? '' : `   [exit ${command.exitCode ?? 'none'}]`;
      lines.push(`      $ ${command.command}${code}`);
      if (options.verbose && command.output) {
        for (const outputLine of command.output.replace(/\n$/, '').split('\n'))
          lines.push(`        ${outputLine}`);
      }
    }
  }
  return lines;
}

export function formatLabSummary(lab: Lab, result: LabTestResult): string {
  const passed = result.steps.filter((step) => step.ok).length;
  const verdict = result.ok ? 'PASS' : 'FAIL';
  return `${verdict} ${lab.id}: ${passed}/${result.steps.length} steps (${(result.wallMs / 1000).toFixed(2)} s)`;
}

export function formatLabHeader(lab: Lab): string {
  const points = lab.steps.reduce((sum, step) => sum + step.points, 0);
  return `lab ${lab.id} — ${lab.title.en} (${lab.steps.length} steps, ${points} points, ~${lab.estimatedMinutes} min)`;
}

function formatSimulated(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${seconds}s`;
}
