import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Issue 17 on the virtual clock: `minikube addons list|enable|disable`, the metrics-server add-on starting up
 * (the Metrics API appears once its pod is Ready, usage once it has scraped twice), `kubectl top`, and the HPA
 * controller scaling php-apache on the CPU a looping wget client makes (as a pod's command, then typed in a pod
 * shell) and back down after the 5-minute stabilisation window.
 */
describe('metrics transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'metrics.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'metrics.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
