/** The resource registry: what `kubectl api-resources` would list for the kinds the engine serves. */
import { fromEventsV1, toEventsV1 } from './event-versions';
import type { KubeObject } from './types';
export type ResourceName =
  | 'pods'
  | 'deployments'
  | 'replicasets'
  | 'services'
  | 'endpoints'
  | 'nodes'
  | 'namespaces'
  | 'events'
  | ConfigResourceName
  | PolicyResourceName
  | BatchResourceName
  | WorkloadResourceName
  | StorageResourceName
  | NetworkResourceName
  | 'leases'
  | ReviewResourceName
  | ClusterResourceName;

/**
 * The kinds a minikube cluster serves that the lab stores and lists without further behaviour (issue 17): the API
 * machinery's own objects (APIServices, CRDs, webhook configurations, flow control), node and storage plumbing.
 */
export type ClusterResourceName =
  | 'bindings'
  | 'componentstatuses'
  | 'podtemplates'
  | 'replicationcontrollers'
  | 'mutatingwebhookconfigurations'
  | 'validatingadmissionpolicies'
  | 'validatingadmissionpolicybindings'
  | 'validatingwebhookconfigurations'
  | 'customresourcedefinitions'
  | 'apiservices'
  | 'certificatesigningrequests'
  | 'flowschemas'
  | 'prioritylevelconfigurations'
  | 'runtimeclasses'
  | 'csidrivers'
  | 'csinodes'
  | 'csistoragecapacities'
  | 'volumeattachments';

/**
 * The review APIs (authorization.k8s.io and authentication.k8s.io): create-only questions, never stored
 * (server/reviews.ts answers them).
 */
export type ReviewResourceName =
  | 'selfsubjectreviews'
  | 'tokenreviews'
  | 'localsubjectaccessreviews'
  | 'selfsubjectaccessreviews'
  | 'selfsubjectrulesreviews'
  | 'subjectaccessreviews';

/** Claims, volumes and classes (issue 17). */
export type StorageResourceName = 'persistentvolumeclaims' | 'persistentvolumes' | 'storageclasses';

/** EndpointSlices, Ingresses, IngressClasses and NetworkPolicies (issue 17). */
export type NetworkResourceName = 'endpointslices' | 'ingresses' | 'ingressclasses' | 'networkpolicies';

/** DaemonSets, StatefulSets, their ControllerRevisions and HorizontalPodAutoscalers (issue 14). */
export type WorkloadResourceName =
  'daemonsets' | 'statefulsets' | 'controllerrevisions' | 'horizontalpodautoscalers';

/** Jobs and CronJobs (issue 14). */
export type BatchResourceName = 'jobs' | 'cronjobs';

/** Service accounts, configuration and secrets (issue 13). */
export type ConfigResourceName = 'serviceaccounts' | 'configmaps' | 'secrets';

/** Access control, quota, priority and disruption budgets (issue 13). */
export type PolicyResourceName =
  | 'roles'
  | 'rolebindings'
  | 'clusterroles'
  | 'clusterrolebindings'
  | 'resourcequotas'
  | 'limitranges'
  | 'priorityclasses'
  | 'poddisruptionbudgets';

export interface ResourceInfo {
  resource: ResourceName;
  singular: string;
  kind: string;
  group: string;
  version: string;
  /** `apps/v1` or `v1`. */
  apiVersion: string;
  namespaced: boolean;
  shortNames: string[];
  /** The verbs discovery lists (`api-resources -o wide`); only these are served (the review APIs: `create`). */
  verbs: readonly string[];
  /** Discovery categories (`all` for `kubectl get all`, `api-extensions`). */
  categories: readonly string[];
  /**
   * Served by an extension API server through an APIService (`<version>.<group>`): discovery lists the group only
   * while that APIService exists and is Available, so an add-on (metrics-server) makes it appear and disappear.
   */
  aggregated?: boolean;
  /** The Warning the API server sends with every answer about the resource (a deprecated API). */
  warning?: string;
}

/** Every verb of a stored resource. */
export const ALL_VERBS: readonly string[] = Object.freeze([
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
]);

interface InfoOptions {
  verbs?: readonly string[];
  categories?: readonly string[];
  aggregated?: boolean;
  warning?: string;
}

function info(
  resource: ResourceName,
  singular: string,
  kind: string,
  group: string,
  namespaced: boolean,
  shortNames: string[],
  version = 'v1',
  options: InfoOptions = {},
): ResourceInfo {
  return Object.freeze({
    resource,
    singular,
    kind,
    group,
    version,
    apiVersion: group ? `${group}/${version}` : version,
    namespaced,
    shortNames: Object.freeze(shortNames) as string[],
    verbs: Object.freeze([...(options.verbs ?? ALL_VERBS)]),
    categories: Object.freeze([...(options.categories ?? [])]),
    ...(options.aggregated ? { aggregated: true } : {}),
    ...(options.warning ? { warning: options.warning } : {}),
  });
}

/** `kubectl get all`: discovery category `all`. */
const ALL = { categories: ['all'] };
/** The API extension points (kube-apiserver's `api-extensions` category). */
const EXTENSIONS = { categories: ['api-extensions'] };

/** The Metrics API: read-only, listed only while metrics-server's APIService is Available. */
const METRICS_GROUP = 'metrics.k8s.io';
const METRICS_API = { verbs: ['get', 'list'], aggregated: true };

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A review API: created to ask a question, answered at once, never stored or listed. */
function review(resource: ReviewResourceName, kind: string, group: string, namespaced = false): ResourceInfo {
  return info(resource, kind.toLowerCase(), kind, group, namespaced, [], 'v1', { verbs: ['create'] });
}

/** Whether only `create` is served (the review APIs, Binding): reads, lists and other writes are refused. */
export function isCreateOnly(info: ResourceInfo): boolean {
  return !info.verbs.includes('get');
}

/** Whether the resource is a review API: a question answered at once (server/reviews.ts), never stored. */
export function isReview(info: ResourceInfo): boolean {
  return (
    isCreateOnly(info) && (info.group === 'authentication.k8s.io' || info.group === 'authorization.k8s.io')
  );
}

const ADMISSION_GROUP = 'admissionregistration.k8s.io';
const FLOWCONTROL_GROUP = 'flowcontrol.apiserver.k8s.io';
const STORAGE_GROUP = 'storage.k8s.io';

/** The kinds of ClusterResourceName, with the facts of a v1.30 kube-apiserver's discovery. */
const CLUSTER_RESOURCES: readonly ResourceInfo[] = [
  info('bindings', 'binding', 'Binding', '', true, [], 'v1', { verbs: ['create'] }),
  info('componentstatuses', 'componentstatus', 'ComponentStatus', '', false, ['cs'], 'v1', {
    verbs: ['get', 'list'],
    warning: 'v1 ComponentStatus is deprecated in v1.19+',
  }),
  info('podtemplates', 'podtemplate', 'PodTemplate', '', true, []),
  info(
    'replicationcontrollers',
    'replicationcontroller',
    'ReplicationController',
    '',
    true,
    ['rc'],
    'v1',
    ALL,
  ),
  info(
    'mutatingwebhookconfigurations',
    'mutatingwebhookconfiguration',
    'MutatingWebhookConfiguration',
    ADMISSION_GROUP,
    false,
    [],
    'v1',
    EXTENSIONS,
  ),
  info(
    'validatingadmissionpolicies',
    'validatingadmissionpolicy',
    'ValidatingAdmissionPolicy',
    ADMISSION_GROUP,
    false,
    [],
    'v1',
    EXTENSIONS,
  ),
  info(
    'validatingadmissionpolicybindings',
    'validatingadmissionpolicybinding',
    'ValidatingAdmissionPolicyBinding',
    ADMISSION_GROUP,
    false,
    [],
    'v1',
    EXTENSIONS,
  ),
  info(
    'validatingwebhookconfigurations',
    'validatingwebhookconfiguration',
    'ValidatingWebhookConfiguration',
    ADMISSION_GROUP,
    false,
    [],
    'v1',
    EXTENSIONS,
  ),
  info(
    'customresourcedefinitions',
    'customresourcedefinition',
    'CustomResourceDefinition',
    'apiextensions.k8s.io',
    false,
    ['crd', 'crds'],
    'v1',
    EXTENSIONS,
  ),
  info('apiservices', 'apiservice', 'APIService', 'apiregistration.k8s.io', false, [], 'v1', EXTENSIONS),
  info(
    'certificatesigningrequests',
    'certificatesigningrequest',
    'CertificateSigningRequest',
    'certificates.k8s.io',
    false,
    ['csr'],
  ),
  // events.k8s.io/v1 is another view of the core Events (one table, as in etcd); the core group wins `ev`.
  info('events', 'event', 'Event', 'events.k8s.io', true, ['ev']),
  info('flowschemas', 'flowschema', 'FlowSchema', FLOWCONTROL_GROUP, false, []),
  info(
    'prioritylevelconfigurations',
    'prioritylevelconfiguration',
    'PriorityLevelConfiguration',
    FLOWCONTROL_GROUP,
    false,
    [],
  ),
  info('runtimeclasses', 'runtimeclass', 'RuntimeClass', 'node.k8s.io', false, []),
  info('csidrivers', 'csidriver', 'CSIDriver', STORAGE_GROUP, false, []),
  info('csinodes', 'csinode', 'CSINode', STORAGE_GROUP, false, []),
  info('csistoragecapacities', 'csistoragecapacity', 'CSIStorageCapacity', STORAGE_GROUP, true, []),
  info('volumeattachments', 'volumeattachment', 'VolumeAttachment', STORAGE_GROUP, false, []),
];

export const RESOURCES: readonly ResourceInfo[] = Object.freeze([
  info('pods', 'pod', 'Pod', '', true, ['po'], 'v1', ALL),
  info('deployments', 'deployment', 'Deployment', 'apps', true, ['deploy'], 'v1', ALL),
  info('replicasets', 'replicaset', 'ReplicaSet', 'apps', true, ['rs'], 'v1', ALL),
  info('daemonsets', 'daemonset', 'DaemonSet', 'apps', true, ['ds'], 'v1', ALL),
  info('statefulsets', 'statefulset', 'StatefulSet', 'apps', true, ['sts'], 'v1', ALL),
  info('controllerrevisions', 'controllerrevision', 'ControllerRevision', 'apps', true, []),
  info(
    'horizontalpodautoscalers',
    'horizontalpodautoscaler',
    'HorizontalPodAutoscaler',
    'autoscaling',
    true,
    ['hpa'],
    'v2',
    ALL,
  ),
  info('services', 'service', 'Service', '', true, ['svc'], 'v1', ALL),
  info('endpoints', 'endpoints', 'Endpoints', '', true, ['ep']),
  info('nodes', 'node', 'Node', '', false, ['no']),
  info('namespaces', 'namespace', 'Namespace', '', false, ['ns'], 'v1', {
    verbs: ALL_VERBS.filter((v) => v !== 'deletecollection'),
  }),
  info('events', 'event', 'Event', '', true, ['ev']),
  info('serviceaccounts', 'serviceaccount', 'ServiceAccount', '', true, ['sa']),
  info('configmaps', 'configmap', 'ConfigMap', '', true, ['cm']),
  info('secrets', 'secret', 'Secret', '', true, []),
  info('resourcequotas', 'resourcequota', 'ResourceQuota', '', true, ['quota']),
  info('limitranges', 'limitrange', 'LimitRange', '', true, ['limits']),
  info('poddisruptionbudgets', 'poddisruptionbudget', 'PodDisruptionBudget', 'policy', true, ['pdb']),
  info('clusterrolebindings', 'clusterrolebinding', 'ClusterRoleBinding', RBAC_GROUP, false, []),
  info('clusterroles', 'clusterrole', 'ClusterRole', RBAC_GROUP, false, []),
  info('rolebindings', 'rolebinding', 'RoleBinding', RBAC_GROUP, true, []),
  info('roles', 'role', 'Role', RBAC_GROUP, true, []),
  info('priorityclasses', 'priorityclass', 'PriorityClass', 'scheduling.k8s.io', false, ['pc']),
  info('cronjobs', 'cronjob', 'CronJob', 'batch', true, ['cj'], 'v1', ALL),
  info('jobs', 'job', 'Job', 'batch', true, [], 'v1', ALL),
  info('leases', 'lease', 'Lease', 'coordination.k8s.io', true, []),
  review('selfsubjectreviews', 'SelfSubjectReview', 'authentication.k8s.io'),
  review('tokenreviews', 'TokenReview', 'authentication.k8s.io'),
  review('localsubjectaccessreviews', 'LocalSubjectAccessReview', 'authorization.k8s.io', true),
  review('selfsubjectaccessreviews', 'SelfSubjectAccessReview', 'authorization.k8s.io'),
  review('selfsubjectrulesreviews', 'SelfSubjectRulesReview', 'authorization.k8s.io'),
  review('subjectaccessreviews', 'SubjectAccessReview', 'authorization.k8s.io'),
  info('persistentvolumeclaims', 'persistentvolumeclaim', 'PersistentVolumeClaim', '', true, ['pvc']),
  info('persistentvolumes', 'persistentvolume', 'PersistentVolume', '', false, ['pv']),
  info('storageclasses', 'storageclass', 'StorageClass', 'storage.k8s.io', false, ['sc']),
  ...CLUSTER_RESOURCES,
  info('endpointslices', 'endpointslice', 'EndpointSlice', 'discovery.k8s.io', true, []),
  info('ingresses', 'ingress', 'Ingress', 'networking.k8s.io', true, ['ing']),
  info('ingressclasses', 'ingressclass', 'IngressClass', 'networking.k8s.io', false, []),
  info('networkpolicies', 'networkpolicy', 'NetworkPolicy', 'networking.k8s.io', true, ['netpol']),
  // metrics.k8s.io (issue 17): the metrics-server add-on's API, served by http/metrics-api.ts, never stored.
  info('nodes', 'nodemetrics', 'NodeMetrics', METRICS_GROUP, false, [], 'v1beta1', METRICS_API),
  info('pods', 'podmetrics', 'PodMetrics', METRICS_GROUP, true, [], 'v1beta1', METRICS_API),
]);

const BY_ALIAS = new Map<string, ResourceInfo>();
for (const r of RESOURCES) {
  const names = [r.resource, r.singular, r.kind.toLowerCase(), ...r.shortNames];
  for (const name of names) {
    // A bare name resolves to the first group serving it (kubectl's RESTMapper prefers the core group).
    if (!BY_ALIAS.has(name)) BY_ALIAS.set(name, r);
    if (r.group) BY_ALIAS.set(`${name}.${r.group}`, r);
    BY_ALIAS.set(`${name}.${r.version}.${r.group || ''}`.replace(/\.$/, ''), r);
  }
}

/**
 * Resolves what a user may type for a type ('po', 'Pod', 'pods', 'deploy', 'deployment.apps', 'rs.v1.apps')
 * to the resource, case-insensitively as kubectl's RESTMapper does. Unknown → undefined.
 */
export function resourceFor(kindOrAlias: string): ResourceInfo | undefined {
  return BY_ALIAS.get(kindOrAlias.toLowerCase());
}

/** Each kind's first resource in RESOURCES: every write looks its object's kind up. */
const BY_KIND = new Map<string, ResourceInfo>();
for (const r of RESOURCES) if (!BY_KIND.has(r.kind)) BY_KIND.set(r.kind, r);

export function resourceForKind(kind: string): ResourceInfo | undefined {
  return BY_KIND.get(kind);
}

/** kube-apiserver's group priority order (the order `/apis` lists them); groups not named here follow by name. */
const GROUP_ORDER = [
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

/** Discovery order of groups: the core group, then kube-apiserver's priority, then by name. */
export function compareGroups(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  const rank = (g: string) => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);
  return rank(a) - rank(b) || (a < b ? -1 : 1);
}

/**
 * Older versions the API server also serves, after the preferred one (kube-apiserver's defaults for v1.30):
 * autoscaling/v1 HorizontalPodAutoscalers (converted: http/autoscaling-v1.ts) and the flow-control objects in
 * flowcontrol.apiserver.k8s.io/v1beta3 (deprecated, removed in v1.32). `api-resources` shows the preferred one only;
 * `api-versions` and discovery list both.
 */
export const OLDER_VERSIONS: readonly {
  resource: ResourceName;
  group: string;
  version: string;
  /** The objects read the same in both versions but for apiVersion (kubectl may name the version: `fs.v1beta3.…`). */
  sameSchema?: boolean;
}[] = [
  { resource: 'horizontalpodautoscalers', group: 'autoscaling', version: 'v1' },
  { resource: 'flowschemas', group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', sameSchema: true },
  {
    resource: 'prioritylevelconfigurations',
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1beta3',
    sameSchema: true,
  },
];

for (const { resource, group, version, sameSchema } of OLDER_VERSIONS) {
  const stored = RESOURCES.find((r) => r.resource === resource && r.group === group);
  if (!stored || !sameSchema) continue;
  const older = inVersion(stored, version);
  for (const name of [stored.resource, stored.singular, stored.kind.toLowerCase(), ...stored.shortNames])
    BY_ALIAS.set(`${name}.${version}.${group}`, older);
}

/**
 * The object as a client of `info`'s group and version reads it: an events.k8s.io/v1 Event converted from the core
 * one, an older version of the same schema with its apiVersion.
 */
export function inServedVersion<T extends KubeObject>(info: ResourceInfo, obj: T): T {
  if (obj.apiVersion === info.apiVersion) return obj;
  if (info.group === 'events.k8s.io') return toEventsV1(obj) as T;
  return { ...obj, apiVersion: info.apiVersion };
}

/** A client's object in `info`'s version as the API server stores it (inServedVersion's inverse). */
export function fromServedVersion(info: ResourceInfo, body: unknown): unknown {
  if (info.group === 'events.k8s.io') return fromEventsV1(body);
  return body;
}

/** The resource as served in another version of its group. */
export function inVersion(info: ResourceInfo, version: string): ResourceInfo {
  return Object.freeze({ ...info, version, apiVersion: info.group ? `${info.group}/${version}` : version });
}

/** Every resource of the registry in its older versions (OLDER_VERSIONS). */
export function olderVersions(resources: readonly ResourceInfo[] = RESOURCES): ResourceInfo[] {
  return OLDER_VERSIONS.flatMap(({ resource, group, version }) => {
    const info = resources.find((r) => r.resource === resource && r.group === group);
    return info ? [inVersion(info, version)] : [];
  });
}

/** The APIService that makes an aggregated group/version reachable (`v1beta1.metrics.k8s.io`). */
export function apiServiceName(info: { group: string; version: string }): string {
  return `${info.version}.${info.group}`;
}

/**
 * The resources the cluster serves now: every built-in one, and an aggregated one while its APIService is
 * available (`available(name)`, e.g. metrics-server's `v1beta1.metrics.k8s.io` once the add-on is enabled).
 */
export function servedResources(available: (apiService: string) => boolean): ResourceInfo[] {
  return RESOURCES.filter((r) => !r.aggregated || available(apiServiceName(r)));
}

/** Resources in discovery order: by group (compareGroups), then by resource name. */
export function inDiscoveryOrder(resources: readonly ResourceInfo[]): ResourceInfo[] {
  return [...resources].sort(
    (a, b) =>
      compareGroups(a.group, b.group) || (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0),
  );
}

/** The resources of a discovery category (`all`), in discovery order: what `kubectl get <category>` expands to. */
export function resourcesInCategory(
  category: string,
  resources: readonly ResourceInfo[] = RESOURCES,
): ResourceInfo[] {
  return inDiscoveryOrder(resources.filter((r) => r.categories.includes(category)));
}
