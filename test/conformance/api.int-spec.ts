/**
 * corpus/api.lines: server-side field validation, RBAC through impersonation and the review APIs, judged by real
 * kubectl against `engine serve` (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: field validation, RBAC and auth reviews', 'api.lines');
