/**
 * One conformance suite per corpus file: each line runs through real kubectl against `engine serve --clock=manual`
 * and through the built-in terminal on a twin cluster; stdout, stderr and the exit code must match byte for byte
 * after the masks of serve-harness.ts `mask`. Lines listed in corpus/known-differences.lines (shared by every
 * corpus) must still differ.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { render } from '../oracle/oracle';
import {
  mask,
  readConformanceCorpus,
  readKnownDifferences,
  RealKubectl,
  requireKubectl,
  ServedCluster,
  TwinTerminal,
} from './serve-harness';

const CORPUS_DIR = path.join(__dirname, 'corpus');
const known = readKnownDifferences(path.join(CORPUS_DIR, 'known-differences.lines'));

/** Every line of every corpus file (a known difference must be one of them). */
function allCorpusLines(): Set<string> {
  const lines = new Set<string>();
  for (const file of fs.readdirSync(CORPUS_DIR))
    if (file.endsWith('.lines') && file !== 'known-differences.lines')
      for (const entry of readConformanceCorpus(path.join(CORPUS_DIR, file)))
        if ('line' in entry) lines.add(entry.line);
  return lines;
}

export function describeCorpus(title: string, corpusFile: string, serveArgs: string[] = []): void {
  const corpus = readConformanceCorpus(path.join(CORPUS_DIR, corpusFile));

  describe(title, () => {
    let served: ServedCluster;
    let kubectl: RealKubectl;
    let twin: TwinTerminal;

    beforeAll(async () => {
      requireKubectl();
      served = await ServedCluster.start(serveArgs);
      kubectl = new RealKubectl(served.kubeconfig);
      twin = new TwinTerminal();
    }, 90_000);

    afterAll(async () => {
      await served?.stop();
      kubectl?.dispose();
    });

    it('lists no known difference that is not a corpus line', () => {
      const lines = allCorpusLines();
      expect([...known].filter((l) => !lines.has(l))).toEqual([]);
    });

    corpus.forEach((entry, index) => {
      if ('advance' in entry) {
        it(`#${index + 1} advances both clocks by ${entry.advance} ms`, async () => {
          twin.advance(entry.advance);
          expect(await served.advance(entry.advance)).toBe(twin.clock.now());
        });
        return;
      }
      const { line } = entry;
      it(`#${index + 1} ${line}`, async () => {
        const real = mask(line, await kubectl.run(line));
        const before = twin.clock.now();
        const lab = mask(line, await twin.run(line));
        // A waiting command may move the twin's virtual clock; the served cluster follows.
        if (twin.clock.now() !== before) await served.advance(twin.clock.now() - before);
        if (known.has(line)) expect(render(lab)).not.toEqual(render(real));
        else expect(render(lab)).toEqual(render(real));
      }, 30_000);
    });
  });
}
