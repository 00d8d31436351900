import type { Deployment, KubeObject, Node, Service } from '../../api/types';
import type { ResourceName } from '../../api/resources';
import { tableHeaders, tableRow, TableOptions } from './columns';
import { alignTabs, GET_TABLE_OPTIONS } from './tabwriter';

const NOW = Date.parse('2024-06-03T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z');
const plain: TableOptions = { wide: false, withNamespace: false, showLabels: false };

function table(resource: ResourceName, objects: KubeObject[], options = plain): string {
  const lines = [tableHeaders(resource, options), ...objects.map((o) => tableRow(resource, o, NOW, options))];
  return alignTabs(lines.map((cells) => cells.join('\t') + '\n').join(''), GET_TABLE_OPTIONS);
}

function service(
  name: string,
  type: 'ClusterIP' | 'NodePort',
  ip: string,
  port: number,
  nodePort: number | undefined,
  age: number,
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, creationTimestamp: ago(age) },
    spec: { type, clusterIP: ip, clusterIPs: [ip], ports: [{ protocol: 'TCP', port, nodePort }] },
  };
}

describe('server-side columns (reference §2, §7.2 transcripts)', () => {
  it('prints get services like the real transcript', () => {
    expect(
      table('services', [
        service('kubernetes', 'ClusterIP', '10.96.0.1', 443, undefined, 3 * 3600 + 37 * 60),
        service('kubernetes-bootcamp', 'NodePort', '10.108.222.39', 8080, 30663, 60),
      ]),
    ).toBe(
      'NAME                  TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)          AGE\n' +
        'kubernetes            ClusterIP   10.96.0.1       <none>        443/TCP          3h37m\n' +
        'kubernetes-bootcamp   NodePort    10.108.222.39   <none>        8080:30663/TCP   60s\n',
    );
  });

  it('prints get deployments during the stuck rollout (3/4 2 3)', () => {
    const deployment: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kubernetes-bootcamp', creationTimestamp: ago(8 * 60 + 35) },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'kubernetes-bootcamp' } },
        template: {
          metadata: {},
          spec: {
            containers: [
              { name: 'kubernetes-bootcamp', image: 'gcr.io/google-samples/kubernetes-bootcamp:v10' },
            ],
          },
        },
      },
      status: { replicas: 5, readyReplicas: 3, updatedReplicas: 2, availableReplicas: 3 },
    };
    expect(table('deployments', [deployment])).toBe(
      'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\nkubernetes-bootcamp   3/4     2            3           8m35s\n',
    );
    expect(table('deployments', [deployment], { ...plain, wide: true }).split('\n')[0]).toBe(
      'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE     CONTAINERS            IMAGES                                          SELECTOR',
    );
  });

  it('prints nodes with roles, labels last and sorted, empty label values as key=', () => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'minikube',
        creationTimestamp: ago(3 * 86400 + 2 * 3600),
        labels: {
          'node-role.kubernetes.io/control-plane': '',
          'kubernetes.io/hostname': 'minikube',
          disktype: 'ssd',
        },
      },
      spec: {},
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '192.168.49.2' }],
        nodeInfo: { kubeletVersion: 'v1.30.0' },
      },
    } as unknown as Node;
    expect(table('nodes', [node], { ...plain, showLabels: true })).toBe(
      'NAME       STATUS   ROLES           AGE    VERSION   LABELS\n' +
        'minikube   Ready    control-plane   3d2h   v1.30.0   disktype=ssd,kubernetes.io/hostname=minikube,node-role.kubernetes.io/control-plane=\n',
    );
  });

  it('puts NAMESPACE first with -A and sizes columns from the rows only with --no-headers', () => {
    const svc = service('kube-dns', 'ClusterIP', '10.96.0.10', 53, undefined, 100);
    svc.metadata.namespace = 'kube-system';
    const options = { ...plain, withNamespace: true };
    const row = tableRow('services', svc, NOW, options);
    expect(alignTabs(row.join('\t') + '\n', GET_TABLE_OPTIONS)).toBe(
      'kube-system   kube-dns   ClusterIP   10.96.0.10   <none>   53/TCP   100s\n',
    );
  });
});
