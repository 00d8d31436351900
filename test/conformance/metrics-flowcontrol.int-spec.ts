/**
 * corpus/metrics-flowcontrol.lines: `kubectl get podmetrics|nodemetrics` through the Metrics API of the
 * metrics-server add-on, and the FlowSchemas and PriorityLevelConfigurations a v1.30 API server boots with, judged
 * by real kubectl against `engine serve` (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: Metrics API kinds and flow control', 'metrics-flowcontrol.lines');
