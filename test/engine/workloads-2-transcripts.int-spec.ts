import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Issue 14 part 1: the pod shell over each image's files (cd and its prompt, exit status, busybox's and bash's
 * answers), StatefulSet ordering on the virtual clock, the kube-proxy DaemonSet, rollout history/undo of a
 * DaemonSet, set env/resources/serviceaccount and autoscale. Client-side lines were checked against kubectl
 * v1.30.13 (test/oracle/corpus/workloads-2.lines); the rest follows the reference and the v1.30 sources.
 */
describe.each(['pod-shell', 'statefulset', 'daemonset', 'workload-verbs'])('%s transcript', (name) => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, `${name}.transcript`), 'utf8');
    const expected = readFileSync(join(__dirname, `${name}.expected`), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
