/**
 * The API server as one user sees it: every call is first put to the RBAC authorizer (rbac.ts, the same decision
 * the HTTP face makes for `Impersonate-User` requests) and a denied one throws the API server's 403. The built-in
 * kubectl uses it for `--as`/`--as-group`. Verbs are the ApiServer method's; where the built-in's calls differ from
 * kubectl's requests (it updates where kubectl patches, reads before a DELETE), the command authorises kubectl's own
 * request first (kubectl/impersonation.ts asKubectlRequest, patchObject), so the denial names the same verb.
 */
import { isReview, type ResourceName } from '../api/resources';
import type { KubeObject } from '../api/types';
import { clone, type ObjectStore } from '../store/store';
import type { ApiServer } from './api-server';
import { decide, forbiddenError, type RequestAttributes, type UserInfo } from './rbac';
import { review } from './reviews';

/** Throws the API server's 403 unless `user` may make this request. */
export function authorize(
  api: ApiServer,
  store: ObjectStore,
  user: UserInfo,
  request: {
    verb: string;
    resource: ResourceName;
    namespace: string | undefined;
    name?: string;
    subresource?: string;
  },
): void {
  const { verb, resource, namespace, name, subresource } = request;
  const info = api.resourceFor(resource);
  const attributes: RequestAttributes = {
    verb,
    resource,
    group: info?.group ?? '',
    // A request on a namespace object happens in that namespace (apiserver RequestInfo).
    namespace:
      resource === 'namespaces' && name !== undefined ? name : info?.namespaced ? namespace : undefined,
    name,
    ...(subresource ? { subresource } : {}),
  };
  if (!decide(store, user, attributes).allowed) throw forbiddenError(user, attributes);
}

export function authorizingApi(api: ApiServer, store: ObjectStore, user: UserInfo): ApiServer {
  const check = (verb: string, resource: ResourceName, namespace: string | undefined, name?: string) =>
    authorize(api, store, user, { verb, resource, namespace, name });
  const resourceOf = (obj: KubeObject): ResourceName | undefined => api.resourceFor(obj.kind)?.resource;
  return {
    get(resource, namespace, name) {
      check('get', resource, namespace, name);
      return api.get(resource, namespace, name);
    },
    list(resource, opts) {
      check('list', resource, opts?.namespace);
      return api.list(resource, opts);
    },
    create(obj, opts) {
      const resource = resourceOf(obj);
      // A create names no object: RBAC sees the collection (the API server's 403 has no name either).
      if (resource) check('create', resource, obj.metadata?.namespace);
      const info = resource ? api.resourceFor(resource) : undefined;
      // A review asks about its requester: answered for this user, not for the cluster's admin.
      if (info && isReview(info))
        return review(store, user, { ...info, namespace: obj.metadata?.namespace }, clone(obj)) as typeof obj;
      return api.create(obj, opts);
    },
    update(obj, opts) {
      const resource = resourceOf(obj);
      if (resource) check('update', resource, obj.metadata?.namespace, obj.metadata?.name);
      return api.update(obj, opts);
    },
    delete(resource, namespace, name, opts) {
      check('delete', resource, namespace, name);
      return api.delete(resource, namespace, name, opts);
    },
    watch(resource, opts, onEvent) {
      check('watch', resource, opts.namespace);
      return api.watch(resource, opts, onEvent);
    },
    resourceFor: (kindOrAlias) => api.resourceFor(kindOrAlias),
  };
}
