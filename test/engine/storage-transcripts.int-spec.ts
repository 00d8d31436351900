import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Issue 17 storage: PersistentVolumeClaims bound by minikube's hostpath provisioner through the default
 * `standard` class, their volumes' tables and describers, data kept on the node across pods, and StatefulSet
 * volumeClaimTemplates. Texts follow kubectl v1.30's printers and describers, the v1.30 persistentvolume
 * controller, scheduler and validation sources, and minikube's storage-provisioner (reference breadth §6).
 */
describe.each(['storage', 'statefulset-storage'])('%s transcript', (name) => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, `${name}.transcript`), 'utf8');
    const expected = readFileSync(join(__dirname, `${name}.expected`), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
