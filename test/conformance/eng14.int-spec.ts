/**
 * ENG14 (issues 14 and 17, the engine's known gaps): `run --overrides` with each override type, `replace --force`,
 * and the API server's requests-above-limits, claim-name, JSON-null and webhook-rule answers, judged by real
 * kubectl: corpus/eng14.lines through real kubectl against `engine serve --clock=manual` and through the built-in
 * terminal on a twin cluster.
 */
import { describeCorpus } from './corpus-suite';

describeCorpus(
  'conformance: real kubectl judges run --overrides, replace --force and the new refusals',
  'eng14.lines',
);
