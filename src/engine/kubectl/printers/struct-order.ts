/**
 * The field order of the Kubernetes v1.30 Go structs (k8s.io/api), for printing a typed object as kubectl does.
 *
 * kubectl prints what a `create` generator built (and the typed object the server sends back) with Go's
 * encoding/json, which writes struct fields in declaration order: `kind` before `apiVersion`, `name` before
 * `namespace`, and so on. `-o yaml` goes through a map and is sorted; `get -o json` prints unstructured objects
 * (maps), sorted too. Only `-o json` of typed objects needs this order.
 *
 * A struct is a list of fields, each with the type of its value; a field not listed keeps its place after the listed
 * ones. Maps (labels, data...) are sorted, as encoding/json sorts map keys.
 */
type Shape = Struct | 'map' | 'scalar' | { items: Shape };
interface Struct {
  fields: Array<[string, Shape?]>;
}

const struct = (...fields: Array<string | [string, Shape]>): Struct => ({
  fields: fields.map((f) => (typeof f === 'string' ? [f] : f)),
});
const list = (items: Shape): Shape => ({ items });

const objectMeta = struct(
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  ['labels', 'map'],
  ['annotations', 'map'],
  'ownerReferences',
  'finalizers',
  'managedFields',
);
const labelSelector = struct(
  ['matchLabels', 'map'],
  ['matchExpressions', list(struct('key', 'operator', 'values'))],
);
const containerPort = struct('name', 'hostPort', 'containerPort', 'protocol', 'hostIP');
const envVar = struct('name', 'value', 'valueFrom');
const resources = struct(['limits', 'map'], ['requests', 'map'], 'claims');
const container = struct(
  'name',
  'image',
  'command',
  'args',
  'workingDir',
  ['ports', list(containerPort)],
  'envFrom',
  ['env', list(envVar)],
  ['resources', resources],
  'resizePolicy',
  'restartPolicy',
  'volumeMounts',
  'volumeDevices',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'imagePullPolicy',
  'securityContext',
  'stdin',
  'stdinOnce',
  'tty',
);
const podSpec = struct(
  'volumes',
  ['initContainers', list(container)],
  ['containers', list(container)],
  'ephemeralContainers',
  'restartPolicy',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'dnsPolicy',
  ['nodeSelector', 'map'],
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
  'nodeName',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'securityContext',
  'imagePullSecrets',
  'hostname',
  'subdomain',
  'affinity',
  'schedulerName',
  'tolerations',
  'hostAliases',
  'priorityClassName',
  'priority',
  'dnsConfig',
  'readinessGates',
  'runtimeClassName',
  'enableServiceLinks',
  'preemptionPolicy',
  ['overhead', 'map'],
  'topologySpreadConstraints',
  'setHostnameAsFQDN',
  'os',
  'hostUsers',
  'schedulingGates',
  'resourceClaims',
);
const podTemplate = struct(['metadata', objectMeta], ['spec', podSpec]);
const condition = struct(
  'type',
  'status',
  'observedGeneration',
  'lastProbeTime',
  'lastUpdateTime',
  'lastTransitionTime',
  'reason',
  'message',
);
const typeMeta = ['kind', 'apiVersion'] as const;

const deployment = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  [
    'spec',
    struct(
      'replicas',
      ['selector', labelSelector],
      ['template', podTemplate],
      ['strategy', struct('type', ['rollingUpdate', struct('maxUnavailable', 'maxSurge')])],
      'minReadySeconds',
      'revisionHistoryLimit',
      'paused',
      'progressDeadlineSeconds',
    ),
  ],
  [
    'status',
    struct(
      'observedGeneration',
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
      ['conditions', list(condition)],
      'collisionCount',
    ),
  ],
);
const pod = struct(...typeMeta, ['metadata', objectMeta], ['spec', podSpec], 'status');
const servicePort = struct('name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort');
const service = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  [
    'spec',
    struct(
      ['ports', list(servicePort)],
      ['selector', 'map'],
      'clusterIP',
      'clusterIPs',
      'type',
      'externalIPs',
      'sessionAffinity',
      'loadBalancerIP',
      'loadBalancerSourceRanges',
      'externalName',
      'externalTrafficPolicy',
      'healthCheckNodePort',
      'publishNotReadyAddresses',
      'sessionAffinityConfig',
      'ipFamilies',
      'ipFamilyPolicy',
      'allocateLoadBalancerNodePorts',
      'loadBalancerClass',
      'internalTrafficPolicy',
      'trafficDistribution',
    ),
  ],
  ['status', struct(['loadBalancer', struct('ingress')], 'conditions')],
);
const namespace = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  ['spec', struct('finalizers')],
  ['status', struct('phase', ['conditions', list(condition)])],
);
const configMap = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  'immutable',
  ['data', 'map'],
  ['binaryData', 'map'],
);
const secret = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  'immutable',
  ['data', 'map'],
  ['stringData', 'map'],
  'type',
);
const serviceAccount = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  ['secrets', list(struct('kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'))],
  ['imagePullSecrets', list(struct('name'))],
  'automountServiceAccountToken',
);
const scopedResourceSelector = struct(['matchExpressions', list(struct('scopeName', 'operator', 'values'))]);
const resourceQuota = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  ['spec', struct(['hard', 'map'], 'scopes', ['scopeSelector', scopedResourceSelector])],
  ['status', struct(['hard', 'map'], ['used', 'map'])],
);
const limitRange = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  [
    'spec',
    struct([
      'limits',
      list(
        struct(
          'type',
          ['max', 'map'],
          ['min', 'map'],
          ['default', 'map'],
          ['defaultRequest', 'map'],
          ['maxLimitRequestRatio', 'map'],
        ),
      ),
    ]),
  ],
);
const priorityClass = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  'value',
  'globalDefault',
  'description',
  'preemptionPolicy',
);
const podDisruptionBudget = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  [
    'spec',
    struct('minAvailable', ['selector', labelSelector], 'maxUnavailable', 'unhealthyPodEvictionPolicy'),
  ],
  [
    'status',
    struct(
      'observedGeneration',
      ['disruptedPods', 'map'],
      'disruptionsAllowed',
      'currentHealthy',
      'desiredHealthy',
      'expectedPods',
      ['conditions', list(condition)],
    ),
  ],
);
const policyRule = struct('verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs');
const role = struct(...typeMeta, ['metadata', objectMeta], ['rules', list(policyRule)]);
const clusterRole = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  ['rules', list(policyRule)],
  ['aggregationRule', struct(['clusterRoleSelectors', list(labelSelector)])],
);
const roleBinding = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  ['subjects', list(struct('kind', 'apiGroup', 'name', 'namespace'))],
  ['roleRef', struct('apiGroup', 'kind', 'name')],
);

const jobSpec = struct(
  'parallelism',
  'completions',
  'activeDeadlineSeconds',
  'podFailurePolicy',
  'successPolicy',
  'backoffLimit',
  'backoffLimitPerIndex',
  'maxFailedIndexes',
  ['selector', labelSelector],
  'manualSelector',
  ['template', podTemplate],
  'ttlSecondsAfterFinished',
  'completionMode',
  'suspend',
  'podReplacementPolicy',
  'managedBy',
);
const job = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  ['spec', jobSpec],
  [
    'status',
    struct(
      'conditions',
      'startTime',
      'completionTime',
      'active',
      'succeeded',
      'failed',
      'terminating',
      'completedIndexes',
      'failedIndexes',
      'uncountedTerminatedPods',
      'ready',
    ),
  ],
);
const cronJob = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  [
    'spec',
    struct(
      'schedule',
      'timeZone',
      'startingDeadlineSeconds',
      'concurrencyPolicy',
      'suspend',
      ['jobTemplate', struct(['metadata', objectMeta], ['spec', jobSpec])],
      'successfulJobsHistoryLimit',
      'failedJobsHistoryLimit',
    ),
  ],
  ['status', struct('active', 'lastScheduleTime', 'lastSuccessfulTime')],
);

// authentication.k8s.io/v1: what `create token` and `auth whoami` print.
const tokenRequest = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  [
    'spec',
    struct('audiences', 'expirationSeconds', ['boundObjectRef', struct('kind', 'apiVersion', 'name', 'uid')]),
  ],
  ['status', struct('token', 'expirationTimestamp')],
);
const selfSubjectReview = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  ['status', struct(['userInfo', struct('username', 'uid', 'groups', ['extra', 'map'])])],
);
// autoscaling/v1, the version `kubectl autoscale` (1.30) creates and prints.
const horizontalPodAutoscaler = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  [
    'spec',
    struct(
      ['scaleTargetRef', struct('kind', 'name', 'apiVersion')],
      'minReplicas',
      'maxReplicas',
      'targetCPUUtilizationPercentage',
    ),
  ],
  [
    'status',
    struct(
      'observedGeneration',
      'lastScaleTime',
      'currentReplicas',
      'desiredReplicas',
      'currentCPUUtilizationPercentage',
    ),
  ],
);

const ingressBackend = struct(
  ['service', struct('name', ['port', struct('name', 'number')])],
  ['resource', struct('apiGroup', 'kind', 'name')],
);
const ingress = struct(
  ...typeMeta,
  ['metadata', objectMeta],
  [
    'spec',
    struct(
      'ingressClassName',
      ['defaultBackend', ingressBackend],
      ['tls', list(struct('hosts', 'secretName'))],
      [
        'rules',
        list(
          struct('host', [
            'http',
            struct(['paths', list(struct('path', 'pathType', ['backend', ingressBackend]))]),
          ]),
        ),
      ],
    ),
  ],
  ['status', struct(['loadBalancer', struct('ingress')])],
);

const KINDS: Record<string, Struct> = {
  Ingress: ingress,
  Job: job,
  CronJob: cronJob,
  Deployment: deployment,
  Pod: pod,
  Service: service,
  Namespace: namespace,
  ConfigMap: configMap,
  Secret: secret,
  ServiceAccount: serviceAccount,
  ResourceQuota: resourceQuota,
  LimitRange: limitRange,
  PriorityClass: priorityClass,
  PodDisruptionBudget: podDisruptionBudget,
  Role: role,
  ClusterRole: clusterRole,
  RoleBinding: roleBinding,
  ClusterRoleBinding: roleBinding,
  TokenRequest: tokenRequest,
  SelfSubjectReview: selfSubjectReview,
  HorizontalPodAutoscaler: horizontalPodAutoscaler,
};

/** The object with its keys in Go struct order (kinds not listed: sorted, as an unstructured object prints). */
export function inStructOrder(obj: unknown): unknown {
  const kind = (obj as { kind?: unknown } | null)?.kind;
  const shape = typeof kind === 'string' ? KINDS[kind] : undefined;
  return order(obj, shape ?? 'map');
}

function order(value: unknown, shape: Shape | undefined): unknown {
  if (Array.isArray(value)) {
    const items =
      shape !== undefined && typeof shape === 'object' && 'items' in shape ? shape.items : undefined;
    return value.map((item) => order(item, items));
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (shape !== undefined && typeof shape === 'object' && 'fields' in shape) {
    for (const [name, child] of shape.fields)
      if (record[name] !== undefined) out[name] = order(record[name], child);
    for (const key of Object.keys(record))
      if (!(key in out) && record[key] !== undefined) out[key] = order(record[key], undefined);
    return out;
  }
  // A map, or a struct this table does not describe: encoding/json sorts map keys.
  for (const key of Object.keys(record).sort())
    if (record[key] !== undefined) out[key] = order(record[key], undefined);
  return out;
}
