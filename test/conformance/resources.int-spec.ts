/**
 * corpus/resources.lines: `api-resources` (every flag), `api-versions`, and `get` of the kinds a minikube v1.30
 * cluster serves without further behaviour, with the objects its control plane writes at start, judged by real
 * kubectl against `engine serve` (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: resources (api-resources, api-versions, every listed kind)', 'resources.lines');
