import * as path from 'node:path';
import { describeCorpus } from './oracle';

// The kinds and generators of issue 13, judged by kubectl v1.30 (see oracle.ts).
describeCorpus(
  'kubectl v1.30 oracle: namespaces, configuration, secrets, access control',
  path.join(__dirname, 'corpus', 'config-kinds.lines'),
);
