import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Issue 13's kinds end to end: RBAC objects and `auth can-i` (rbac.transcript), ResourceQuota admission,
 * PriorityClass, PodDisruptionBudget status and `create service` (quota-pdb.transcript); LimitRange validation,
 * describe and LimitRanger admission (limitrange.transcript, issues 15 and 17). Generator outputs
 * (`--dry-run=client -o yaml`) and flag errors were compared with kubectl v1.30.13.
 */
describe.each(['rbac', 'quota-pdb', 'limitrange'])('%s transcript', (name) => {
  it('prints exactly the reviewed output', async () => {
    const transcript = readFileSync(join(__dirname, `${name}.transcript`), 'utf8');
    const expected = readFileSync(join(__dirname, `${name}.expected`), 'utf8');
    const steps = await runTranscript(transcript);
    expect(steps.map(formatPlain).join('')).toBe(expected);
  });
});
