/**
 * Probes (issue 14 part 2) judged by real kubectl: corpus/probes.lines through real kubectl against `engine serve
 * --clock=manual` and through the built-in terminal on a twin cluster (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: real kubectl judges probes (liveness, readiness, startup)', 'probes.lines');
