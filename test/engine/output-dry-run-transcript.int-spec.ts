import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Issue 13: custom columns and JSONPath over `get`, `--dry-run=server` (validated and defaulted, nothing stored),
 * `auth whoami` and `create token`. Reviewed against kubectl's sources (custom columns, token errors) and the
 * reference (kubectl-breadth §1.4, §11.4).
 */
describe('output formats and server dry runs transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'output-dry-run.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'output-dry-run.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
