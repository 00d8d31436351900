/** What a Kubernetes API path names, in the engine's own resource vocabulary (src/engine/api/resources.ts). */
import { RESOURCES, type ResourceInfo } from '../engine/api/resources';

/** A resource request: /api/v1/..., /apis/<group>/<version>/... */
export interface ResourceTarget {
  group: string;
  /** The plural resource as in the path (`pods`, `deployments`). */
  resource: string;
  /** The engine's entry for it; absent for resources the engine does not serve (CRDs). */
  info?: ResourceInfo;
  /** Absent for cluster-scoped objects and for lists across all namespaces. */
  namespace?: string;
  name?: string;
  subresource?: string;
}

const BY_GROUP_RESOURCE = new Map<string, ResourceInfo>();
for (const info of RESOURCES) {
  const key = `${info.group}/${info.resource}`;
  if (!BY_GROUP_RESOURCE.has(key)) BY_GROUP_RESOURCE.set(key, info);
}

/** Discovery, OpenAPI, /version and health: what every kubectl asks before (or instead of) its real work. */
export function isDiscoveryPath(path: string): boolean {
  return (
    /^\/(api|apis|openapi|version|healthz|livez|readyz)(\/|$)/.test(path) &&
    parseResourcePath(path) === undefined
  );
}

/** The resource a path names; undefined for discovery and other non-resource paths. */
export function parseResourcePath(path: string): ResourceTarget | undefined {
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)\/(.+?)\/*$/.exec(path);
  if (!m) return undefined;
  const group = m[1] ?? '';
  let segments: string[];
  try {
    segments = m[2].split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
  let namespace: string | undefined;
  // namespaces/NS/RESOURCE... is a namespaced request; namespaces/NS and namespaces/NS/status are the namespace.
  if (segments[0] === 'namespaces' && segments.length >= 3 && !['status', 'finalize'].includes(segments[2])) {
    namespace = segments[1];
    segments = segments.slice(2);
  }
  if (segments.length > 3 || segments.some((segment) => segment === '')) return undefined;
  const [resource, name, subresource] = segments;
  const info = BY_GROUP_RESOURCE.get(`${group}/${resource}`);
  const target: ResourceTarget = { group, resource, ...(info ? { info } : {}) };
  if (namespace !== undefined) target.namespace = namespace;
  if (name !== undefined) target.name = name;
  if (subresource !== undefined) target.subresource = subresource;
  return target;
}

/** A list of a namespaced resource without a namespace in its path: kubectl's `-A`. */
export function isAllNamespaces(target: ResourceTarget): boolean {
  return target.namespace === undefined && target.name === undefined && target.info?.namespaced === true;
}

/** How kubectl's lines name a resource type: its singular (`deployment`), else the plural from the path. */
export function singularOf(target: ResourceTarget): string {
  return target.info?.singular ?? target.resource;
}

/** The Kind of a target's objects (`Deployment`); for resources the engine does not know, the plural. */
export function kindOf(target: ResourceTarget): string {
  return target.info?.kind ?? target.resource;
}
