/**
 * corpus/limitranges.lines: LimitRange as a served kind (validation, defaulting, table, describe, the namespace's
 * "Resource Limits") and LimitRanger admission of pods, judged by real kubectl against `engine serve`
 * (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: LimitRange and LimitRanger admission', 'limitranges.lines');
