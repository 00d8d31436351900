import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * The student's home directory through the transcript runner, which starts from an empty home: files and folders,
 * here-documents into files, paths outside the home, and kubectl reading and writing the home (`apply|delete|diff|
 * replace -f FILE|DIR|-`, `create configmap --from-file|--from-env-file`, `cp` to and from a pod). The file
 * commands' texts are GNU coreutils' (home-files.int-spec.ts compares them with bash); kubectl's were checked against
 * kubectl v1.30.13 where it answers without a server (create --dry-run=client, cp's argument errors).
 */
describe('home transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'home.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'home.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
