/**
 * The API machinery's own objects a fresh minikube v1.33.1 (Kubernetes v1.30.0) has: an APIService for every
 * group/version kube-apiserver serves itself (kube-aggregator's `onstart` ones), the flow-control configuration it
 * writes at start (mandatory and suggested FlowSchemas and PriorityLevelConfigurations), the node's CSINode, and the
 * leader-election Leases of kube-apiserver, kube-controller-manager and kube-scheduler in kube-system.
 */
import type { APIService, CSINode, FlowSchema, PriorityLevelConfiguration } from '../api/cluster-types';
import type { Lease } from '../api/coordination-types';
import { compareGroups, olderVersions, RESOURCES } from '../api/resources';
import { rfc3339 } from '../api/time';
import type { KubeObject, Node } from '../api/types';
import type { Random } from './random';

/** kube-aggregator's priorities of the built-in group/versions (groupPriorityMinimum, versionPriority). */
const API_PRIORITIES: Record<string, [number, number]> = {
  v1: [18000, 1],
  'apiregistration.k8s.io/v1': [18000, 15],
  'apps/v1': [17800, 15],
  'events.k8s.io/v1': [17750, 15],
  'authentication.k8s.io/v1': [17700, 15],
  'authorization.k8s.io/v1': [17600, 15],
  'autoscaling/v2': [17500, 30],
  'autoscaling/v1': [17500, 15],
  'batch/v1': [17400, 15],
  'certificates.k8s.io/v1': [17300, 15],
  'networking.k8s.io/v1': [17200, 15],
  'policy/v1': [17100, 15],
  'rbac.authorization.k8s.io/v1': [17000, 15],
  'storage.k8s.io/v1': [16800, 15],
  'admissionregistration.k8s.io/v1': [16700, 15],
  'apiextensions.k8s.io/v1': [16700, 15],
  'scheduling.k8s.io/v1': [16600, 15],
  'coordination.k8s.io/v1': [16500, 15],
  'node.k8s.io/v1': [16300, 15],
  'discovery.k8s.io/v1': [16200, 15],
  'flowcontrol.apiserver.k8s.io/v1': [16100, 21],
  'flowcontrol.apiserver.k8s.io/v1beta3': [16100, 18],
};

/** The `Local` APIServices of the groups kube-apiserver serves itself (aggregated ones come with their add-on). */
export function bootApiServices(at: number): APIService[] {
  const builtIn = RESOURCES.filter((r) => !r.aggregated);
  const groupVersions = new Map<string, { group: string; version: string }>();
  for (const { group, version } of [...builtIn, ...olderVersions(builtIn)])
    groupVersions.set(`${version}.${group}`, { group, version });
  const ordered = [...groupVersions.values()].sort((a, b) => compareGroups(a.group, b.group));
  return ordered.map(({ group, version }) => {
    const gv = group ? `${group}/${version}` : version;
    const [groupPriorityMinimum, versionPriority] = API_PRIORITIES[gv] ?? [1000, 15];
    return {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: {
        name: `${version}.${group}`,
        labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' },
      },
      spec: { ...(group ? { group } : {}), groupPriorityMinimum, version, versionPriority },
      status: {
        conditions: [
          {
            lastTransitionTime: rfc3339(at),
            message: 'Local APIServices are always available',
            reason: 'Local',
            status: 'True',
            type: 'Available',
          },
        ],
      },
    };
  });
}

const FLOWCONTROL = 'flowcontrol.apiserver.k8s.io/v1';
const AUTO_UPDATE = { 'apf.kubernetes.io/autoupdate-spec': 'true' };

/** Every request of the given subjects, resource and non-resource alike. */
const EVERYTHING = {
  resourceRules: [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] },
  ],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
};
const groups = (...names: string[]) => names.map((name) => ({ kind: 'Group', group: { name } }));
const users = (...names: string[]) => names.map((name) => ({ kind: 'User', user: { name } }));
const kubeSystemAccounts = (...names: string[]) =>
  names.map((name) => ({ kind: 'ServiceAccount', serviceAccount: { name, namespace: 'kube-system' } }));
/** A namespaced rule (clusterScope false is left out, as the API server serialises it). */
const namespaced = (verbs: string[], apiGroups: string[], resources: string[], namespaces: string[]) => ({
  verbs,
  apiGroups,
  resources,
  namespaces,
});
const GET_CREATE_UPDATE = ['get', 'create', 'update'];
/** What a controller's leader election touches: its endpoints/configmaps and leases. */
const leaderElection = (namespaces: string[]) => [
  namespaced(GET_CREATE_UPDATE, [''], ['endpoints', 'configmaps'], namespaces),
  namespaced(GET_CREATE_UPDATE, ['coordination.k8s.io'], ['leases'], ['*']),
];

/**
 * The mandatory and suggested FlowSchemas of kube-apiserver v1.30 (apiserver/pkg/apis/flowcontrol/bootstrap/
 * default.go): name, priority level, matching precedence, distinguisher, rules.
 */
const FLOW_SCHEMAS: [string, string, number, string | undefined, unknown[]][] = [
  ['exempt', 'exempt', 1, undefined, [{ subjects: groups('system:masters'), ...EVERYTHING }]],
  [
    'probes',
    'exempt',
    2,
    undefined,
    [
      {
        subjects: groups('system:unauthenticated', 'system:authenticated'),
        nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }],
      },
    ],
  ],
  [
    'system-leader-election',
    'leader-election',
    100,
    'ByUser',
    [
      {
        subjects: [
          ...users('system:kube-controller-manager', 'system:kube-scheduler'),
          ...kubeSystemAccounts('*'),
        ],
        resourceRules: leaderElection(['kube-system']),
      },
    ],
  ],
  [
    'endpoint-controller',
    'workload-high',
    150,
    'ByUser',
    [
      {
        subjects: [
          ...users('system:kube-controller-manager'),
          ...kubeSystemAccounts('endpoint-controller', 'endpointslicemirroring-controller'),
        ],
        resourceRules: [namespaced(GET_CREATE_UPDATE, [''], ['endpoints'], ['*'])],
      },
    ],
  ],
  [
    'workload-leader-election',
    'leader-election',
    200,
    'ByUser',
    [{ subjects: kubeSystemAccounts('*'), resourceRules: leaderElection(['*']) }],
  ],
  [
    'system-node-high',
    'node-high',
    400,
    'ByUser',
    [
      {
        subjects: groups('system:nodes'),
        resourceRules: [
          {
            verbs: ['*'],
            apiGroups: [''],
            resources: ['nodes', 'nodes/status'],
            clusterScope: true,
            namespaces: ['*'],
          },
          namespaced(['*'], ['coordination.k8s.io'], ['leases'], ['*']),
        ],
      },
    ],
  ],
  ['system-nodes', 'system', 500, 'ByUser', [{ subjects: groups('system:nodes'), ...EVERYTHING }]],
  [
    'kube-controller-manager',
    'workload-high',
    800,
    'ByNamespace',
    [{ subjects: users('system:kube-controller-manager'), ...EVERYTHING }],
  ],
  [
    'kube-scheduler',
    'workload-high',
    800,
    'ByNamespace',
    [{ subjects: users('system:kube-scheduler'), ...EVERYTHING }],
  ],
  [
    'kube-system-service-accounts',
    'workload-high',
    900,
    'ByNamespace',
    [{ subjects: kubeSystemAccounts('*'), ...EVERYTHING }],
  ],
  [
    'service-accounts',
    'workload-low',
    9000,
    'ByUser',
    [{ subjects: groups('system:serviceaccounts'), ...EVERYTHING }],
  ],
  [
    'global-default',
    'global-default',
    9900,
    'ByUser',
    [{ subjects: groups('system:unauthenticated', 'system:authenticated'), ...EVERYTHING }],
  ],
  [
    'catch-all',
    'catch-all',
    10000,
    'ByUser',
    [{ subjects: groups('system:unauthenticated', 'system:authenticated'), ...EVERYTHING }],
  ],
];

export function bootFlowSchemas(at: number): FlowSchema[] {
  return FLOW_SCHEMAS.map(([name, level, precedence, distinguisher, rules]) => ({
    apiVersion: FLOWCONTROL,
    kind: 'FlowSchema',
    metadata: { name, annotations: { ...AUTO_UPDATE } },
    spec: {
      ...(distinguisher ? { distinguisherMethod: { type: distinguisher } } : {}),
      matchingPrecedence: precedence,
      priorityLevelConfiguration: { name: level },
      rules,
    },
    status: {
      conditions: [
        {
          lastTransitionTime: rfc3339(at),
          message: `This FlowSchema references the PriorityLevelConfiguration object named "${level}" and it exists`,
          reason: 'Found',
          status: 'False',
          type: 'Dangling',
        },
      ],
    },
  }));
}

/** name, nominal concurrency shares, lendable percent, queuing (queues, hand size, queue length limit). */
const PRIORITY_LEVELS: [string, number, number, [number, number, number] | undefined][] = [
  ['catch-all', 5, 0, undefined],
  ['global-default', 20, 50, [128, 6, 50]],
  ['leader-election', 10, 0, [16, 4, 50]],
  ['node-high', 40, 25, [64, 6, 50]],
  ['system', 30, 33, [64, 6, 50]],
  ['workload-high', 40, 50, [128, 6, 50]],
  ['workload-low', 100, 90, [128, 6, 50]],
];

export function bootPriorityLevels(): PriorityLevelConfiguration[] {
  const level = (name: string, spec: PriorityLevelConfiguration['spec']): PriorityLevelConfiguration => ({
    apiVersion: FLOWCONTROL,
    kind: 'PriorityLevelConfiguration',
    metadata: { name, annotations: { ...AUTO_UPDATE } },
    spec,
    status: {},
  });
  return [
    level('exempt', { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } }),
    ...PRIORITY_LEVELS.map(([name, shares, lendable, queuing]) =>
      level(name, {
        type: 'Limited',
        limited: {
          nominalConcurrencyShares: shares,
          lendablePercent: lendable,
          limitResponse: queuing
            ? {
                type: 'Queue',
                queuing: { queues: queuing[0], handSize: queuing[1], queueLengthLimit: queuing[2] },
              }
            : { type: 'Reject' },
        },
      }),
    ),
  ];
}

/** The in-tree volume plugins whose CSI migration is on by default in v1.30 (the kubelet announces them). */
const MIGRATED_PLUGINS = [
  'kubernetes.io/aws-ebs',
  'kubernetes.io/azure-disk',
  'kubernetes.io/azure-file',
  'kubernetes.io/cinder',
  'kubernetes.io/gce-pd',
  'kubernetes.io/vsphere-volume',
].join(',');

/** The kubelet's CSINode of its node: no CSI drivers on minikube's docker driver. */
export function bootCsiNode(node: Node): CSINode {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSINode',
    metadata: {
      name: node.metadata.name,
      annotations: { 'storage.alpha.kubernetes.io/migrated-plugins': MIGRATED_PLUGINS },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid! },
      ],
    },
    spec: { drivers: null },
  };
}

/** A MicroTime as the API serialises it (six fractional digits). */
const microTime = (ms: number) => rfc3339(ms).replace(/Z$/, '.000000Z');

/** kube-apiserver's identity lease and the controller manager's and scheduler's leader-election leases. */
export function bootSystemLeases(node: Node, at: number, random: Random): Lease[] {
  const apiserverId = `apiserver-${random.string(26, 'abcdefghijklmnopqrstuvwxyz234567')}`;
  const lease = (name: string, holder: string, duration: number, labels?: Record<string, string>): Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-system', ...(labels ? { labels } : {}) },
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: duration,
      ...(labels ? {} : { acquireTime: microTime(at), leaseTransitions: 0 }),
      renewTime: microTime(at),
    },
  });
  return [
    lease(apiserverId, `${apiserverId}_${random.uid()}`, 3600, {
      'apiserver.kubernetes.io/identity': 'kube-apiserver',
      'kubernetes.io/hostname': node.metadata.name,
    }),
    lease('kube-controller-manager', `${node.metadata.name}_${random.uid()}`, 15),
    lease('kube-scheduler', `${node.metadata.name}_${random.uid()}`, 15),
  ];
}

/** Everything above, in the order the control plane writes it. */
export function bootApiObjects(nodes: Node[], at: number, random: Random): KubeObject[] {
  return [
    ...bootApiServices(at),
    ...bootPriorityLevels(),
    ...bootFlowSchemas(at),
    ...nodes.map(bootCsiNode),
    ...bootSystemLeases(nodes[0], at, random),
  ];
}
