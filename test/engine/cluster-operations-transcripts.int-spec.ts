import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Issue 17's remaining cluster operations end to end: cordon's unschedulable taint, the kubelet's
 * NodeNotSchedulable/NodeSchedulable events and the scheduler's FailedScheduling reasons in the order of its Filter
 * plugins (cordon.transcript); Ingress TLS from the student's certificate files, https through ingress-nginx with and
 * without -k, its 308 redirect and wrong-scheme answers (ingress-tls.transcript). Taint and cordon lines of kubectl's own are judged against real kubectl in
 * test/conformance/corpus/operations.lines.
 */
describe.each(['cordon', 'ingress-tls'])('%s transcript', (name) => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, `${name}.transcript`), 'utf8');
    const expected = readFileSync(join(__dirname, `${name}.expected`), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
