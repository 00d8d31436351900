/**
 * Real kubectl is the judge of the built-in terminal for everything that needs a server: corpus/lab.lines (the
 * first lab's path, then wider commands) through real kubectl against `engine serve --clock=manual` and through the
 * built-in terminal on a twin cluster (corpus-suite.ts).
 */
import { describeCorpus } from './corpus-suite';

describeCorpus(
  'conformance: real kubectl against engine serve judges the built-in terminal (lab path)',
  'lab.lines',
);
