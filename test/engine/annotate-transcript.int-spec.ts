import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * kubectl annotate against the engine, and --record on the verbs that take it. The messages, the --overwrite error,
 * --list, the dry-run suffixes and the change-cause text were checked with kubectl v1.30.13 talking to a loopback
 * stub API server; the API server's answers (Invalid, Conflict, NotFound) follow the v1.30 sources.
 */
describe('annotate transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'annotate.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'annotate.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
