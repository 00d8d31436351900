import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Issue 14 part 2: configMap/secret/downwardAPI/emptyDir volumes read from the pod shell (atomic-writer layout,
 * subPath, updates at the kubelet's periodic sync, FailedMount on a missing ConfigMap), Indexed Jobs with
 * podFailurePolicy and backoffLimitPerIndex, and CronJob spec.timeZone. Messages follow the v1.30 sources
 * (kubelet volume plugins, pkg/controller/job, pkg/apis/batch/validation).
 */
describe.each(['volumes', 'indexed-jobs', 'cronjob-timezone'])('%s transcript', (name) => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, `${name}.transcript`), 'utf8');
    const expected = readFileSync(join(__dirname, `${name}.expected`), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
