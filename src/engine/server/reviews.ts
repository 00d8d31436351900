/**
 * The review APIs (create-only, never stored): authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth
 * can-i`), SubjectAccessReview and LocalSubjectAccessReview (asking about someone else), SelfSubjectRulesReview
 * (`auth can-i --list`), and authentication.k8s.io/v1 SelfSubjectReview (`auth whoami`). Every answer comes from
 * the RBAC authorizer of server/rbac.ts.
 */
import type { PolicyRule } from '../api/policy-types';
import { badRequest, StatusError } from '../api/status-error';
import type { ObjectStore } from '../store/store';
import { decide, rulesFor, type RequestAttributes, type UserInfo } from './rbac';

export const REVIEW_PATHS: Record<string, { group: string; resource: string; namespaced?: boolean }> = {
  '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews': {
    group: 'authorization.k8s.io',
    resource: 'selfsubjectaccessreviews',
  },
  '/apis/authorization.k8s.io/v1/subjectaccessreviews': {
    group: 'authorization.k8s.io',
    resource: 'subjectaccessreviews',
  },
  '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews': {
    group: 'authorization.k8s.io',
    resource: 'selfsubjectrulesreviews',
  },
  '/apis/authentication.k8s.io/v1/selfsubjectreviews': {
    group: 'authentication.k8s.io',
    resource: 'selfsubjectreviews',
  },
  '/apis/authentication.k8s.io/v1/tokenreviews': { group: 'authentication.k8s.io', resource: 'tokenreviews' },
};

/** `/apis/authorization.k8s.io/v1/namespaces/NS/localsubjectaccessreviews` names its namespace in the path. */
export function reviewTarget(
  path: string,
): { group: string; resource: string; namespace?: string } | undefined {
  const local = /^\/apis\/authorization\.k8s\.io\/v1\/namespaces\/([^/]+)\/localsubjectaccessreviews$/.exec(
    path,
  );
  if (local)
    return {
      group: 'authorization.k8s.io',
      resource: 'localsubjectaccessreviews',
      namespace: decodeURIComponent(local[1]),
    };
  return REVIEW_PATHS[path];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/** The attributes a review's spec asks about (an empty namespace means every namespace). */
function attributesOf(spec: Json, kind: string): RequestAttributes {
  if (isObject(spec.nonResourceAttributes)) {
    const n = spec.nonResourceAttributes;
    return { verb: text(n.verb), resource: '', group: '', nonResourceURL: text(n.path) };
  }
  if (isObject(spec.resourceAttributes)) {
    const r = spec.resourceAttributes;
    return {
      verb: text(r.verb),
      resource: text(r.resource),
      group: text(r.group),
      subresource: text(r.subresource) || undefined,
      namespace: text(r.namespace) || undefined,
      name: text(r.name) || undefined,
    };
  }
  throw invalidReview(
    kind,
    'spec.resourceAttributes',
    'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
  );
}

/** Answers a review POSTed by `user`: the body with its `status` filled in. */
export function review(
  store: ObjectStore,
  user: UserInfo,
  target: { group: string; resource: string; namespace?: string },
  body: unknown,
): Json {
  if (!isObject(body)) throw badRequest('the request body must be an object');
  const spec = isObject(body.spec) ? body.spec : {};
  const kind = text(body.kind);
  const base = {
    kind,
    apiVersion: `${target.group}/v1`,
    metadata: { creationTimestamp: null, ...(isObject(body.metadata) ? body.metadata : {}) },
  };
  // The engine's tokens are shaped like real ones but signed by no key it holds: none authenticates.
  if (target.resource === 'tokenreviews') return { ...base, spec, status: { user: {} } };
  if (target.resource === 'selfsubjectreviews')
    return { ...base, status: { userInfo: { username: user.name, groups: user.groups } } };
  if (target.resource === 'selfsubjectrulesreviews') {
    // No namespace (`can-i --list -A`): the cluster-wide bindings' rules only.
    const namespace = text(spec.namespace) || undefined;
    return { ...base, spec, status: rulesStatus(rulesFor(store, user, namespace)) };
  }
  // A SubjectAccessReview names its subject; the self reviews ask about the requester.
  const subject =
    target.resource === 'subjectaccessreviews' || target.resource === 'localsubjectaccessreviews'
      ? { name: text(spec.user), groups: texts(spec.groups) }
      : user;
  const attributes = attributesOf(spec, kind || 'SubjectAccessReview');
  if (target.namespace !== undefined) attributes.namespace = target.namespace;
  const decision = decide(store, subject, attributes);
  const status: Json = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return { ...base, spec, status };
}

/** A review's 422 (the object has no name, so the message quotes an empty one). */
function invalidReview(kind: string, field: string, message: string): StatusError {
  return new StatusError({
    reason: 'Invalid',
    message: `${kind}.authorization.k8s.io "" is invalid: ${field}: ${message}`,
    details: { kind, group: 'authorization.k8s.io', name: '', causes: [{ field, message }] },
  });
}

/** SelfSubjectRulesReview's status: resource rules and non-resource rules apart, as the rule resolver lists them. */
function rulesStatus(rules: PolicyRule[]): Json {
  const resourceRules: Json[] = [];
  const nonResourceRules: Json[] = [];
  for (const rule of rules) {
    if (rule.nonResourceURLs?.length)
      nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
    if (rule.resources?.length) {
      const out: Json = { verbs: rule.verbs, apiGroups: rule.apiGroups ?? [], resources: rule.resources };
      if (rule.resourceNames?.length) out.resourceNames = rule.resourceNames;
      resourceRules.push(out);
    }
  }
  return { resourceRules, nonResourceRules, incomplete: false };
}
