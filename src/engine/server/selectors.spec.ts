import { StatusError } from '../api/status-error';
import type { Pod } from '../api/types';
import {
  formatLabelSelector,
  matchesFields,
  matchesLabelSelector,
  matchesSelector,
  parseFieldSelector,
  parseLabelSelector,
  parseRequirements,
  SelectorSyntaxError,
} from './selectors';

const labels = { app: 'yanwei.app', tier: 'web', 'transwarp.io/name': 'yanwei' };

describe('label selectors', () => {
  it.each([
    ['app=yanwei.app', true],
    ['app==yanwei.app', true],
    ['app!=yanwei.app', false],
    ['app=other', false],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['missing!=x', true],
    ['app in (a, yanwei.app)', true],
    ['app notin (a,yanwei.app)', false],
    ['transwarp.io/name=yanwei,tier=web', true],
    ['', true],
  ])('%s matches: %s', (text, expected) => {
    expect(matchesSelector(parseLabelSelector('pods', '', text), labels)).toBe(expected);
  });

  it('accepts an empty value', () => {
    expect(matchesSelector(parseLabelSelector('pods', '', 'app='), { app: '' })).toBe(true);
    expect(matchesSelector(parseLabelSelector('pods', '', 'app='), labels)).toBe(false);
  });

  it.each(['a b', 'app in (a', 'app=x,', '=x', 'app=x y', '-bad=1', 'app=x=y'])(
    'rejects %p with BadRequest',
    (text) => {
      let status: StatusError['status'] | undefined;
      try {
        parseLabelSelector('pods', '', text);
      } catch (error) {
        status = (error as StatusError).status;
      }
      expect(status?.reason).toBe('BadRequest');
      expect(status?.message).toMatch(/^Unable to find "\/v1, Resource=pods" that match label selector /);
    },
  );

  it('matches LabelSelector objects and prints them like kubectl', () => {
    const selector = { matchLabels: { app: 'yanwei.app', 'pod-template-hash': '5dd8cbd4c6' } };
    expect(matchesLabelSelector(selector, { ...labels, 'pod-template-hash': '5dd8cbd4c6' })).toBe(true);
    expect(matchesLabelSelector(selector, labels)).toBe(false);
    expect(
      matchesLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, labels),
    ).toBe(true);
    expect(formatLabelSelector(selector)).toBe('app=yanwei.app,pod-template-hash=5dd8cbd4c6');
  });
});

describe('field selectors', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [], nodeName: 'minikube' },
    status: { phase: 'Pending' },
  } as Pod;

  it('supports the pod fields kubectl users filter on', () => {
    expect(matchesFields(parseFieldSelector('pods', '', 'status.phase=Pending'), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector('pods', '', 'status.phase!=Pending'), pod)).toBe(false);
    expect(matchesFields(parseFieldSelector('pods', '', 'spec.nodeName=minikube,metadata.name=p'), pod)).toBe(
      true,
    );
  });

  it('rejects unknown fields with BadRequest', () => {
    expect(() => parseFieldSelector('services', '', 'spec.type=NodePort')).toThrow(
      'Unable to find "/v1, Resource=services" that match label selector "", field selector "spec.type=NodePort": field label not supported: spec.type: only "metadata.name", "metadata.namespace"',
    );
  });
});

describe('label selector syntax errors (labs report them with the lab file)', () => {
  it.each([
    ['app=yanwei.app,', "found '', expected: identifier after ','"],
    ['app=a b', "found 'b', expected: ',' or 'end of string'"],
    ['-app=x', 'invalid label key "-app"'],
    ['Bad_Prefix/app=x', 'invalid label key "Bad_Prefix/app"'],
    ['app in (a,-b)', 'invalid label value: "-b"'],
    ['app (x)', "found '(', expected: '=', '!=', '==', 'in', notin'"],
  ])('%p: %s', (text, message) => {
    expect(() => parseRequirements(text)).toThrow(SelectorSyntaxError);
    expect(() => parseRequirements(text)).toThrow(message);
  });

  it('matches the requirements it parsed against a label map', () => {
    const pod = { app: 'yanwei.app', 'pod-template-hash': '6b8f8d6c9d' };
    expect(matchesSelector(parseRequirements('app in (a,b),pod-template-hash'), pod)).toBe(false);
    expect(matchesSelector(parseRequirements('pod-template-hash,app==yanwei.app'), pod)).toBe(true);
    expect(matchesSelector(parseRequirements('!disktype'), pod)).toBe(true);
  });
});
