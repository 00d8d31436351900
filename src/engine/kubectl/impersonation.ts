/**
 * kubectl's global `--as USER` and `--as-group GROUP`: the command runs as that user, every API call put to the
 * cluster's RBAC authorizer (server/authorizing-api.ts) as the API server does for impersonated requests.
 * minikube's user is system:masters, so impersonating anyone is allowed.
 */
import type { ResourceName } from '../api/resources';
import type { Cluster } from '../cluster';
import { isStatusError } from '../api/status-error';
import type { KubeObject } from '../api/types';
import type { ApiServer, WriteOptions } from '../server/api-server';
import { authorize, authorizingApi } from '../server/authorizing-api';
import { impersonated, MINIKUBE_USER, type UserInfo } from '../server/rbac';
import type { FlagSpec, ParsedArgs } from './argv';
import { CommandError, KubectlContext } from './context';

/** The flags, for the commands that implement them this way (all of them). */
export const IMPERSONATION_FLAGS: FlagSpec[] = [
  { name: 'as', type: 'string', default: '', description: 'Username to impersonate for the operation.' },
  {
    name: 'as-group',
    type: 'stringArray',
    default: [],
    description: 'Group to impersonate for the operation.',
  },
];

/** Who the command acts as: the impersonated user, or minikube's. */
export function actingUser(args: ParsedArgs): UserInfo {
  const as = typeof args.flags.as === 'string' ? args.flags.as : '';
  const groups = Array.isArray(args.flags['as-group']) ? (args.flags['as-group'] as string[]) : [];
  if (!as && groups.length > 0)
    throw new CommandError('requesting groups or user-extra for  without impersonating a user');
  return as ? impersonated(as, groups) : MINIKUBE_USER;
}

/** The context a command gets under `--as`: the same cluster, its API authorised for that user. */
export function impersonatingContext(ctx: KubectlContext, user: UserInfo): KubectlContext {
  const api = authorizingApi(ctx.cluster.api, ctx.cluster.store, user);
  const cluster: Cluster = new Proxy(ctx.cluster, {
    get(target, prop) {
      if (prop === 'api') return api;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Cluster;
  UNAUTHORISED.set(cluster, ctx.cluster.api);
  return { ...ctx, cluster, user };
}

/** Behind an impersonating context's cluster: the API its calls are authorised in front of. */
const UNAUTHORISED = new WeakMap<Cluster, ApiServer>();

/**
 * The API to carry out one request of kubectl's with, where the built-in's calls differ from kubectl's: a DELETE
 * kubectl sends without reading the object first (the built-in reads it), or a PATCH (the built-in updates). Under
 * `--as`, kubectl's own request is authorised here, so a denial names its verb as the API server's 403 would; the
 * built-in's calls for it are then not put to the authorizer again. Without `--as`, the context's API.
 */
export function asKubectlRequest(
  ctx: KubectlContext,
  request: {
    verb: string;
    resource: ResourceName;
    namespace: string | undefined;
    name: string;
    subresource?: string;
  },
): ApiServer {
  const unauthorised = UNAUTHORISED.get(ctx.cluster);
  if (!unauthorised || !ctx.user) return ctx.cluster.api;
  authorize(unauthorised, ctx.cluster.store, ctx.user, request);
  return unauthorised;
}

/** A write kubectl sends as a PATCH of the object, which the built-in makes as an update: `patch` is authorised. */
export function patchObject<T extends KubeObject>(ctx: KubectlContext, obj: T, opts?: WriteOptions): T {
  const info = ctx.cluster.api.resourceFor(obj.kind);
  if (!info) return ctx.cluster.api.update(obj, opts);
  const request = {
    verb: 'patch',
    resource: info.resource,
    namespace: info.namespaced ? obj.metadata.namespace : undefined,
    name: obj.metadata.name,
  };
  return asKubectlRequest(ctx, request).update(obj, opts);
}

/**
 * kubectl's wrapping of a failed request (`failed to patch: <error>`): the message follows `error: `, no longer a
 * server Status.
 */
export function wrapFailure(prefix: string, request: () => void): void {
  try {
    request();
  } catch (error) {
    if (!isStatusError(error)) throw error;
    throw new CommandError(`${prefix}: ${error.status.message}`);
  }
}
