/**
 * corpus/describe-kinds.lines: describe of the kinds without a describer of their own in the engine's first
 * passes (APIService, FlowSchema, PriorityLevelConfiguration, CSINode, ComponentStatus, RuntimeClass, CSIDriver,
 * PodTemplate, ReplicationController, ValidatingWebhookConfiguration), judged by real kubectl against
 * `engine serve` (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: describe of every remaining kind', 'describe-kinds.lines');
