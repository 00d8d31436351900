import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * The engine's known gaps of issues 14 and 17 end to end (engine-gaps.transcript): the API server's refusal of
 * requests above limits and of a claim without a name, JSON nulls decoded as unset, `replace --force`,
 * `run --overrides`, `run --rm -it` attaching to the pod's shell, and the pod shell's sed, head -c, tee, pipes and
 * redirections. kubectl's own lines of these verbs are judged against real kubectl in
 * test/conformance/corpus/eng14.lines.
 */
describe('engine-gaps transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'engine-gaps.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'engine-gaps.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
