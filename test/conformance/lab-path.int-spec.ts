/**
 * Real kubectl is the judge of the built-in terminal for everything that needs a server: each line of
 * corpus/lab.lines runs through real kubectl against `engine serve --clock=manual` and through the built-in
 * terminal on a twin cluster; stdout, stderr and the exit code must match byte for byte after the masks of
 * serve-harness.ts `mask` (klog headers, the client's build identity, describe's event ages). Lines listed in
 * corpus/known-differences.lines must still differ.
 */
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

const corpus = readConformanceCorpus(path.join(__dirname, 'corpus', 'lab.lines'));
const known = readKnownDifferences(path.join(__dirname, 'corpus', 'known-differences.lines'));

describe('conformance: real kubectl against engine serve judges the built-in terminal (lab path)', () => {
  let served: ServedCluster;
  let kubectl: RealKubectl;
  let twin: TwinTerminal;

  beforeAll(async () => {
    requireKubectl();
    served = await ServedCluster.start();
    kubectl = new RealKubectl(served.kubeconfig);
    twin = new TwinTerminal();
  }, 90_000);

  afterAll(async () => {
    await served?.stop();
    kubectl?.dispose();
  });

  it('lists no known difference that is not a corpus line', () => {
    const lines = new Set(corpus.flatMap((e) => ('line' in e ? [e.line] : [])));
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
