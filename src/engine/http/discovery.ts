/**
 * Discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`), legacy and aggregated
 * (apidiscovery.k8s.io/v2), derived from the engine's resource registry so that every kind it serves is listed.
 */
import { RESOURCES, type ResourceInfo } from '../api/resources';
import { ALL_CATEGORY } from '../kubectl/resource-args';

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

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** Resources with a /status subresource, and those with /scale. */
const WITH_STATUS = new Set([
  'pods',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'services',
  'nodes',
  'namespaces',
  'resourcequotas',
  'poddisruptionbudgets',
  'horizontalpodautoscalers',
  'persistentvolumeclaims',
  'persistentvolumes',
]);
export const WITH_SCALE = new Set(['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers']);

export function verbsOf(info: ResourceInfo): string[] {
  if (info.verbs) return [...info.verbs];
  if (info.resource === 'namespaces') return ALL_VERBS.filter((v) => v !== 'deletecollection');
  return ALL_VERBS;
}

export function categoriesOf(info: ResourceInfo): string[] {
  return ALL_CATEGORY.includes(info.resource) ? ['all'] : [];
}

function groupRank(group: string): number {
  const at = GROUP_ORDER.indexOf(group);
  return at < 0 ? GROUP_ORDER.length : at;
}

/**
 * Resources the API server also serves in an older version than the one the engine stores, converting on the way
 * (autoscaling/v1 HorizontalPodAutoscalers: http/autoscaling-v1.ts). Discovery lists that version after the
 * preferred one, as kube-apiserver does; `api-resources` shows the preferred one only.
 */
const OLDER_VERSIONS: readonly { resource: string; version: string }[] = [
  { resource: 'horizontalpodautoscalers', version: 'v1' },
];

function inVersion(info: ResourceInfo, version: string): ResourceInfo {
  return { ...info, version, apiVersion: info.group ? `${info.group}/${version}` : version };
}

/**
 * The served group/versions in discovery order: the core group, then groups by kube-apiserver's priority; a group's
 * preferred version first.
 */
export function servedGroups(): { group: string; version: string; resources: ResourceInfo[] }[] {
  const byGv = new Map<string, { group: string; version: string; resources: ResourceInfo[] }>();
  const older = OLDER_VERSIONS.flatMap(({ resource, version }) => {
    const info = RESOURCES.find((r) => r.resource === resource);
    return info ? [inVersion(info, version)] : [];
  });
  for (const info of [...RESOURCES, ...older]) {
    const key = `${info.group}/${info.version}`;
    if (!byGv.has(key)) byGv.set(key, { group: info.group, version: info.version, resources: [] });
    byGv.get(key)!.resources.push(info);
  }
  const groups = [...byGv.values()];
  for (const g of groups) g.resources.sort((a, b) => a.resource.localeCompare(b.resource));
  return groups.sort((a, b) =>
    a.group === b.group
      ? 0
      : a.group === ''
        ? -1
        : b.group === ''
          ? 1
          : groupRank(a.group) - groupRank(b.group) || a.group.localeCompare(b.group),
  );
}

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function isServedGroupVersion(group: string, version: string): boolean {
  return servedGroups().some((g) => g.group === group && g.version === version);
}

/** Each named group with its served versions, the preferred one first. */
function groupsByName(): { name: string; versions: string[] }[] {
  const out: { name: string; versions: string[] }[] = [];
  for (const g of servedGroups()) {
    if (g.group === '') continue;
    const last = out[out.length - 1];
    if (last?.name === g.group) last.versions.push(g.version);
    else out.push({ name: g.group, versions: [g.version] });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Legacy discovery
// ---------------------------------------------------------------------------------------------------------------

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupsByName().map((g) => {
      const versions = g.versions.map((version) => ({ groupVersion: `${g.name}/${version}`, version }));
      return { name: g.name, versions, preferredVersion: versions[0] };
    }),
  };
}

export function apiResourceList(group: string, version: string): unknown {
  const resources: unknown[] = [];
  for (const info of servedGroups().find((g) => g.group === group && g.version === version)?.resources ??
    []) {
    const entry: Record<string, unknown> = {
      name: info.resource,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: verbsOf(info),
    };
    if (info.shortNames.length) entry.shortNames = [...info.shortNames];
    const categories = categoriesOf(info);
    if (categories.length) entry.categories = categories;
    resources.push(entry);
    if (info.resource === 'pods')
      resources.push({
        name: 'pods/log',
        singularName: '',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get'],
      });
    if (WITH_SCALE.has(info.resource))
      resources.push({
        name: `${info.resource}/scale`,
        singularName: '',
        namespaced: info.namespaced,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    if (WITH_STATUS.has(info.resource))
      resources.push({
        name: `${info.resource}/status`,
        singularName: '',
        namespaced: info.namespaced,
        kind: info.kind,
        verbs: ['get', 'patch', 'update'],
      });
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Aggregated discovery (apidiscovery.k8s.io/v2)
// ---------------------------------------------------------------------------------------------------------------

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether the Accept header asks for aggregated discovery (v2; v2beta1 is answered as v2, which kubectl reads). */
export function wantsAggregated(accept: string | undefined): boolean {
  return !!accept && /as=APIGroupDiscoveryList/.test(accept) && /v=v2\b/.test(accept);
}

function resourceDiscovery(info: ResourceInfo): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    resource: info.resource,
    responseKind: { group: info.group, version: info.version, kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: verbsOf(info),
  };
  if (info.shortNames.length) entry.shortNames = [...info.shortNames];
  const categories = categoriesOf(info);
  if (categories.length) entry.categories = categories;
  const subresources: unknown[] = [];
  if (info.resource === 'pods')
    subresources.push({
      subresource: 'log',
      responseKind: { group: '', version: '', kind: 'Pod' },
      verbs: ['get'],
    });
  if (WITH_SCALE.has(info.resource))
    subresources.push({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    });
  if (WITH_STATUS.has(info.resource))
    subresources.push({
      subresource: 'status',
      responseKind: { group: info.group, version: info.version, kind: info.kind },
      verbs: ['get', 'patch', 'update'],
    });
  if (subresources.length) entry.subresources = subresources;
  return entry;
}

/** `/api` (core only) or `/apis` (every named group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(core: boolean): unknown {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: (core ? [{ name: '', versions: ['v1'] }] : groupsByName()).map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        resources: servedGroups()
          .find((s) => s.group === g.name && s.version === version)!
          .resources.map(resourceDiscovery),
        freshness: 'Current',
      })),
    })),
  };
}
