import { newLabFiles } from '../bundle/lab-folder';
import type { LabFileMap } from '../../shared/authoring-api';

/**
 * For specs: a lab whose self-test is slow on purpose. Each step checks the history with a different
 * backtracking regex, which the regex runner stops after its budget (1 s), so `steps` steps take about
 * `steps` seconds to prove.
 */
export function slowLabFiles(labId: string, steps: number): LabFileMap {
  const lines = [
    `id: ${labId}`,
    'title: { zh-CN: 慢, en: Slow }',
    'description: { file: description.md }',
    'estimatedMinutes: 5',
    'steps:',
  ];
  for (let index = 0; index < steps; index++) {
    lines.push(
      `  - id: s${index}`,
      '    title: { zh-CN: 步, en: Step }',
      '    instructions: { file: steps/01-create-namespace.md }',
      '    points: 1',
      '    checks:',
      // Distinct sources (each costs its own budget); `c{0,n}` demands no literal V8 could rule out early; the
      // backreference keeps the regex off V8's linear-time engine (and gives it no necessary conditions that could
      // answer early), so it backtracks until the budget stops it.
      `      - ran: { command: '^kubectl get (a+)+\\1c{0,${index}}$' }`,
      '    solution:',
      `      - kubectl get ${'a'.repeat(30)}!`,
    );
  }
  return { ...newLabFiles(labId), 'lab.yaml': lines.join('\n') + '\n' };
}
