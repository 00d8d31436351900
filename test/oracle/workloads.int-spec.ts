import * as path from 'node:path';
import { describeCorpus } from './oracle';

// Jobs, CronJobs and the pod-running verbs of issue 14, judged by kubectl v1.30 (see oracle.ts).
describeCorpus(
  'kubectl v1.30 oracle: jobs, cronjobs, run and logs',
  path.join(__dirname, 'corpus', 'workloads.lines'),
);
