/**
 * corpus/issue13.lines: the kube-system objects of a fresh minikube, create -f --dry-run=client, annotate/label -f,
 * --record on autoscale/set/patch, create token and auth whoami, judged by real kubectl against `engine serve`
 * (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus(
  'conformance: issue 13 leftovers (kube-system objects, -f, --record, tokens)',
  'issue13.lines',
);
