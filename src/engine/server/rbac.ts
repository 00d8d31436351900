/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): who a request comes from, which rules its bindings
 * give it in a namespace, and whether one of them allows a verb on a resource or a non-resource URL.
 */
import type { ClusterRole, PolicyRule, Role, RoleBinding, Subject } from '../api/policy-types';
import { groupResource, StatusError } from '../api/status-error';
import type { ObjectStore } from '../store/store';

export interface UserInfo {
  name: string;
  groups: string[];
}

/** minikube's kubeconfig user: a member of system:masters, bound to cluster-admin. */
export const MINIKUBE_USER: UserInfo = {
  name: 'minikube-user',
  groups: ['system:masters', 'system:authenticated'],
};

/** The user `--as` (and `--as-group`) names; a service account gets its groups as the token authenticator does. */
export function impersonated(as: string, asGroups: string[] = []): UserInfo {
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(as);
  const groups = sa ? ['system:serviceaccounts', `system:serviceaccounts:${sa[1]}`] : [];
  return { name: as, groups: [...groups, ...asGroups, 'system:authenticated'] };
}

export interface RequestAttributes {
  verb: string;
  /** Empty for a non-resource request. */
  resource: string;
  subresource?: string;
  group: string;
  /** Undefined: cluster-wide (or every namespace). */
  namespace?: string;
  name?: string;
  nonResourceURL?: string;
}

function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string | undefined): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount':
      return user.name === `system:serviceaccount:${subject.namespace || bindingNamespace}:${subject.name}`;
    default:
      return false;
  }
}

function roleRules(store: ObjectStore, binding: RoleBinding): PolicyRule[] {
  const ref = binding.roleRef;
  if (ref?.kind === 'ClusterRole')
    return store.get<ClusterRole>('clusterroles', undefined, ref.name)?.rules ?? [];
  if (ref?.kind === 'Role')
    return store.get<Role>('roles', binding.metadata.namespace, ref.name)?.rules ?? [];
  return [];
}

/** Every rule the user's bindings give in `namespace` (cluster-wide bindings first), as SelfSubjectRulesReview. */
export function rulesFor(store: ObjectStore, user: UserInfo, namespace: string | undefined): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const binding of store.list<RoleBinding>('clusterrolebindings'))
    if ((binding.subjects ?? []).some((s) => subjectMatches(s, user, undefined)))
      rules.push(...roleRules(store, binding));
  if (namespace !== undefined)
    for (const binding of store.list<RoleBinding>('rolebindings', namespace))
      if ((binding.subjects ?? []).some((s) => subjectMatches(s, user, namespace)))
        rules.push(...roleRules(store, binding));
  return rules;
}

const has = (list: string[] | undefined, value: string) => (list ?? []).some((v) => v === '*' || v === value);

function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (r) =>
      r === '*' ||
      r === combined ||
      (subresource !== undefined && (r === `*/${subresource}` || r === `${resource}/*`)),
  );
}

export function ruleAllows(rule: PolicyRule, a: RequestAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.nonResourceURL !== undefined)
    return (rule.nonResourceURLs ?? []).some(
      (u) =>
        u === '*' ||
        u === a.nonResourceURL ||
        (u.endsWith('*') && a.nonResourceURL!.startsWith(u.slice(0, -1))),
    );
  if (!has(rule.apiGroups, a.group) || !resourceMatches(rule, a.resource, a.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

export function authorize(store: ObjectStore, user: UserInfo, a: RequestAttributes): boolean {
  return decide(store, user, a).allowed;
}

export interface Decision {
  allowed: boolean;
  /** Why it was allowed, as the RBAC authorizer words it (empty when denied: RBAC has no opinion then). */
  reason: string;
}

/**
 * The authorizer's decision for one request, with the binding that allowed it (what a SubjectAccessReview's
 * `status.reason` says): `RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`.
 */
export function decide(store: ObjectStore, user: UserInfo, a: RequestAttributes): Decision {
  const bindings: [string, RoleBinding[], string | undefined][] = [
    ['ClusterRoleBinding', store.list<RoleBinding>('clusterrolebindings'), undefined],
  ];
  if (a.namespace !== undefined)
    bindings.push(['RoleBinding', store.list<RoleBinding>('rolebindings', a.namespace), a.namespace]);
  for (const [kind, list, namespace] of bindings)
    for (const binding of list) {
      const subject = (binding.subjects ?? []).find((s) => subjectMatches(s, user, namespace));
      if (!subject || !roleRules(store, binding).some((rule) => ruleAllows(rule, a))) continue;
      const where = namespace === undefined ? '' : `/${namespace}`;
      const who =
        subject.kind === 'ServiceAccount'
          ? `ServiceAccount "${subject.namespace || namespace}/${subject.name}"`
          : `${subject.kind} "${subject.name}"`;
      return {
        allowed: true,
        reason: `RBAC: allowed by ${kind} "${binding.metadata.name}${where}" of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${who}`,
      };
    }
  return { allowed: false, reason: '' };
}

/**
 * The API server's 403 for a denied request (apiserver responsewriters.Forbidden + apierrors.NewForbidden):
 * `pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"`.
 */
export function forbiddenError(user: UserInfo, a: RequestAttributes): StatusError {
  if (a.nonResourceURL !== undefined)
    return new StatusError({
      reason: 'Forbidden',
      message: `forbidden: User "${user.name}" cannot ${a.verb} path "${a.nonResourceURL}"`,
      details: {},
    });
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const detail = `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
  const qualified = groupResource(a.resource, a.group);
  return new StatusError({
    reason: 'Forbidden',
    message: a.name
      ? `${qualified} "${a.name}" is forbidden: ${detail}`
      : `${qualified} is forbidden: ${detail}`,
    details: { name: a.name, group: a.group, kind: a.resource },
  });
}
