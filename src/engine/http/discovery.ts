/**
 * Discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`), legacy and aggregated
 * (apidiscovery.k8s.io/v2), derived from the engine's resource registry so that every kind it serves is listed.
 */
import { compareGroups, olderVersions, RESOURCES, type ResourceInfo } from '../api/resources';

/** Resources with a /status subresource, and those with /scale. */
const WITH_STATUS = new Set([
  'pods',
  'deployments',
  'replicasets',
  'replicationcontrollers',
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
  'ingresses',
  'apiservices',
  'customresourcedefinitions',
  'certificatesigningrequests',
  'flowschemas',
  'prioritylevelconfigurations',
  'validatingadmissionpolicies',
  'volumeattachments',
]);
export const WITH_SCALE = new Set(['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers']);

export function verbsOf(info: ResourceInfo): string[] {
  return [...info.verbs];
}

export function categoriesOf(info: ResourceInfo): string[] {
  return [...info.categories];
}

/** A served group/version and its resources (by name). */
export interface ServedGroupVersion {
  group: string;
  version: string;
  resources: ResourceInfo[];
}

/**
 * The served group/versions in discovery order: the core group, then groups by kube-apiserver's priority; a group's
 * preferred version first, then the older ones it still serves (OLDER_VERSIONS). `served` is what the cluster
 * serves now (servedResources: aggregated groups only while their APIService is available).
 */
export function servedGroups(served: readonly ResourceInfo[] = RESOURCES): ServedGroupVersion[] {
  const byGv = new Map<string, ServedGroupVersion>();
  for (const info of [...served, ...olderVersions(served)]) {
    const key = `${info.group}/${info.version}`;
    if (!byGv.has(key)) byGv.set(key, { group: info.group, version: info.version, resources: [] });
    byGv.get(key)!.resources.push(info);
  }
  const groups = [...byGv.values()];
  for (const g of groups)
    g.resources.sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  // Array.prototype.sort is stable: a group's preferred version stays ahead of its older ones.
  return groups.sort((a, b) => compareGroups(a.group, b.group));
}

/** The served resource at this group/version path (an older version is the registry's entry in that version). */
export function findResource(
  group: string,
  version: string,
  resource: string,
  served: readonly ResourceInfo[] = RESOURCES,
): ResourceInfo | undefined {
  return servedGroups(served)
    .find((g) => g.group === group && g.version === version)
    ?.resources.find((r) => r.resource === resource);
}

export function isServedGroupVersion(
  group: string,
  version: string,
  served: readonly ResourceInfo[] = RESOURCES,
): boolean {
  return servedGroups(served).some((g) => g.group === group && g.version === version);
}

/** Each named group with its served versions, the preferred one first. */
function groupsByName(served: readonly ResourceInfo[]): { name: string; versions: string[] }[] {
  const out: { name: string; versions: string[] }[] = [];
  for (const g of servedGroups(served)) {
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

export function apiGroupList(served: readonly ResourceInfo[] = RESOURCES): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupsByName(served).map((g) => {
      const versions = g.versions.map((version) => ({ groupVersion: `${g.name}/${version}`, version }));
      return { name: g.name, versions, preferredVersion: versions[0] };
    }),
  };
}

export function apiResourceList(
  group: string,
  version: string,
  served: readonly ResourceInfo[] = RESOURCES,
): unknown {
  const resources: unknown[] = [];
  for (const info of servedGroups(served).find((g) => g.group === group && g.version === version)
    ?.resources ?? []) {
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
        name: 'pods/eviction',
        singularName: '',
        namespaced: true,
        group: 'policy',
        version: 'v1',
        kind: 'Eviction',
        verbs: ['create'],
      });
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
      subresource: 'eviction',
      responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' },
      verbs: ['create'],
    });
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
export function aggregatedDiscovery(core: boolean, served: readonly ResourceInfo[] = RESOURCES): unknown {
  const groups = servedGroups(served);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: (core ? [{ name: '', versions: ['v1'] }] : groupsByName(served)).map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        resources: groups
          .find((s) => s.group === g.name && s.version === version)!
          .resources.map(resourceDiscovery),
        freshness: 'Current',
      })),
    })),
  };
}
