import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Sidecar containers (init containers with restartPolicy Always, beta and on in 1.30) on the virtual clock: the
 * next init container waits for the sidecar's startup probe, READY counts the sidecar, and a Job's pod stops its
 * sidecar once the app container has completed. The kubelet's rules follow kuberuntime (computeInitContainerActions),
 * kubelet_pods.go getPhase and status/generate.go; the READY/STATUS cells follow printPod of kubectl 1.30.
 */
describe('sidecars transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'sidecars.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'sidecars.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
