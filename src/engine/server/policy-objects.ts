/**
 * Defaulting and validation (the registry strategies) for RBAC objects, ResourceQuota, PriorityClass and
 * PodDisruptionBudget, with the real field-error texts.
 */
import type {
  ClusterRole,
  LimitRange,
  PodDisruptionBudget,
  PolicyRule,
  PriorityClass,
  ResourceQuota,
  Role,
  RoleBinding,
} from '../api/policy-types';
import { RBAC_GROUP } from '../api/resources';
import { canonicalQuantity, parseQuantity, QUANTITY_REGEX_MESSAGE } from '../api/quantity';
import type { StatusCause } from '../api/status-error';
import type { KubeObject } from '../api/types';
import { defaultLimitRange, validateLimitRange } from './limit-range-objects';
import { invalidValue, isDns1123Subdomain, required, unsupported, validateLabels } from './validation';

export const POLICY_KINDS = new Set([
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ResourceQuota',
  'LimitRange',
  'PriorityClass',
  'PodDisruptionBudget',
]);

/** Resource names a quota may limit without a `/` (quota/v1 standard names). */
export const STANDARD_QUOTA_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
  'cpu',
  'memory',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'ephemeral-storage',
]);

const QUOTA_SCOPES = [
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'CrossNamespacePodAffinity',
];

/** The highest value a user-defined PriorityClass may have (scheduling.HighestUserDefinablePriority). */
export const HIGHEST_USER_PRIORITY = 1_000_000_000;
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

export function defaultPolicyObject(obj: KubeObject): void {
  switch (obj.kind) {
    case 'PriorityClass': {
      const pc = obj as PriorityClass;
      pc.preemptionPolicy ??= 'PreemptLowerPriority';
      return;
    }
    case 'ResourceQuota': {
      const quota = obj as ResourceQuota;
      quota.spec ??= {};
      const hard = quota.spec.hard;
      if (hard) for (const key of Object.keys(hard)) hard[key] = canonicalQuantity(String(hard[key]));
      return;
    }
    case 'LimitRange':
      return defaultLimitRange(obj as LimitRange);
    case 'PodDisruptionBudget': {
      const pdb = obj as PodDisruptionBudget;
      pdb.spec ??= {};
      // A new budget's status is all zeros until the disruption controller fills it; the counters are plain Go
      // ints, always present (a protobuf body from kubectl 1.32+ brings `status: {}` without them).
      pdb.status = {
        disruptionsAllowed: 0,
        currentHealthy: 0,
        desiredHealthy: 0,
        expectedPods: 0,
        ...pdb.status,
      };
      return;
    }
  }
}

function validateRules(rules: PolicyRule[] | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  (Array.isArray(rules) ? rules : []).forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (!rule || !Array.isArray(rule.verbs) || rule.verbs.length === 0)
      causes.push(required(`${at}.verbs`, 'verbs must contain at least one value'));
    const nonResource = rule?.nonResourceURLs ?? [];
    const resources = rule?.resources ?? [];
    if (nonResource.length > 0 && (resources.length > 0 || (rule.apiGroups ?? []).length > 0))
      causes.push({
        field: `${at}.nonResourceURLs`,
        message:
          'Invalid value: []string{' +
          nonResource.map((u) => JSON.stringify(u)).join(', ') +
          '}: rules cannot apply to both regular resources and non-resource URLs',
      });
    else if (nonResource.length === 0) {
      if ((rule?.apiGroups ?? []).length === 0)
        causes.push(required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
      if (resources.length === 0)
        causes.push(required(`${at}.resources`, 'resource rules must supply at least one resource'));
    }
  });
  return causes;
}

function validateBinding(binding: RoleBinding): StatusCause[] {
  const causes: StatusCause[] = [];
  const ref = binding.roleRef;
  const kinds = binding.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!ref || typeof ref !== 'object') return [required('roleRef.name')];
  if (ref.apiGroup !== RBAC_GROUP)
    causes.push(unsupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  if (!kinds.includes(ref.kind)) causes.push(unsupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) causes.push(required('roleRef.name'));
  else for (const msg of isDns1123Path(ref.name)) causes.push(invalidValue('roleRef.name', ref.name, msg));
  (Array.isArray(binding.subjects) ? binding.subjects : []).forEach((subject, i) => {
    const at = `subjects[${i}]`;
    if (!subject?.name) causes.push(required(`${at}.name`));
    switch (subject?.kind) {
      case 'ServiceAccount':
        if (subject.apiGroup) causes.push(unsupported(`${at}.apiGroup`, subject.apiGroup, ['']));
        if (!subject.namespace && binding.kind === 'ClusterRoleBinding')
          causes.push(required(`${at}.namespace`));
        break;
      case 'User':
      case 'Group':
        if (subject.apiGroup !== RBAC_GROUP)
          causes.push(unsupported(`${at}.apiGroup`, subject.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        causes.push(
          unsupported(`${at}.kind`, String(subject?.kind ?? ''), ['ServiceAccount', 'User', 'Group']),
        );
    }
  });
  return causes;
}

/** Role names are path segments: anything but `.`/`..` and names containing `/` or `%` (ValidateRBACName). */
function isDns1123Path(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  for (const bad of ['/', '%']) if (name.includes(bad)) return [`may not contain '${bad}'`];
  return [];
}

function validateQuota(quota: ResourceQuota): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(quota.spec?.hard ?? {})) {
    const at = `spec.hard[${key}]`;
    if (!key.includes('/') && !STANDARD_QUOTA_RESOURCES.has(key))
      causes.push(invalidValue(at, key, 'must be a standard resource for quota'));
    const q = parseQuantity(String(value));
    if (!q) causes.push(invalidValue(at, String(value), QUANTITY_REGEX_MESSAGE));
    else if (q.milli < 0n) causes.push(invalidValue(at, String(value), 'must be greater than or equal to 0'));
  }
  (quota.spec?.scopes ?? []).forEach((scope, i) => {
    if (!QUOTA_SCOPES.includes(scope))
      causes.push(invalidValue(`spec.scopes[${i}]`, scope, 'unsupported scope'));
  });
  return causes;
}

function validatePriorityClass(pc: PriorityClass): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = pc.metadata.name ?? '';
  const system = SYSTEM_PRIORITY_CLASSES[name];
  if (name.startsWith('system-') && system === undefined)
    causes.push({
      field: 'metadata.name',
      message: "Forbidden: priority class names with 'system-' prefix are reserved for system use only",
    });
  if (typeof pc.value !== 'number' || !Number.isInteger(pc.value)) causes.push(required('value'));
  else if (system === undefined && pc.value > HIGHEST_USER_PRIORITY)
    causes.push({
      field: 'value',
      message: `Forbidden: maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`,
    });
  const policy = pc.preemptionPolicy;
  if (policy !== 'PreemptLowerPriority' && policy !== 'Never')
    causes.push(unsupported('preemptionPolicy', String(policy), ['Never', 'PreemptLowerPriority']));
  return causes;
}

function validateIntOrPercent(field: string, value: number | string | undefined): StatusCause[] {
  if (value === undefined) return [];
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0)
      return [invalidValue(field, value, 'must be greater than or equal to 0')];
    return [];
  }
  const match = /^(\d+)%$/.exec(String(value));
  if (!match)
    return [
      invalidValue(
        field,
        String(value),
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
    ];
  if (Number(match[1]) > 100) return [invalidValue(field, String(value), 'must not be greater than 100%')];
  return [];
}

function validatePdb(pdb: PodDisruptionBudget): StatusCause[] {
  const spec = pdb.spec ?? {};
  const causes: StatusCause[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined)
    causes.push({
      field: 'spec',
      message: 'Invalid value: "": minAvailable and maxUnavailable cannot be both set',
    });
  causes.push(...validateIntOrPercent('spec.minAvailable', spec.minAvailable));
  causes.push(...validateIntOrPercent('spec.maxUnavailable', spec.maxUnavailable));
  causes.push(...validateLabels('spec.selector.matchLabels', spec.selector?.matchLabels));
  return causes;
}

/** Per-kind causes for the kinds of this file (metadata is checked by the caller). */
export function validatePolicyObject(obj: KubeObject): StatusCause[] {
  switch (obj.kind) {
    case 'Role':
      return validateRules((obj as Role).rules);
    case 'ClusterRole':
      return (obj as ClusterRole).aggregationRule ? [] : validateRules((obj as ClusterRole).rules);
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return validateBinding(obj as RoleBinding);
    case 'ResourceQuota':
      return validateQuota(obj as ResourceQuota);
    case 'LimitRange':
      return validateLimitRange(obj as LimitRange);
    case 'PriorityClass':
      return validatePriorityClass(obj as PriorityClass);
    case 'PodDisruptionBudget':
      return validatePdb(obj as PodDisruptionBudget);
    default:
      return [];
  }
}

/** The name rule for the kinds of this file: RBAC names are path segments, the others DNS subdomains. */
export function policyNameRule(kind: string): ((name: string) => string[]) | undefined {
  if (kind === 'Role' || kind === 'ClusterRole' || kind === 'RoleBinding' || kind === 'ClusterRoleBinding')
    return isDns1123Path;
  if (POLICY_KINDS.has(kind)) return isDns1123Subdomain;
  return undefined;
}

/** Fields that may not change after creation. */
export function immutablePolicyCauses(old: KubeObject, next: KubeObject): StatusCause[] {
  if (next.kind === 'RoleBinding' || next.kind === 'ClusterRoleBinding') {
    const a = (old as RoleBinding).roleRef;
    const b = (next as RoleBinding).roleRef;
    if (JSON.stringify(a) !== JSON.stringify(b))
      return [
        {
          field: 'roleRef',
          message: `Invalid value: rbac.RoleRef{APIGroup:"${b?.apiGroup ?? ''}", Kind:"${b?.kind ?? ''}", Name:"${b?.name ?? ''}"}: cannot change roleRef`,
        },
      ];
  }
  if (next.kind === 'PriorityClass' && (old as PriorityClass).value !== (next as PriorityClass).value)
    return [{ field: 'value', message: 'Forbidden: may not be changed in an update.' }];
  return [];
}
