/**
 * Hints that react to typical mistakes. Each diagnostic of a lab is a check ("a pod is in ImagePullBackOff",
 * "`kubectl expose` failed with the DNS-1035 message") plus a hint; diagnose() returns the hints whose check
 * holds now, with {{vars}} and {{matched}} (the objects or commands that triggered it) filled in.
 */
import { fillPlaceholders, placeholdersIn } from '../format/template';
import { Lab, LANGUAGES, Localized } from '../format/types';
import { MATCHED_PLACEHOLDER } from '../loader/read-lab';
import { EvaluationContext } from '../evaluation/context';
import { evaluateCheckWith } from '../evaluation/evaluate';
import { VarResolver } from '../evaluation/vars';

export interface DiagnosticHint {
  id: string;
  hint: Localized;
  /** Objects or commands that made the diagnostic apply. */
  matched: string[];
}

/** The hints that apply now; with `stepId`, only those relevant to that step (or to the whole lab). */
export async function diagnose(
  lab: Lab,
  context: EvaluationContext,
  options: { stepId?: string } = {},
): Promise<DiagnosticHint[]> {
  const vars = new VarResolver(lab.vars, context);
  const hints: DiagnosticHint[] = [];
  for (const diagnostic of lab.diagnostics) {
    const relevant =
      options.stepId === undefined ||
      diagnostic.steps.length === 0 ||
      diagnostic.steps.includes(options.stepId);
    if (!relevant) continue;
    const verdict = await evaluateCheckWith(diagnostic.when, { context, vars });
    if (!verdict.passed) continue;
    hints.push({
      id: diagnostic.id,
      hint: await fillHint(diagnostic.hint, verdict.matched, vars),
      matched: verdict.matched,
    });
  }
  return hints;
}

async function fillHint(hint: Localized, matched: string[], vars: VarResolver): Promise<Localized> {
  const values = new Map<string, string>([[MATCHED_PLACEHOLDER, matched.join(', ')]]);
  for (const language of LANGUAGES) {
    for (const name of placeholdersIn(hint[language])) {
      if (values.has(name)) continue;
      const resolved = await vars.resolve(name);
      values.set(name, resolved.ok ? resolved.value : `{{${name}}}`);
    }
  }
  const filled = {} as Localized;
  for (const language of LANGUAGES)
    filled[language] = fillPlaceholders(hint[language], (name) => values.get(name) ?? '');
  return filled;
}
