/** The resource registry: what `kubectl api-resources` would list for the kinds the engine serves. */
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
  | 'leases'
  | ReviewResourceName;

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
  /** Only these verbs are served (the review APIs: `create`); every verb when absent. */
  verbs?: readonly string[];
}

function info(
  resource: ResourceName,
  singular: string,
  kind: string,
  group: string,
  namespaced: boolean,
  shortNames: string[],
  version = 'v1',
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
  });
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A review API: created to ask a question, answered at once, never stored or listed. */
function review(resource: ReviewResourceName, kind: string, group: string, namespaced = false): ResourceInfo {
  return Object.freeze({
    ...info(resource, kind.toLowerCase(), kind, group, namespaced, []),
    verbs: ['create'],
  });
}

/** Whether the resource is a review API (only `create` is served). */
export function isCreateOnly(info: ResourceInfo): boolean {
  return info.verbs !== undefined && !info.verbs.includes('get');
}

export const RESOURCES: readonly ResourceInfo[] = Object.freeze([
  info('pods', 'pod', 'Pod', '', true, ['po']),
  info('deployments', 'deployment', 'Deployment', 'apps', true, ['deploy']),
  info('replicasets', 'replicaset', 'ReplicaSet', 'apps', true, ['rs']),
  info('daemonsets', 'daemonset', 'DaemonSet', 'apps', true, ['ds']),
  info('statefulsets', 'statefulset', 'StatefulSet', 'apps', true, ['sts']),
  info('controllerrevisions', 'controllerrevision', 'ControllerRevision', 'apps', true, []),
  info(
    'horizontalpodautoscalers',
    'horizontalpodautoscaler',
    'HorizontalPodAutoscaler',
    'autoscaling',
    true,
    ['hpa'],
    'v2',
  ),
  info('services', 'service', 'Service', '', true, ['svc']),
  info('endpoints', 'endpoints', 'Endpoints', '', true, ['ep']),
  info('nodes', 'node', 'Node', '', false, ['no']),
  info('namespaces', 'namespace', 'Namespace', '', false, ['ns']),
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
  info('cronjobs', 'cronjob', 'CronJob', 'batch', true, ['cj']),
  info('jobs', 'job', 'Job', 'batch', true, []),
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
]);

const BY_ALIAS = new Map<string, ResourceInfo>();
for (const r of RESOURCES) {
  const names = [r.resource, r.singular, r.kind.toLowerCase(), ...r.shortNames];
  for (const name of names) {
    BY_ALIAS.set(name, r);
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
