/**
 * corpus/edit-diff.lines: `kubectl diff -f` (its `diff -u -N` output over kubectl's temporary folders) and
 * `kubectl edit` (the buffer kubectl gives the editor, shown by KUBE_EDITOR=cat; the no-change and editor-error
 * outcomes), judged by real kubectl against `engine serve` (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: kubectl diff and kubectl edit', 'edit-diff.lines');
