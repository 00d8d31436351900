import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * `kubectl run -it` attached to a program (issue 14): the attach hint, the program's output, `--rm`'s deletion once
 * it ends, the exit status of a pod that is not restarted (kubectl exits with the program's status), OnFailure's
 * wait for a success that never comes, a server attached until Ctrl-C, the dry-run refusal, and the lab's refusal of
 * a network client (nslookup) as the pod's own program. The flow follows
 * kubectl 1.30's run.go (handleAttachPod, waitForPod and the exit-code switch).
 */
describe('run -it attached to a program transcript', () => {
  it('prints exactly the reviewed output, with kubectl exit statuses', async () => {
    const transcript = readFileSync(join(__dirname, 'run-attach-program.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'run-attach-program.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
    const status = (name: string) =>
      steps.find((s) => s.command.startsWith(`kubectl run ${name} `))?.exitCode;
    expect([status('clock'), status('talk'), status('boom'), status('boom2')]).toEqual([0, 0, 3, 4]);
    expect([status('again'), status('retry'), status('web'), status('dry'), status('dns')]).toEqual([
      0, 1, 130, 1, 1,
    ]);
  });
});
