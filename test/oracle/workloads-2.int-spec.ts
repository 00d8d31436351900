import * as path from 'node:path';
import { describeCorpus } from './oracle';

// DaemonSets, StatefulSets, autoscale and the set/rollout verbs of issue 14, judged by kubectl v1.30 (see oracle.ts).
describeCorpus(
  'kubectl v1.30 oracle: autoscale, set env/resources/serviceaccount, rollout of sets',
  path.join(__dirname, 'corpus', 'workloads-2.lines'),
);
