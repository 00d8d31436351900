import { literalPrefix } from './history';

describe('literalPrefix', () => {
  it.each([
    ['^kubectl\\s+rollout\\s+undo\\s', 'kubectl rollout undo'],
    ['^kubectl\\s+get\\s+(no|node|nodes)(\\s|$)', 'kubectl get'],
    ['^curl\\s+(https?://)?x', 'curl'],
    ['^kubectl(?=\\s)(?=.*get)', 'kubectl'],
    ['^kubectl\\s+versions?', 'kubectl version'],
  ])('%s -> %s', (source, prefix) => {
    expect(literalPrefix(source)).toBe(prefix);
  });

  it('gives nothing for unanchored or non-literal patterns', () => {
    expect(literalPrefix('kubectl get')).toBeUndefined();
    expect(literalPrefix('^(kubectl|k)\\s')).toBeUndefined();
  });
});
