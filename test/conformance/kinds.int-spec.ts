/**
 * corpus/kinds.lines: get and describe of every kind the engine serves, and the writing commands beyond the first
 * lab (run, annotate, patch, rollout, create/apply -f, explain, get -w), judged by real kubectl against
 * `engine serve` (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: every kind, and the commands beyond the first lab', 'kinds.lines');
