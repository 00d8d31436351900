import type { Node, Pod } from '../api/types';
import { MINIKUBE_CA_PEM } from '../store/minikube-ca';
import { labWithApp, podsOf } from '../testing';

const DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function claimsOf(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe("a pod's service account volume", () => {
  it('holds the cluster CA, the namespace and a token bound to the pod and its node', () => {
    const { cluster } = labWithApp(1);
    const [pod] = podsOf(cluster, 'yanwei.app') as Pod[];
    const exec = (...argv: string[]) =>
      cluster.runtime.exec('default', pod.metadata.name, undefined, argv).stdout;
    expect(exec('cat', `${DIR}/ca.crt`)).toBe(MINIKUBE_CA_PEM);
    expect(exec('cat', `${DIR}/namespace`)).toBe('default');

    const token = exec('cat', `${DIR}/token`);
    expect(token.split('.')).toHaveLength(3);
    const claims = claimsOf(token);
    const node = cluster.api.get<Node>('nodes', undefined, 'minikube');
    const account = cluster.api.get('serviceaccounts', 'default', 'default');
    const iat = Math.floor(Date.parse(pod.status!.startTime!) / 1000);
    // The kubelet asks for 3607 s; the API server grants a year and keeps the asked end as warnafter.
    expect(claims).toEqual({
      aud: ['https://kubernetes.default.svc.cluster.local'],
      exp: iat + 365 * 24 * 3600,
      iat,
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      'kubernetes.io': {
        namespace: 'default',
        node: { name: 'minikube', uid: node.metadata.uid },
        pod: { name: pod.metadata.name, uid: pod.metadata.uid },
        serviceaccount: { name: 'default', uid: account.metadata.uid },
        warnafter: iat + 3607,
      },
      nbf: iat,
      sub: 'system:serviceaccount:default:default',
    });
    // The same mount shows the same token on every read.
    expect(exec('cat', `${DIR}/token`)).toBe(token);
  });

  it('is left out when the pod or its account turns automounting off', () => {
    const { cluster } = labWithApp(1);
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'quiet', namespace: 'default' },
      automountServiceAccountToken: false,
    } as never);
    const pod = (name: string, spec: Partial<Pod['spec']>) =>
      cluster.api.create<Pod>({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }], ...spec },
      } as Pod);
    const volumes = (p: Pod) => (p.spec.volumes ?? []).map((v) => v.name.replace(/-[a-z0-9]{5}$/, ''));
    expect(volumes(pod('own-off', { automountServiceAccountToken: false }))).toEqual([]);
    expect(volumes(pod('account-off', { serviceAccountName: 'quiet' }))).toEqual([]);
    expect(
      volumes(pod('pod-wins', { serviceAccountName: 'quiet', automountServiceAccountToken: true })),
    ).toEqual(['kube-api-access']);
  });

  it('lets head and tail count lines of a file', () => {
    const { cluster } = labWithApp(1);
    const [pod] = podsOf(cluster, 'yanwei.app');
    const exec = (...argv: string[]) =>
      cluster.runtime.exec('default', pod.metadata.name, undefined, argv).stdout;
    const lines = MINIKUBE_CA_PEM.split('\n');
    expect(exec('head', '-n', '1', `${DIR}/ca.crt`)).toBe('-----BEGIN CERTIFICATE-----\n');
    expect(exec('head', '-2', `${DIR}/ca.crt`)).toBe(`${lines.slice(0, 2).join('\n')}\n`);
    expect(exec('tail', '-n', '1', `${DIR}/ca.crt`)).toBe('-----END CERTIFICATE-----\n');
  });
});
