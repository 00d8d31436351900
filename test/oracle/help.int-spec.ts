import {
  KUBECTL_FLAGS,
  KUBECTL_GLOBAL_FLAGS,
  KUBECTL_HELP,
  KUBECTL_OPTIONS_HELP,
  KUBECTL_RECORD_FLAG,
} from '../../src/engine/kubectl/help/kubectl-help.generated';
import { flagsOf } from './help-screens';
import { recordProbe, useOracle } from './oracle';

// The help screens and flag tables the engine carries (src/engine/kubectl/help/kubectl-help.generated.ts) must be
// what the kubectl v1.30 binary prints today. When this fails, run: node -r ./scripts/swc-register.cjs
// scripts/oracle/capture-help.ts
describe('kubectl v1.30 oracle: the captured help screens are current', () => {
  const paths = Object.keys(KUBECTL_HELP);
  const lineOf = (path: string) => ['kubectl', ...(path === '' ? [] : path.split(' ')), '--help'].join(' ');
  const probed = paths.filter((path) => path !== '' && path !== 'help');
  const answer = useOracle('help', [...paths.map(lineOf), 'kubectl options', ...probed.map(recordProbe)]);

  it.each(paths.map((path) => [path === '' ? '(kubectl)' : path, path]))('%s', async (_, path) => {
    const { stdout, stderr, code } = await answer(lineOf(path));
    expect({ stderr, code }).toEqual({ stderr: '', code: 0 });
    expect(KUBECTL_HELP[path]).toBe(stdout);
    expect(KUBECTL_FLAGS[path]).toEqual(flagsOf(stdout));
  });

  it('kubectl options', async () => {
    const { stdout } = await answer('kubectl options');
    expect(KUBECTL_OPTIONS_HELP).toBe(stdout);
    expect(KUBECTL_GLOBAL_FLAGS).toEqual(flagsOf(stdout));
  });

  it('the commands that take the hidden --record', async () => {
    const taking: Record<string, string> = {};
    for (const path of probed) {
      const { stderr, code } = await answer(recordProbe(path));
      if (code === 0) taking[path] = stderr.replace(/\n$/, '');
    }
    expect(KUBECTL_RECORD_FLAG).toEqual(taking);
  });
});
