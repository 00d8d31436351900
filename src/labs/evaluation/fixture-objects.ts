/**
 * Kubernetes objects shaped like the API returns them (see kubectl-behaviour.md §2, §4), for specs of the
 * check evaluator: the Lec7 cluster at chosen moments (v1 running, a rollout half done, v10 failing).
 */
import { KubeObjectJson } from './context';

const T0 = '2026-11-28T08:00:00Z';

export function node(labels: Record<string, string> = {}): KubeObjectJson {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'minikube',
      labels: { 'kubernetes.io/hostname': 'minikube', ...labels },
      uid: 'node-uid',
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: '192.168.49.2' },
        { type: 'Hostname', address: 'minikube' },
      ],
    },
  };
}

export function deployment(options: {
  image: string;
  replicas: number;
  generation?: number;
  observedGeneration?: number;
  updated?: number;
  ready?: number;
  available?: number;
  total?: number;
  name?: string;
  deadlineExceeded?: boolean;
}): KubeObjectJson {
  const name = options.name ?? 'yanwei.app';
  const generation = options.generation ?? 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, generation, labels: { app: name } },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'kubernetes-bootcamp', image: options.image }] },
      },
    },
    status: {
      observedGeneration: options.observedGeneration ?? generation,
      replicas: options.total ?? options.replicas,
      updatedReplicas: options.updated ?? options.replicas,
      readyReplicas: options.ready ?? options.replicas,
      availableReplicas: options.available ?? options.replicas,
      conditions: [
        options.deadlineExceeded
          ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }
          : { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  };
}

export function replicaSet(hash: string, image: string, revision: number, replicas: number): KubeObjectJson {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `yanwei.app-${hash}`,
      namespace: 'default',
      labels: { app: 'yanwei.app', 'pod-template-hash': hash },
      annotations: { 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'yanwei.app', uid: 'uid-yanwei.app' },
      ],
    },
    spec: {
      replicas,
      template: { spec: { containers: [{ name: 'kubernetes-bootcamp', image }] } },
    },
    status: { replicas, readyReplicas: replicas },
  };
}

type PodState = 'running' | 'creating' | 'ErrImagePull' | 'ImagePullBackOff' | 'terminating';

export function pod(
  name: string,
  hash: string,
  image: string,
  state: PodState,
  extraLabels = {},
): KubeObjectJson {
  const running = state === 'running' || state === 'terminating';
  const waitingReason = state === 'creating' ? 'ContainerCreating' : state;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      creationTimestamp: T0,
      labels: { app: 'yanwei.app', 'pod-template-hash': hash, ...extraLabels },
      ...(state === 'terminating' ? { deletionTimestamp: T0 } : {}),
    },
    spec: { nodeName: 'minikube', containers: [{ name: 'kubernetes-bootcamp', image }] },
    status: {
      phase: running ? 'Running' : 'Pending',
      conditions: [{ type: 'Ready', status: running ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'kubernetes-bootcamp',
          image,
          ready: running,
          restartCount: 0,
          state: running ? { running: { startedAt: T0 } } : { waiting: { reason: waitingReason } },
        },
      ],
    },
  };
}

export function service(
  options: { name?: string; selector?: Record<string, string>; type?: string; port?: number } = {},
): KubeObjectJson {
  const type = options.type ?? 'NodePort';
  const port = options.port ?? 8080;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: options.name ?? 'yanwei', namespace: 'default', labels: { app: 'yanwei.app' } },
    spec: {
      type,
      selector: options.selector ?? { app: 'yanwei.app' },
      ports: [
        { port, targetPort: port, protocol: 'TCP', ...(type === 'NodePort' ? { nodePort: 31562 } : {}) },
      ],
      clusterIP: '10.104.42.176',
    },
  };
}

export function kubernetesService(): KubeObjectJson {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver' } },
    spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' }] },
  };
}

const V1 = 'gcr.io/google-samples/kubernetes-bootcamp:v1';
const V2 = 'jocatalin/kubernetes-bootcamp:v2';
const V10 = 'gcr.io/google-samples/kubernetes-bootcamp:v10';
export const IMAGES = { V1, V2, V10 };

/** Three v1 replicas running behind the NodePort service. */
export function runningV1(): KubeObjectJson[] {
  return [
    node({ disktype: 'ssd' }),
    deployment({ image: V1, replicas: 3 }),
    replicaSet('6b8f8d6c9d', V1, 1, 3),
    pod('yanwei.app-6b8f8d6c9d-x7tqz', '6b8f8d6c9d', V1, 'running', { 'transwarp.io/name': 'yanwei' }),
    pod('yanwei.app-6b8f8d6c9d-2xk4m', '6b8f8d6c9d', V1, 'running'),
    pod('yanwei.app-6b8f8d6c9d-9fzrq', '6b8f8d6c9d', V1, 'running'),
    kubernetesService(),
    service(),
  ];
}

/** v2 rolled out (rev 2), then v10 set (rev 3): one new pod cannot pull its image. */
export function stuckOnV10(): KubeObjectJson[] {
  return [
    node(),
    deployment({ image: V10, replicas: 3, generation: 3, updated: 1, total: 4, available: 3, ready: 3 }),
    replicaSet('6b8f8d6c9d', V1, 1, 0),
    replicaSet('7c95d8bd94', V2, 2, 3),
    replicaSet('86f6cb97f5', V10, 3, 1),
    pod('yanwei.app-7c95d8bd94-2xk4m', '7c95d8bd94', V2, 'running'),
    pod('yanwei.app-7c95d8bd94-9fzrq', '7c95d8bd94', V2, 'running'),
    pod('yanwei.app-7c95d8bd94-tw7hn', '7c95d8bd94', V2, 'running'),
    pod('yanwei.app-86f6cb97f5-l8x2p', '86f6cb97f5', V10, 'ImagePullBackOff'),
    kubernetesService(),
    service(),
  ];
}
