import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Here-documents and background jobs in a transcript: `kubectl apply -f - <<EOF`, `cat <<EOF | kubectl apply -f -`,
 * a watch started with `&` printing beside later commands, `jobs`, `jobs -l`, `kill` and the notices an interactive
 * bash prints before the next prompt (jobs.expected was checked against bash 5.2's texts and timing).
 */
describe('jobs transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'jobs.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'jobs.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });

  it('keeps a here-document as one step whose command is the whole text', async () => {
    const transcript = readFileSync(join(__dirname, 'jobs.transcript'), 'utf8');
    const [apply] = await runTranscript(transcript.split('kubectl get pods -w &')[0]);
    expect(apply.command.split('\n')).toHaveLength(23);
    expect(apply.command.endsWith('\nEOF')).toBe(true);
    expect(apply).toMatchObject({ stdout: 'deployment.apps/web created\n', stderr: '', exitCode: 0 });
  });
});
