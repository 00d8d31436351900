import * as path from 'node:path';
import { describeCorpus } from './oracle';

// kubectl's file-reading flags and cp's argument errors (issue 16), judged by kubectl v1.30 (see oracle.ts).
describeCorpus('kubectl v1.30 oracle: flags that read files', path.join(__dirname, 'corpus', 'files.lines'));
