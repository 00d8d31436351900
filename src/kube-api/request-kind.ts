/**
 * What a Kubernetes API request is, from its method, path and query alone (the platform decides how to carry it
 * before any cluster sees it): a read, a watch, a stream (exec, attach, port-forward, `logs -f`) or a mutation,
 * and the RBAC attributes the API server would check (for the read-only tokens' 403).
 */
import type { RequestAttributes } from '../engine/server/rbac';
import { requestVerb } from '../engine/http/auth';

export type RequestKind = 'read' | 'watch' | 'stream' | 'mutation';

export interface ClassifiedRequest {
  kind: RequestKind;
  attributes: RequestAttributes;
}

/** Reviews are POSTs that change nothing (`kubectl auth can-i`, `auth whoami`). */
const REVIEW =
  /^\/apis\/authorization\.k8s\.io\/v1\/(?:namespaces\/[^/]+\/)?(?:self)?(?:subject|local)?(?:access|rules)?reviews$|^\/apis\/authentication\.k8s\.io\/v1\/(?:self)?(?:subject|token)reviews$/;
const STREAM_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

export function classifyRequest(method: string, path: string, query: URLSearchParams): ClassifiedRequest {
  const verbMethod = method.toUpperCase();
  const attributes = attributesOf(verbMethod, path, query);
  const watch = attributes.verb === 'watch';
  if (attributes.subresource !== undefined && STREAM_SUBRESOURCES.has(attributes.subresource))
    return { kind: 'stream', attributes };
  if (attributes.subresource === 'log' && ['true', '1'].includes(query.get('follow') ?? ''))
    return { kind: 'stream', attributes };
  if (watch) return { kind: 'watch', attributes };
  if (verbMethod === 'GET' || verbMethod === 'HEAD' || verbMethod === 'OPTIONS')
    return { kind: 'read', attributes };
  if (verbMethod === 'POST' && REVIEW.test(path.replace(/\/+$/, ''))) return { kind: 'read', attributes };
  // A server-side dry run changes nothing either (kubectl --dry-run=server).
  if (query.getAll('dryRun').includes('All')) return { kind: 'read', attributes };
  return { kind: 'mutation', attributes };
}

/** RequestInfo's attributes: the verb from the method (list/watch/get), the resource path's parts. */
export function attributesOf(method: string, path: string, query: URLSearchParams): RequestAttributes {
  const clean = path.replace(/\/+$/, '') || '/';
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(clean);
  if (!m) return { verb: method.toLowerCase(), resource: '', group: '', nonResourceURL: clean };
  const group = m[1] ? '' : m[2];
  let segments = m[4].split('/').map(safeDecode);
  let namespace: string | undefined;
  if (segments[0] === 'namespaces' && segments.length >= 3) {
    namespace = segments[1];
    segments = segments.slice(2);
  }
  const [resource, name, subresource] = segments;
  const watch = ['true', '1'].includes(query.get('watch') ?? '');
  const verb = requestVerb(method, name !== undefined, watch);
  // `/api/v1/namespaces/NAME` is a request on the namespace itself, in that namespace.
  if (resource === 'namespaces' && name !== undefined && namespace === undefined) namespace = name;
  return { verb, resource, group, namespace, name, subresource };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
