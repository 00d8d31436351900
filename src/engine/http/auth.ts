/**
 * Who a request comes from and whether it may proceed: the served identity (minikube's user unless `engine serve
 * --user` names another), impersonation headers (`kubectl --as/--as-group` sends `Impersonate-User` and
 * `Impersonate-Group`), and the request attributes the RBAC authorizer (server/rbac.ts, the one authorizer the
 * built-in kubectl uses too) decides on, as apiserver's RequestInfo resolves them from the method and path.
 */
import type { IncomingMessage } from 'node:http';
import type { ResourceInfo } from '../api/resources';
import type { ObjectStore } from '../store/store';
import { decide, forbiddenError, impersonated, type RequestAttributes, type UserInfo } from '../server/rbac';
import { HttpStatus } from './status';

/** The user a request acts as: the authenticated one, or the one it impersonates when that is allowed. */
export function requestUser(req: IncomingMessage, authenticated: UserInfo, store: ObjectStore): UserInfo {
  const header = (name: string): string[] =>
    (req.headersDistinct?.[name] ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  const [as] = header('impersonate-user');
  const groups = header('impersonate-group');
  if (as === undefined) {
    if (groups.length > 0)
      throw new HttpStatus(
        403,
        'Forbidden',
        `requested [${groups.map((g) => `{Group  ${g}}`).join(' ')}] without impersonating a user`,
      );
    return authenticated;
  }
  // The impersonation filter asks the authorizer whether the real user may impersonate each name.
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(as);
  const checks: RequestAttributes[] = [
    sa
      ? { verb: 'impersonate', resource: 'serviceaccounts', group: '', namespace: sa[1], name: sa[2] }
      : { verb: 'impersonate', resource: 'users', group: '', name: as },
    ...groups.map((g) => ({ verb: 'impersonate', resource: 'groups', group: '', name: g })),
  ];
  for (const check of checks)
    if (!decide(store, authenticated, check).allowed) throw forbiddenError(authenticated, check);
  return impersonated(as, groups);
}

/** The attributes of a request for a served resource (RequestInfo): the verb from the method, list vs watch. */
/** The API server's verb for an HTTP method on a resource path (RBAC's vocabulary: list, watch, create, …). */
export function requestVerb(method: string, named: boolean, watch: boolean): string {
  if (method === 'GET' || method === 'HEAD') return named ? 'get' : watch ? 'watch' : 'list';
  if (method === 'POST') return 'create';
  if (method === 'PUT') return 'update';
  if (method === 'PATCH') return 'patch';
  if (method === 'DELETE') return named ? 'delete' : 'deletecollection';
  return method.toLowerCase();
}

export function resourceAttributes(
  method: string,
  watch: boolean,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string | undefined,
  subresource: string | undefined,
): RequestAttributes {
  const verb = requestVerb(method, name !== undefined, watch);
  // `/api/v1/namespaces/NAME` is a request on the namespace itself, in that namespace.
  const ns = info.resource === 'namespaces' && name !== undefined ? name : namespace;
  return { verb, resource: info.resource, group: info.group, namespace: ns, name, subresource };
}

/** Throws the API server's 403 unless the user may make the request. */
export function authorizeRequest(store: ObjectStore, user: UserInfo, attributes: RequestAttributes): void {
  if (!decide(store, user, attributes).allowed) throw forbiddenError(user, attributes);
}
