import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPlain, runTranscript } from '../../src/engine/cli/transcript-runner';

/**
 * Namespaces, ServiceAccounts, ConfigMaps, Secrets and kubeconfig contexts, one transcript per kind. The
 * generator, flag-error and config lines were checked against kubectl v1.30.13; the server's answers follow
 * the reference (kubectl-breadth §2, §3, §12.13) and the v1.30 validation sources.
 */
describe.each(['namespaces', 'serviceaccounts', 'configmaps', 'secrets', 'contexts'])(
  '%s transcript',
  (name) => {
    it('prints exactly the reviewed output', async () => {
      const transcript = readFileSync(join(__dirname, `${name}.transcript`), 'utf8');
      const expected = readFileSync(join(__dirname, `${name}.expected`), 'utf8');
      const steps = await runTranscript(transcript);
      expect(steps.map(formatPlain).join('')).toBe(expected);
    });
  },
);
