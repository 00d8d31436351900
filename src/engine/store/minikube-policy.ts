/**
 * The RBAC objects and PriorityClasses a fresh minikube v1.33.1 (Kubernetes v1.30.0, kubeadm) has, in a compact
 * but faithful selection: the user-facing ClusterRoles (cluster-admin, admin, edit, view and the aggregation
 * pieces they are built from), the `system:` roles with simple, well-known rules, kubeadm's and minikube's
 * bindings, and the two system PriorityClasses. Controller roles (`system:controller:*`), system:node,
 * system:kube-scheduler and system:kube-controller-manager are left out: their long rule lists are not
 * reproduced here.
 */
import type { ClusterRole, PolicyRule, PriorityClass, RoleBinding, Subject } from '../api/policy-types';
import { RBAC_GROUP } from '../api/resources';
import type { KubeObject } from '../api/types';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({
  apiGroups,
  resources,
  verbs,
});
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({ nonResourceURLs, verbs });

const VIEW_RULES: PolicyRule[] = [
  rule(
    [''],
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
    ],
    READ,
  ),
  rule(
    [''],
    [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
    ],
    READ,
  ),
  rule([''], ['namespaces'], READ),
  rule(['discovery.k8s.io'], ['endpointslices'], READ),
  rule(
    ['apps'],
    [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
    READ,
  ),
  rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
  rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
  rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
  rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
];

const EDIT_RULES: PolicyRule[] = [
  rule(
    [''],
    ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
    READ,
  ),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
  rule([''], ['pods/eviction'], ['create']),
  rule(
    [''],
    [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
    WRITE,
  ),
  rule([''], ['serviceaccounts/token'], ['create']),
  rule(
    ['apps'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
    WRITE,
  ),
  rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
  rule(['batch'], ['cronjobs', 'jobs'], WRITE),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
  rule(['policy'], ['poddisruptionbudgets'], WRITE),
  rule(['coordination.k8s.io'], ['leases'], [...WRITE, ...READ].sort()),
];

const ADMIN_RULES: PolicyRule[] = [
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  rule([RBAC_GROUP], ['rolebindings', 'roles'], [...WRITE, ...READ].sort()),
];

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: { labels?: Record<string, string>; aggregateTo?: string } = {},
): ClusterRole {
  const labels: Record<string, string> = { ...(extra.labels ?? BOOTSTRAP_LABELS) };
  const role: ClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels, annotations: { ...AUTOUPDATE } },
    rules,
  };
  if (extra.aggregateTo)
    role.aggregationRule = {
      clusterRoleSelectors: [
        { matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${extra.aggregateTo}`]: 'true' } },
      ],
    };
  return role;
}

const subject = {
  user: (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'User', name }),
  group: (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'Group', name }),
  sa: (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace }),
};

function clusterRoleBinding(name: string, role: string, subjects: Subject[], bootstrap = true): RoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: bootstrap
      ? { name, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...AUTOUPDATE } }
      : { name },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects,
  };
}

export function bootClusterRoles(): ClusterRole[] {
  const aggregate = (to: string) => ({
    labels: { ...BOOTSTRAP_LABELS, [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' },
  });
  return [
    clusterRole('admin', [...ADMIN_RULES, ...EDIT_RULES, ...VIEW_RULES], { aggregateTo: 'admin' }),
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('edit', [...EDIT_RULES, ...VIEW_RULES], {
      labels: { ...BOOTSTRAP_LABELS, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
      aggregateTo: 'edit',
    }),
    clusterRole('kubeadm:get-nodes', [rule([''], ['nodes'], ['get'])], { labels: {} }),
    clusterRole('system:aggregate-to-admin', ADMIN_RULES, aggregate('admin')),
    clusterRole('system:aggregate-to-edit', EDIT_RULES, aggregate('edit')),
    clusterRole('system:aggregate-to-view', VIEW_RULES, aggregate('view')),
    clusterRole('system:auth-delegator', [
      rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
      rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
    ]),
    clusterRole('system:basic-user', [
      rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
      rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
    ]),
    clusterRole(
      'system:coredns',
      [
        rule([''], ['endpoints', 'services', 'pods', 'namespaces'], ['list', 'watch']),
        rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
      ],
      { labels: {} },
    ),
    clusterRole('system:discovery', [
      urls(
        [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
        ['get'],
      ),
    ]),
    clusterRole('system:monitoring', [
      urls(
        ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'],
        ['get'],
      ),
    ]),
    clusterRole('system:node-proxier', [
      rule([''], ['endpoints', 'services'], ['list', 'watch']),
      rule([''], ['nodes'], READ),
      rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
    ]),
    clusterRole('system:persistent-volume-provisioner', [
      rule([''], ['persistentvolumes'], ['create', 'delete', 'get', 'list', 'watch']),
      rule([''], ['persistentvolumeclaims'], ['get', 'list', 'update', 'watch']),
      rule(['storage.k8s.io'], ['storageclasses'], READ),
      rule([''], ['events'], ['create', 'list', 'patch', 'update', 'watch']),
    ]),
    clusterRole('system:public-info-viewer', [
      urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get']),
    ]),
    clusterRole('system:service-account-issuer-discovery', [
      urls(
        [
          '/.well-known/openid-configuration',
          '/.well-known/openid-configuration/',
          '/openid/v1/jwks',
          '/openid/v1/jwks/',
        ],
        ['get'],
      ),
    ]),
    clusterRole('view', VIEW_RULES, {
      labels: { ...BOOTSTRAP_LABELS, 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
      aggregateTo: 'view',
    }),
  ];
}

export function bootClusterRoleBindings(): RoleBinding[] {
  return [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [subject.group('system:masters')]),
    clusterRoleBinding(
      'kubeadm:cluster-admins',
      'cluster-admin',
      [subject.group('kubeadm:cluster-admins')],
      false,
    ),
    clusterRoleBinding(
      'kubeadm:get-nodes',
      'kubeadm:get-nodes',
      [subject.group('system:bootstrappers:kubeadm:default-node-token')],
      false,
    ),
    clusterRoleBinding(
      'kubeadm:node-proxier',
      'system:node-proxier',
      [subject.sa('kube-system', 'kube-proxy')],
      false,
    ),
    clusterRoleBinding('minikube-rbac', 'cluster-admin', [subject.sa('kube-system', 'default')], false),
    clusterRoleBinding(
      'storage-provisioner',
      'system:persistent-volume-provisioner',
      [subject.sa('kube-system', 'storage-provisioner')],
      false,
    ),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [subject.group('system:authenticated')]),
    clusterRoleBinding('system:coredns', 'system:coredns', [subject.sa('kube-system', 'coredns')], false),
    clusterRoleBinding('system:discovery', 'system:discovery', [subject.group('system:authenticated')]),
    clusterRoleBinding('system:monitoring', 'system:monitoring', [subject.group('system:monitoring')]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
      subject.group('system:authenticated'),
      subject.group('system:unauthenticated'),
    ]),
    clusterRoleBinding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [
      subject.group('system:serviceaccounts'),
    ]),
  ];
}

export function bootPriorityClasses(): PriorityClass[] {
  const pc = (name: string, value: number, description: string): PriorityClass => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
    description,
    preemptionPolicy: 'PreemptLowerPriority',
  });
  return [
    pc(
      'system-cluster-critical',
      2000000000,
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    ),
    pc(
      'system-node-critical',
      2000001000,
      'Used for system critical pods that must not be moved from their current node.',
    ),
  ];
}

/** Everything above, in the order the API server and kubeadm create it. */
export function bootPolicyObjects(): KubeObject[] {
  return [...bootPriorityClasses(), ...bootClusterRoles(), ...bootClusterRoleBindings()];
}
