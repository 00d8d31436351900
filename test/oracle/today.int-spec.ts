import * as path from 'node:path';
import { describeCorpus } from './oracle';

// The commands the lab terminal serves today, judged by kubectl v1.30 (see oracle.ts).
describeCorpus('kubectl v1.30 oracle: commands served today', path.join(__dirname, 'corpus', 'today.lines'));
