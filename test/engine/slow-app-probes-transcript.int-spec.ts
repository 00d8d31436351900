import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * HTTP probes against a slow app (issue 14): httpbin's /delay/N answers after N seconds, so a readiness probe with a
 * shorter timeoutSeconds fails with net/http's Client.Timeout text and keeps the pod out of its Service's
 * endpoints, a longer one passes, and a liveness probe that times out restarts the container with its events.
 */
describe('slow app probes transcript', () => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, 'slow-app-probes.transcript'), 'utf8');
    const expected = readFileSync(join(__dirname, 'slow-app-probes.expected'), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
