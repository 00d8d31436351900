/** Server-side table columns of the RBAC kinds, ResourceQuota, PriorityClass and PodDisruptionBudget. */
import type {
  PodDisruptionBudget,
  PriorityClass,
  ResourceQuota,
  RoleBinding,
  Subject,
} from '../../api/policy-types';
import type { KubeObject } from '../../api/types';
import { ageSince } from '../duration';
import type { Column } from './columns';

const name: Column<KubeObject> = { header: 'NAME', cell: (o) => o.metadata.name };
const age: Column<KubeObject> = {
  header: 'AGE',
  cell: (o, now) => ageSince(o.metadata.creationTimestamp, now),
};

/** The API server's default table for kinds without a printer: NAME and CREATED AT (RFC 3339). */
export const defaultTableColumns: Column<KubeObject>[] = [
  name,
  { header: 'CREATED AT', cell: (o) => o.metadata.creationTimestamp ?? '' },
];

/** rbac SubjectsStrings: users, groups and service accounts (`ns/name`) of a binding. */
export function bindingSubjects(subjects: Subject[] | undefined): {
  users: string[];
  groups: string[];
  serviceAccounts: string[];
} {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of subjects ?? []) {
    if (s.kind === 'User') out.users.push(s.name);
    else if (s.kind === 'Group') out.groups.push(s.name);
    else if (s.kind === 'ServiceAccount') out.serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
  }
  return out;
}

export const roleBindingColumns: Column<RoleBinding>[] = [
  name,
  { header: 'ROLE', cell: (b) => `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}` },
  age,
  { header: 'USERS', wide: true, cell: (b) => bindingSubjects(b.subjects).users.join(', ') },
  { header: 'GROUPS', wide: true, cell: (b) => bindingSubjects(b.subjects).groups.join(', ') },
  {
    header: 'SERVICEACCOUNTS',
    wide: true,
    cell: (b) => bindingSubjects(b.subjects).serviceAccounts.join(', '),
  },
];

/** printResourceQuota: `<name>: <used>/<hard>` sorted, `limits.*` under LIMIT, the rest under REQUEST. */
function quotaCell(quota: ResourceQuota, limits: boolean): string {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  return Object.keys(hard)
    .sort()
    .filter((k) => k.startsWith('limits.') === limits)
    .map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`)
    .join(', ');
}

export const resourceQuotaColumns: Column<ResourceQuota>[] = [
  name,
  age,
  { header: 'REQUEST', cell: (q) => quotaCell(q, false) },
  { header: 'LIMIT', cell: (q) => quotaCell(q, true) },
];

export const priorityClassColumns: Column<PriorityClass>[] = [
  name,
  { header: 'VALUE', cell: (p) => String(p.value) },
  { header: 'GLOBAL-DEFAULT', cell: (p) => String(p.globalDefault ?? false) },
  age,
];

const intOrString = (v: number | string | undefined) => (v === undefined ? 'N/A' : String(v));

export const podDisruptionBudgetColumns: Column<PodDisruptionBudget>[] = [
  name,
  { header: 'MIN AVAILABLE', cell: (p) => intOrString(p.spec.minAvailable) },
  { header: 'MAX UNAVAILABLE', cell: (p) => intOrString(p.spec.maxUnavailable) },
  { header: 'ALLOWED DISRUPTIONS', cell: (p) => String(p.status?.disruptionsAllowed ?? 0) },
  age,
];

export const POLICY_COLUMNS = {
  roles: defaultTableColumns,
  clusterroles: defaultTableColumns,
  rolebindings: roleBindingColumns,
  clusterrolebindings: roleBindingColumns,
  resourcequotas: resourceQuotaColumns,
  limitranges: defaultTableColumns,
  priorityclasses: priorityClassColumns,
  poddisruptionbudgets: podDisruptionBudgetColumns,
} as const;
