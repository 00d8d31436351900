import {
  LabelSelectorError,
  matchesLabelSelector,
  parseLabelSelector,
  selectorFromLabels,
} from './label-selector';

const pod = { app: 'yanwei.app', 'pod-template-hash': '6b8f8d6c9d', 'transwarp.io/name': 'yanwei' };
const matches = (selector: string, labels: Record<string, string> = pod) =>
  matchesLabelSelector(parseLabelSelector(selector), labels);

describe('label selectors', () => {
  it('matches equality requirements joined by commas', () => {
    expect(matches('app=yanwei.app')).toBe(true);
    expect(matches('app==yanwei.app,transwarp.io/name=yanwei')).toBe(true);
    expect(matches('app=yanwei.app,transwarp.io/name=other')).toBe(false);
    expect(matches('app!=other')).toBe(true);
    expect(matches('missing!=x')).toBe(true);
  });

  it('matches set-based and existence requirements', () => {
    expect(matches('app in (a, yanwei.app)')).toBe(true);
    expect(matches('app notin (yanwei.app)')).toBe(false);
    expect(matches('app in (a,b),pod-template-hash')).toBe(false);
    expect(matches('pod-template-hash')).toBe(true);
    expect(matches('!pod-template-hash')).toBe(false);
    expect(matches('!disktype')).toBe(true);
  });

  it('builds a selector from a label map', () => {
    expect(selectorFromLabels({ app: 'yanwei.app', tier: 'web' })).toBe('app=yanwei.app,tier=web');
  });

  it.each([
    ['app=yanwei.app,', 'empty requirement'],
    ['app=a b', 'invalid label value "a b"'],
    ['-app=x', 'invalid label key "-app"'],
    ['Bad_Prefix/app=x', 'invalid label key prefix "Bad_Prefix"'],
    ['app in (a,-b)', 'invalid label value "-b"'],
    ['app (x)', 'cannot parse'],
  ])('rejects %p', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });
});
