import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * The whole Lec7 lab (handout sections 3.1-3.5) against a fresh embedded cluster. lec7.expected was reviewed line by
 * line against /work/shared/reference/kubectl-behaviour.md; any difference is a regression in fidelity.
 */
describe('Lec7 lab transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'lec7.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'lec7.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });

  it('is deterministic: the same transcript gives byte-identical output', async () => {
    const transcript = readFileSync(join(__dirname, 'lec7.transcript'), 'utf8');
    const first = (await runTranscript(transcript)).map(formatPlain).join('');
    const second = (await runTranscript(transcript)).map(formatPlain).join('');
    expect(second).toBe(first);
  });
});
