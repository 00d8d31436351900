import type { KubeEvent, Pod } from '../../api/types';
import { alignTabs, DESCRIBE_OPTIONS } from '../printers/tabwriter';
import { describePod } from './pod';

/** The synthesised running pod of reference §5.7 (times moved to UTC, as the cluster runs in UTC). */
const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'yanwei.app-6b8f8d6c9d-x7tqz',
    namespace: 'default',
    uid: 'pod-uid',
    labels: { 'pod-template-hash': '6b8f8d6c9d', app: 'yanwei.app' },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'yanwei.app-6b8f8d6c9d',
        uid: 'rs',
        controller: true,
      },
    ],
  },
  spec: {
    priority: 0,
    serviceAccountName: 'default',
    nodeName: 'minikube',
    containers: [
      {
        name: 'kubernetes-bootcamp',
        image: 'gcr.io/google-samples/kubernetes-bootcamp:v1',
        volumeMounts: [
          {
            name: 'kube-api-access-8tw2k',
            mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
            readOnly: true,
          },
        ],
      },
    ],
    volumes: [
      {
        name: 'kube-api-access-8tw2k',
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt' } },
            { downwardAPI: { items: [] } },
          ],
        },
      },
    ],
    tolerations: [
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ],
  },
  status: {
    phase: 'Running',
    hostIP: '192.168.49.2',
    podIP: '10.244.0.5',
    podIPs: [{ ip: '10.244.0.5' }],
    startTime: '2024-06-03T02:15:02Z',
    qosClass: 'BestEffort',
    conditions: (
      ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'] as const
    ).map((type) => ({
      type,
      status: 'True' as const,
      lastProbeTime: null,
      lastTransitionTime: '2024-06-03T02:15:16Z',
    })),
    containerStatuses: [
      {
        name: 'kubernetes-bootcamp',
        containerID: 'docker://0f3c9d2a7b1e4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5',
        image: 'gcr.io/google-samples/kubernetes-bootcamp:v1',
        imageID:
          'docker-pullable://gcr.io/google-samples/kubernetes-bootcamp@sha256:0d6b8ee63bb57c5f5b6156f446b3bc3b3c143d233037f3a2f00e279c8fcc64af',
        state: { running: { startedAt: '2024-06-03T02:15:16Z' } },
        lastState: {},
        ready: true,
        restartCount: 0,
        started: true,
      },
    ],
  },
};

function event(reason: string, component: string, message: string, at: string): KubeEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.metadata.name}.${reason}`, namespace: 'default' },
    involvedObject: { kind: 'Pod', name: pod.metadata.name, namespace: 'default', uid: 'pod-uid' },
    reason,
    message,
    source: { component },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
    type: 'Normal',
    eventTime: null,
    reportingComponent: component,
    reportingInstance: '',
  };
}

const events = [
  event(
    'Scheduled',
    'default-scheduler',
    'Successfully assigned default/yanwei.app-6b8f8d6c9d-x7tqz to minikube',
    '2024-06-03T02:15:02Z',
  ),
  event(
    'Pulling',
    'kubelet',
    'Pulling image "gcr.io/google-samples/kubernetes-bootcamp:v1"',
    '2024-06-03T02:15:03Z',
  ),
  event(
    'Pulled',
    'kubelet',
    'Successfully pulled image "gcr.io/google-samples/kubernetes-bootcamp:v1" in 13.579s (13.579s including waiting). Image size: 211336459 bytes.',
    '2024-06-03T02:15:16Z',
  ),
  event('Created', 'kubelet', 'Created container kubernetes-bootcamp', '2024-06-03T02:15:16Z'),
  event('Started', 'kubelet', 'Started container kubernetes-bootcamp', '2024-06-03T02:15:16Z'),
];

const EXPECTED = `Name:             yanwei.app-6b8f8d6c9d-x7tqz
Namespace:        default
Priority:         0
Service Account:  default
Node:             minikube/192.168.49.2
Start Time:       Mon, 03 Jun 2024 02:15:02 +0000
Labels:           app=yanwei.app
                  pod-template-hash=6b8f8d6c9d
Annotations:      <none>
Status:           Running
IP:               10.244.0.5
IPs:
  IP:           10.244.0.5
Controlled By:  ReplicaSet/yanwei.app-6b8f8d6c9d
Containers:
  kubernetes-bootcamp:
    Container ID:   docker://0f3c9d2a7b1e4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5
    Image:          gcr.io/google-samples/kubernetes-bootcamp:v1
    Image ID:       docker-pullable://gcr.io/google-samples/kubernetes-bootcamp@sha256:0d6b8ee63bb57c5f5b6156f446b3bc3b3c143d233037f3a2f00e279c8fcc64af
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Mon, 03 Jun 2024 02:15:16 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-8tw2k (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  kube-api-access-8tw2k:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  45s   default-scheduler  Successfully assigned default/yanwei.app-6b8f8d6c9d-x7tqz to minikube
  Normal  Pulling    44s   kubelet            Pulling image "gcr.io/google-samples/kubernetes-bootcamp:v1"
  Normal  Pulled     31s   kubelet            Successfully pulled image "gcr.io/google-samples/kubernetes-bootcamp:v1" in 13.579s (13.579s including waiting). Image size: 211336459 bytes.
  Normal  Created    31s   kubelet            Created container kubernetes-bootcamp
  Normal  Started    31s   kubelet            Started container kubernetes-bootcamp
`;

const render = (events: KubeEvent[] | undefined) =>
  describePod(pod, events, Date.parse('2024-06-03T02:15:47Z'))
    .chunks.map((chunk) => alignTabs(chunk, DESCRIBE_OPTIONS))
    .join('');

describe('describePod (reference §5.7)', () => {
  it('prints the synthesised running pod byte for byte', () => {
    // Sorted by last time seen, oldest first; events seen at the same second keep the API's (creation) order.
    expect(render([...events.slice(2), ...events.slice(0, 2)])).toBe(EXPECTED);
  });

  it('aligns "Events: <none>" with the block above when there are no events (§5.3)', () => {
    const text = render([]);
    expect(text.split('\n').slice(-3)).toEqual([
      '                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
      'Events:                      <none>',
      '',
    ]);
  });
});
