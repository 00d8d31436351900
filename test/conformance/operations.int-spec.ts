/**
 * corpus/operations.lines: cordon, uncordon, drain (through the pods/eviction subresource), taint, ResourceQuota
 * admission and describe, get -L/--show-kind/--sort-by and kubectl events, judged by real kubectl against
 * `engine serve` (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: cluster operations, quotas, events and get flags', 'operations.lines');
