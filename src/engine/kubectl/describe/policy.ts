/**
 * `kubectl describe` for Role/ClusterRole (rules broken down per resource, compacted and sorted as kubectl's
 * rbac helpers do), RoleBinding/ClusterRoleBinding, ResourceQuota, PriorityClass and PodDisruptionBudget.
 */
import type {
  PodDisruptionBudget,
  PolicyRule,
  PriorityClass,
  ResourceQuota,
  Role,
  RoleBinding,
} from '../../api/policy-types';
import { formatQuantity, parseQuantity } from '../../api/quantity';
import type { KubeEvent, KubeObject } from '../../api/types';
import { formatLabelSelector, formatLabels } from '../printers/format';
import { DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './common';

/** Go's `%v` of a []string. */
const goSlice = (items: string[] | undefined) => `[${(items ?? []).join(' ')}]`;

/** rbac.BreakdownRule: one rule per group × resource × resource name, and one per non-resource URL. */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? [])
    for (const resource of rule.resources ?? []) {
      if ((rule.resourceNames ?? []).length > 0)
        for (const name of rule.resourceNames ?? [])
          out.push({ apiGroups: [group], resources: [resource], verbs: rule.verbs, resourceNames: [name] });
      else out.push({ apiGroups: [group], resources: [resource], verbs: rule.verbs });
    }
  for (const url of rule.nonResourceURLs ?? []) out.push({ nonResourceURLs: [url], verbs: rule.verbs });
  return out;
}

/**
 * rbacv1.PolicyRule's generated String() (`&PolicyRule{Verbs:[get list],APIGroups:[apps],...}`): the key kubectl's
 * util/rbac SortableRuleSlice sorts by, for describe's rule table and `auth can-i --list` alike.
 */
function ruleString(r: PolicyRule): string {
  const v = (items: string[] | undefined) => `[${(items ?? []).join(' ')}]`;
  return `&PolicyRule{Verbs:${v(r.verbs)},APIGroups:${v(r.apiGroups)},Resources:${v(r.resources)},ResourceNames:${v(r.resourceNames)},NonResourceURLs:${v(r.nonResourceURLs)},}`;
}

/** Broken-down rules with the same single group/resource/name merged (their verbs appended), sorted. */
export function compactRules(rules: PolicyRule[] | undefined): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  const simpleOrder: PolicyRule[] = [];
  for (const rule of (rules ?? []).flatMap(breakdown)) {
    const isSimple =
      !rule.nonResourceURLs?.length &&
      rule.apiGroups?.length === 1 &&
      rule.resources?.length === 1 &&
      (rule.resourceNames?.length ?? 0) <= 1;
    if (!isSimple) {
      compacted.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups, rule.resources, rule.resourceNames ?? []]);
    const existing = simple.get(key);
    if (existing) existing.verbs = [...existing.verbs, ...(rule.verbs ?? [])];
    else {
      const copy = { ...rule, verbs: [...(rule.verbs ?? [])] };
      simple.set(key, copy);
      simpleOrder.push(copy);
    }
  }
  const all = [...compacted, ...simpleOrder];
  return all
    .map((rule, index) => ({ rule, index, key: ruleString(rule) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index))
    .map((r) => r.rule);
}

/** rbac CombineResourceGroup: `deployments.apps`, `pods/log`, `deployments.apps/scale`. */
function resourceGroup(r: PolicyRule): string {
  const resource = r.resources?.[0];
  if (resource === undefined) return '';
  const [base, sub] = resource.split(/\/(.*)/s);
  const group = r.apiGroups?.[0];
  return `${base}${group ? `.${group}` : ''}${sub !== undefined ? `/${sub}` : ''}`;
}

/** One row of a rule table: resource.group, non-resource URLs, resource names, verbs (TAB-separated). */
export function ruleRow(r: PolicyRule): string {
  return `${resourceGroup(r)}\t${goSlice(r.nonResourceURLs)}\t${goSlice(r.resourceNames)}\t${goSlice(r.verbs)}`;
}

export function describeRole(role: Role): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${role.metadata.name}\n`);
  writeLabels(w, 'Labels', role.metadata.labels);
  writeAnnotations(w, 'Annotations', role.metadata.annotations);
  w.write(0, 'PolicyRule:\n');
  w.write(1, 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n');
  w.write(1, '---------\t-----------------\t--------------\t-----\n');
  for (const r of compactRules(role.rules)) w.write(1, `${ruleRow(r)}\n`);
  return w;
}

export function describeRoleBinding(binding: RoleBinding): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${binding.metadata.name}\n`);
  writeLabels(w, 'Labels', binding.metadata.labels);
  writeAnnotations(w, 'Annotations', binding.metadata.annotations);
  w.write(0, 'Role:\n');
  w.write(1, `Kind:\t${binding.roleRef?.kind ?? ''}\n`);
  w.write(1, `Name:\t${binding.roleRef?.name ?? ''}\n`);
  w.write(0, 'Subjects:\n');
  w.write(1, 'Kind\tName\tNamespace\n');
  w.write(1, '----\t----\t---------\n');
  for (const s of binding.subjects ?? []) w.write(1, `${s.kind}\t${s.name}\t${s.namespace ?? ''}\n`);
  return w;
}

const SCOPE_HELP: Record<string, string> = {
  Terminating:
    'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating:
    'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort:
    'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort:
    'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** The used quantity in the hard one's format (whole units, rounded up) when their formats differ. */
function usedLike(used: string | undefined, hard: string): string {
  const u = parseQuantity(used ?? '0');
  const h = parseQuantity(hard);
  if (!u || !h || u.format === h.format) return u ? formatQuantity(u) : (used ?? '0');
  const whole = (u.milli + 999n) / 1000n;
  return formatQuantity({ milli: whole * 1000n, format: h.format });
}

export function describeResourceQuota(quota: ResourceQuota): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${quota.metadata.name}\n`);
  w.write(0, `Namespace:\t${quota.metadata.namespace ?? ''}\n`);
  const scopes = [...(quota.spec?.scopes ?? [])].sort();
  if (scopes.length > 0) {
    w.write(0, `Scopes:\t${scopes.join(', ')}\n`);
    for (const scope of scopes) if (SCOPE_HELP[scope]) w.write(0, ` * ${SCOPE_HELP[scope]}\n`);
  }
  w.write(0, 'Resource\tUsed\tHard\n');
  w.write(0, '--------\t----\t----\n');
  const hard = quota.status?.hard ?? {};
  for (const key of Object.keys(hard).sort())
    w.write(0, `${key}\t${usedLike(quota.status?.used?.[key], hard[key])}\t${hard[key]}\n`);
  return w;
}

export function describePriorityClass(
  pc: PriorityClass,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${pc.metadata.name}\n`);
  w.write(0, `Value:\t${pc.value}\n`);
  w.write(0, `GlobalDefault:\t${pc.globalDefault ?? false}\n`);
  w.write(0, `PreemptionPolicy:\t${pc.preemptionPolicy ?? 'PreemptLowerPriority'}\n`);
  w.write(0, `Description:\t${pc.description ?? ''}\n`);
  w.write(0, `Annotations:\t${formatLabels(pc.metadata.annotations)}\n`);
  if (events) writeEvents(w, events, now);
  return w;
}

export function describePodDisruptionBudget(
  pdb: PodDisruptionBudget,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${pdb.metadata.name}\n`);
  w.write(0, `Namespace:\t${pdb.metadata.namespace ?? ''}\n`);
  if (pdb.spec.minAvailable !== undefined) w.write(0, `Min available:\t${pdb.spec.minAvailable}\n`);
  else if (pdb.spec.maxUnavailable !== undefined)
    w.write(0, `Max unavailable:\t${pdb.spec.maxUnavailable}\n`);
  w.write(0, `Selector:\t${pdb.spec.selector ? formatLabelSelector(pdb.spec.selector) : '<unset>'}\n`);
  w.write(0, 'Status:\n');
  w.write(2, `Allowed disruptions:\t${pdb.status?.disruptionsAllowed ?? 0}\n`);
  w.write(2, `Current:\t${pdb.status?.currentHealthy ?? 0}\n`);
  w.write(2, `Desired:\t${pdb.status?.desiredHealthy ?? 0}\n`);
  w.write(2, `Total:\t${pdb.status?.expectedPods ?? 0}\n`);
  if (events) writeEvents(w, events, now);
  return w;
}

/** The describer of one of this file's kinds (RBAC objects and quotas have no Events section). */
export function describePolicyObject(
  obj: KubeObject,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  switch (obj.kind) {
    case 'Role':
    case 'ClusterRole':
      return describeRole(obj as Role);
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return describeRoleBinding(obj as RoleBinding);
    case 'ResourceQuota':
      return describeResourceQuota(obj as ResourceQuota);
    case 'PriorityClass':
      return describePriorityClass(obj as PriorityClass, events, now);
    default:
      return describePodDisruptionBudget(obj as PodDisruptionBudget, events, now);
  }
}

/**
 * describe.go DescribeResourceQuotas, in `describe namespace`: every quota by name, its scopes, then each
 * resource's used and hard quantities from its status (as stored, unlike `describe quota`).
 */
export function writeResourceQuotas(w: DescribeWriter, quotas: ResourceQuota[]): void {
  if (quotas.length === 0) {
    w.write(0, 'No resource quota.\n');
    return;
  }
  w.write(0, 'Resource Quotas\n');
  for (const q of [...quotas].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    w.write(1, `Name:\t${q.metadata.name}\n`);
    const scopes = [...(q.spec?.scopes ?? [])].sort();
    if (scopes.length > 0) {
      w.write(1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const scope of scopes) if (SCOPE_HELP[scope]) w.write(1, `* ${SCOPE_HELP[scope]}\n`);
    }
    w.write(1, 'Resource\tUsed\tHard\n');
    w.write(1, '--------\t---\t---\n');
    const hard = q.status?.hard ?? {};
    for (const key of Object.keys(hard).sort())
      w.write(1, `${key}\t${q.status?.used?.[key] ?? '0'}\t${hard[key]}\n`);
  }
}
