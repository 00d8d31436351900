import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Probes (issue 14 part 2) on the virtual clock: the documentation's liveness-exec example, readiness gating a
 * Service's endpoints and a Deployment's rollout, a startup probe, an HTTP liveness probe on the wrong port and
 * probe validation. The layouts (describe's probe lines, the events, the tables) are judged by real kubectl in
 * test/conformance/corpus/probes.lines; the kubelet's timing follows pkg/kubelet/prober (worker.go) and
 * kuberuntime (liveness kills, back-off).
 */
describe('probes transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'probes.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'probes.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
