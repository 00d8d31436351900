/**
 * corpus/networking.lines: Services of every type, EndpointSlices beside Endpoints, Ingress and IngressClass
 * (create ingress, tables, describers, default-class admission, validation) and NetworkPolicy, judged by real
 * kubectl against `engine serve` (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus(
  'conformance: networking (EndpointSlice, Ingress, IngressClass, NetworkPolicy)',
  'networking.lines',
);
