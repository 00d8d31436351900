import { addQuantity, canonicalQuantity, formatQuantity, parseQuantity } from '../api/quantity';
import { createCluster } from '../cluster';
import { ManualClock } from '../clock/clock';
import { authorize, impersonated, MINIKUBE_USER } from './rbac';
import { computeUsed, quotaRefusal } from './quota';
import type { ResourceQuota } from '../api/policy-types';
import { resourceFor } from '../api/resources';

describe('quantities', () => {
  it.each([
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['0.5', '500m'],
    ['2048Mi', '2Gi'],
    ['1000', '1k'],
    ['1Gi', '1Gi'],
    ['100', '100'],
    ['1e3', '1e3'],
  ])('%s is written back as %s', (text, canonical) => expect(canonicalQuantity(text)).toBe(canonical));

  it('adds exactly, keeping the first format', () => {
    const sum = addQuantity(parseQuantity('600m')!, parseQuantity('400m')!);
    expect(formatQuantity(sum)).toBe('1');
    expect(formatQuantity(addQuantity(parseQuantity('256Mi')!, parseQuantity('768Mi')!))).toBe('1Gi');
  });

  it('refuses what is not a quantity', () => {
    for (const bad of ['abc', '1.2.3', '', ' 1', '5x']) expect(parseQuantity(bad)).toBeUndefined();
  });
});

function cluster() {
  return createCluster({ seed: 7, clock: new ManualClock(Date.UTC(2024, 5, 3, 2, 15)) });
}

describe('RBAC evaluation', () => {
  it('gives minikube’s user everything through system:masters', () => {
    const c = cluster();
    expect(authorize(c.store, MINIKUBE_USER, { verb: 'delete', resource: 'nodes', group: '' })).toBe(true);
  });

  it('evaluates role bindings per namespace, users and service accounts', () => {
    const c = cluster();
    c.api.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'reader', namespace: 'default' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    } as never);
    c.api.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' },
        { kind: 'ServiceAccount', name: 'bot', namespace: 'default' },
      ],
    } as never);
    const jane = impersonated('jane');
    const bot = impersonated('system:serviceaccount:default:bot');
    const get = { verb: 'get', resource: 'pods', group: '', namespace: 'default' };
    expect(authorize(c.store, jane, get)).toBe(true);
    expect(authorize(c.store, bot, get)).toBe(true);
    expect(authorize(c.store, jane, { ...get, verb: 'delete' })).toBe(false);
    expect(authorize(c.store, jane, { ...get, namespace: 'kube-system' })).toBe(false);
    expect(authorize(c.store, jane, { ...get, resource: 'secrets' })).toBe(false);
    // Every authenticated user may read /healthz (system:public-info-viewer).
    expect(
      authorize(c.store, jane, { verb: 'get', resource: '', group: '', nonResourceURL: '/healthz' }),
    ).toBe(true);
  });

  it('refuses bindings with a bad roleRef, listing every cause', () => {
    const c = cluster();
    expect(() =>
      c.api.create({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'x' },
        roleRef: { apiGroup: 'nope', kind: 'Role', name: '' },
      } as never),
    ).toThrow(
      'ClusterRoleBinding.rbac.authorization.k8s.io "x" is invalid: [roleRef.apiGroup: Unsupported value: "nope": supported values: "rbac.authorization.k8s.io", roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole", roleRef.name: Required value]',
    );
  });
});

describe('quota accounting', () => {
  it('sums pods, requests and limits of the namespace and refuses what exceeds the quota', () => {
    const c = cluster();
    c.api.create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'default' },
      spec: { hard: { pods: '2', 'requests.memory': '1Gi', services: '1' } },
    } as never);
    const pod = (name: string, memory: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { memory } } }] },
    });
    c.api.create(pod('a', '512Mi') as never);
    const quota = c.api.get<ResourceQuota>('resourcequotas', 'default', 'q');
    // The default namespace already holds the kubernetes Service.
    expect(quota.status?.used).toEqual({ pods: '1', 'requests.memory': '512Mi', services: '1' });
    expect(computeUsed(c.store, quota)).toEqual(quota.status?.used);
    expect(quotaRefusal(c.store, resourceFor('pods')!, pod('b', '768Mi') as never)).toBe(
      'exceeded quota: q, requested: requests.memory=768Mi, used: requests.memory=512Mi, limited: requests.memory=1Gi',
    );
    expect(() => c.api.create(pod('b', '768Mi') as never)).toThrow(
      'pods "b" is forbidden: exceeded quota: q',
    );
    c.api.create(pod('c', '512Mi') as never);
    expect(c.api.get<ResourceQuota>('resourcequotas', 'default', 'q').status?.used?.['requests.memory']).toBe(
      '1Gi',
    );
  });
});
