import * as path from 'node:path';
import { describeCorpus } from './oracle';

// The rest of issue 13 without a server: YAML string styles and folding, annotate/label/patch on local files,
// judged by kubectl v1.30 (see oracle.ts).
describeCorpus(
  'kubectl v1.30 oracle: YAML strings, annotate/label/patch --local',
  path.join(__dirname, 'corpus', 'issue13-rest.lines'),
);
