import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * The pod's life and Jobs/CronJobs (issue 14), the virtual clock advancing through crash-loop back-off, init
 * containers, Job completion and failure, CronJob schedules and history. The client-side lines were checked
 * against kubectl v1.30.13 (test/oracle/corpus/workloads.lines); the server's answers follow the reference
 * (kubectl-breadth §4, §5) and the v1.30 sources (kubelet back-off, job and cronjob controllers, printers, describe).
 */
describe.each(['pod-lifecycle', 'batch'])('%s transcript', (name) => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, `${name}.transcript`), 'utf8');
    const expected = readFileSync(join(__dirname, `${name}.expected`), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
