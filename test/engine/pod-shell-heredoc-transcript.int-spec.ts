import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Here-documents typed in pod shells (issue 14): the body is read up to its delimiter line, an unquoted body
 * expands the container's variables, a quoted one stays literal, `<<-` strips tabs, and the body is the first
 * command's stdin (into a file, a pipe, another directory); then sed's y, a, i, c, ranges, ! and w on those files
 * (busybox's sed in busybox, GNU sed in nginx).
 */
describe('pod shell here-documents transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'pod-shell-heredoc.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'pod-shell-heredoc.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
