/**
 * corpus/metrics.lines: the Metrics API of the metrics-server add-on, `kubectl top pod|node`, and the HPA controller
 * scaling on the CPU a looping client makes, judged by real kubectl against `engine serve` (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: Metrics API, kubectl top and HPA scaling', 'metrics.lines');
