/**
 * The state of a freshly started minikube v1.33 (Kubernetes v1.30.0, docker driver), as the handout's
 * `minikube start` leaves it (reference §2.3, §2.5): namespaces, node(s), the kubernetes and kube-dns services,
 * CoreDNS, the control-plane static pods, kube-proxy per node, and the
 * storage-provisioner addon with its one early restart.
 */
import { rfc3339 } from '../api/time';
import { updatedAtLabel } from '../snapshot/boot-image';
import type {
  Container,
  Deployment,
  Endpoints,
  KubeObject,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  Service,
  ServiceAccount,
} from '../api/types';
import type { DaemonSet } from '../api/workload-types';
import { SERVICE_NAME_LABEL, type EndpointSlice } from '../api/network-types';
import type { Random } from './random';

export const KUBERNETES_VERSION = 'v1.30.0';
export const MINIKUBE_VERSION = 'v1.33.1';
const MINIKUBE_COMMIT = '5883c09216182566a63dff4c326a6fc9ed2982ff';
export const COREDNS_HASH = '7db6d8ff4d';

export function nodeName(profile: string, index: number): string {
  return index === 0 ? profile : `${profile}-m${String(index + 1).padStart(2, '0')}`;
}

export function nodeInternalIp(index: number): string {
  return `192.168.49.${2 + index}`;
}

function namespace(name: string): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function node(profile: string, index: number, bootAt: number, random: Random): Node {
  const name = nodeName(profile, index);
  const stamp = rfc3339(bootAt);
  const updatedAt = updatedAtLabel(bootAt);
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'minikube.k8s.io/commit': MINIKUBE_COMMIT,
    'minikube.k8s.io/name': profile,
    'minikube.k8s.io/primary': index === 0 ? 'true' : 'false',
    'minikube.k8s.io/updated_at': updatedAt,
    'minikube.k8s.io/version': MINIKUBE_VERSION,
  };
  if (index === 0) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const condition = (
    type: Node['status']['conditions'][number]['type'],
    status: 'True' | 'False',
    reason: string,
    message: string,
  ) => ({
    type,
    status,
    lastHeartbeatTime: stamp,
    lastTransitionTime: stamp,
    reason,
    message,
  });
  const resources = {
    cpu: '2',
    'ephemeral-storage': '102175644Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: '24570372Ki',
    pods: '110',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/cri-dockerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`] },
    status: {
      capacity: { ...resources },
      allocatable: { ...resources },
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: nodeInternalIp(index) },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: random.hex(32),
        systemUUID: random.uid(),
        bootID: random.uid(),
        kernelVersion: '5.15.0-107-generic',
        osImage: 'Ubuntu 22.04.4 LTS',
        containerRuntimeVersion: 'docker://26.0.1',
        kubeletVersion: KUBERNETES_VERSION,
        kubeProxyVersion: KUBERNETES_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** The Node object of a minikube node as its kubelet registers it (a node added later: `minikube node add`). */
export function minikubeNode(profile: string, index: number, at: number, random: Random): Node {
  return node(profile, index, at, random);
}

const CRITICAL_TOLERATIONS = [
  { key: 'CriticalAddonsOnly', operator: 'Exists' as const },
  { operator: 'Exists' as const, effect: 'NoExecute' },
];

function container(name: string, image: string, extra: Partial<Container> = {}): Container {
  return { name, image, imagePullPolicy: 'IfNotPresent', ...extra };
}

/** A static (mirror) pod of the control plane: host network, owned by the Node. */
function staticPod(component: string, image: string, node: Node, command: string[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${component}-${node.metadata.name}`,
      namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
      annotations: {
        'kubernetes.io/config.source': 'file',
        'kubernetes.io/config.mirror': '',
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Node',
          name: node.metadata.name,
          uid: node.metadata.uid!,
          controller: true,
        },
      ],
    },
    spec: {
      containers: [
        container(component, image, {
          command,
          resources: {
            requests: {
              cpu:
                component === 'etcd'
                  ? '100m'
                  : component === 'kube-apiserver'
                    ? '250m'
                    : component === 'kube-controller-manager'
                      ? '200m'
                      : '100m',
              ...(component === 'etcd' ? { memory: '100Mi' } : {}),
            },
          },
        }),
      ],
      hostNetwork: true,
      nodeName: node.metadata.name,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
    },
  };
}

export interface BootPod {
  pod: Pod;
  /** Seconds after boot at which the pod was created / its container started. */
  createdAfter: number;
  startedAfter: number;
  restarts?: { exitedAfter: number; exitCode: number };
  ip?: string;
}

export interface MinikubeObjects {
  namespaces: Namespace[];
  /** kube-system's own service accounts used by its pods (each namespace's `default` comes from its controller). */
  serviceAccounts: ServiceAccount[];
  nodes: Node[];
  services: Service[];
  endpoints: Endpoints[];
  endpointSlices: EndpointSlice[];
  corednsDeployment: Deployment;
  corednsReplicaSet: (deploymentUid: string) => ReplicaSet;
  /** Built once nodes and the CoreDNS ReplicaSet have uids. */
  pods: (nodes: Node[], corednsRs: ReplicaSet) => BootPod[];
  /** The kube-proxy DaemonSet, with the uid its pods name (once `pods` has been built). */
  kubeProxyDaemonSet: () => DaemonSet | undefined;
}

export function minikubeObjects(
  profile: string,
  nodeCount: number,
  bootAt: number,
  random: Random,
): MinikubeObjects {
  const nodes = Array.from({ length: nodeCount }, (_, i) => node(profile, i, bootAt, random));
  const kubernetes: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 8443 }],
    },
  };
  const kubeDns: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'CoreDNS',
      },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
        { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
      ],
    },
  };
  const apiEndpoints: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [
      { addresses: [{ ip: nodeInternalIp(0) }], ports: [{ name: 'https', port: 8443, protocol: 'TCP' }] },
    ],
  };
  // The API server keeps its own slice beside its Endpoints (endpointsadapter): same name, no managing controller.
  const apiSlice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [nodeInternalIp(0)], conditions: { ready: true } }],
    ports: [{ name: 'https', protocol: 'TCP', port: 8443 }],
  };
  const corednsTemplate = {
    metadata: { labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      containers: [
        container('coredns', 'registry.k8s.io/coredns/coredns:v1.11.1', {
          args: ['-conf', '/etc/coredns/Corefile'],
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' as const },
            { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' as const },
            { name: 'metrics', containerPort: 9153, protocol: 'TCP' as const },
          ],
          resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
        }),
      ],
      dnsPolicy: 'Default',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-cluster-critical',
      serviceAccountName: 'coredns',
      tolerations: [
        { key: 'CriticalAddonsOnly', operator: 'Exists' as const },
        { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      ],
    },
  };
  const corednsDeployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'coredns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      template: structuredClone(corednsTemplate),
    },
  };
  const corednsReplicaSet = (deploymentUid: string): ReplicaSet => {
    const template = structuredClone(corednsTemplate) as ReplicaSet['spec']['template'];
    template.metadata.labels = { ...template.metadata.labels, 'pod-template-hash': COREDNS_HASH };
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `coredns-${COREDNS_HASH}`,
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': COREDNS_HASH },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': '1',
          'deployment.kubernetes.io/max-replicas': '2',
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'coredns',
            uid: deploymentUid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'k8s-app': 'kube-dns', 'pod-template-hash': COREDNS_HASH } },
        template,
      },
    };
  };
  // One uid is drawn per node, as before the DaemonSet object existed; the first one is the DaemonSet's.
  let daemonSetUid: string | undefined;
  const kubeProxyUid = () => {
    const drawn = random.uid();
    daemonSetUid ??= drawn;
    return daemonSetUid;
  };
  const pods = (createdNodes: Node[], corednsRs: ReplicaSet): BootPod[] => {
    const primary = createdNodes[0];
    const out: BootPod[] = [
      {
        pod: staticPod('etcd', 'registry.k8s.io/etcd:3.5.12-0', primary, [
          'etcd',
          '--data-dir=/var/lib/minikube/etcd',
        ]),
        createdAfter: 6,
        startedAfter: 1,
      },
      {
        pod: staticPod('kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.30.0', primary, [
          'kube-apiserver',
          '--secure-port=8443',
        ]),
        createdAfter: 6,
        startedAfter: 1,
      },
      {
        pod: staticPod(
          'kube-controller-manager',
          'registry.k8s.io/kube-controller-manager:v1.30.0',
          primary,
          ['kube-controller-manager'],
        ),
        createdAfter: 6,
        startedAfter: 1,
      },
      {
        pod: staticPod('kube-scheduler', 'registry.k8s.io/kube-scheduler:v1.30.0', primary, [
          'kube-scheduler',
        ]),
        createdAfter: 6,
        startedAfter: 1,
      },
    ];
    const coredns: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `coredns-${COREDNS_HASH}-`,
        namespace: 'kube-system',
        labels: { ...corednsRs.spec.template.metadata.labels },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: corednsRs.metadata.name,
            uid: corednsRs.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        ...structuredClone(corednsRs.spec.template.spec),
        nodeName: primary.metadata.name,
        priority: 2000000000,
      },
    };
    out.push({ pod: coredns, createdAfter: 20, startedAfter: 2, ip: '10.244.0.2' });
    for (const n of createdNodes) {
      out.push({
        pod: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: '',
            generateName: 'kube-proxy-',
            namespace: 'kube-system',
            labels: {
              'controller-revision-hash': KUBE_PROXY_HASH,
              'k8s-app': 'kube-proxy',
              'pod-template-generation': '1',
            },
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'DaemonSet',
                name: 'kube-proxy',
                uid: kubeProxyUid(),
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: {
            ...kubeProxyPodSpec(),
            nodeName: n.metadata.name,
            priority: 2000001000,
          },
        },
        createdAfter: 20,
        startedAfter: 1,
      });
    }
    out.push({
      pod: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'storage-provisioner',
          namespace: 'kube-system',
          labels: {
            'addonmanager.kubernetes.io/mode': 'Reconcile',
            'integration-test': 'storage-provisioner',
          },
        },
        spec: {
          containers: [
            container('storage-provisioner', 'gcr.io/k8s-minikube/storage-provisioner:v5', {
              command: ['/storage-provisioner'],
            }),
          ],
          hostNetwork: true,
          nodeName: primary.metadata.name,
          serviceAccountName: 'storage-provisioner',
        },
      },
      createdAfter: 8,
      startedAfter: 1,
      restarts: { exitedAfter: 30, exitCode: 1 },
    });
    return out;
  };
  return {
    namespaces: ['default', 'kube-node-lease', 'kube-public', 'kube-system'].map(namespace),
    serviceAccounts: ['coredns', 'kube-proxy', 'storage-provisioner'].map((name): ServiceAccount => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: 'kube-system' },
    })),
    nodes,
    services: [kubernetes, kubeDns],
    endpoints: [apiEndpoints],
    endpointSlices: [apiSlice],
    corednsDeployment,
    corednsReplicaSet,
    pods,
    kubeProxyDaemonSet: () => (daemonSetUid ? kubeProxyDaemonSet(daemonSetUid) : undefined),
  };
}

function kubeProxyPodSpec(): Pod['spec'] {
  return {
    containers: [
      container('kube-proxy', 'registry.k8s.io/kube-proxy:v1.30.0', {
        command: [
          '/usr/local/bin/kube-proxy',
          '--config=/var/lib/kube-proxy/config.conf',
          '--hostname-override=$(NODE_NAME)',
        ],
      }),
    ],
    hostNetwork: true,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    priorityClassName: 'system-node-critical',
    serviceAccountName: 'kube-proxy',
    tolerations: [...CRITICAL_TOLERATIONS],
  };
}

/** kubeadm's kube-proxy DaemonSet (its pods were laid down with this uid in their owner reference). */
function kubeProxyDaemonSet(uid: string): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', uid, labels: { 'k8s-app': 'kube-proxy' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      template: { metadata: { labels: { 'k8s-app': 'kube-proxy' } }, spec: kubeProxyPodSpec() },
    },
  };
}

/** The revision hash kube-proxy's boot pods carry. */
export const KUBE_PROXY_HASH = '79cf874c65';

export type { KubeObject };
