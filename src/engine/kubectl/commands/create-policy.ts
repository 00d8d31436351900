/**
 * `kubectl create role|clusterrole|rolebinding|clusterrolebinding|quota|priorityclass|poddisruptionbudget`:
 * kubectl v1.30's generators (cmd/create/create_*.go), their flag checks and error texts. Objects are built
 * with their fields in the API's (Go struct) order.
 */
import type {
  PodDisruptionBudget,
  PolicyRule,
  PriorityClass,
  ResourceQuota,
  Role,
  RoleBinding,
  Subject,
} from '../../api/policy-types';
import { parseQuantity, QUANTITY_REGEX_MESSAGE } from '../../api/quantity';
import { RBAC_GROUP, resourceFor } from '../../api/resources';
import { StatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import { parseToLabelSelector, SelectorSyntaxError } from '../../server/selectors';
import type { FlagSpec, ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext, RawError, UsageError } from '../context';
import { createAndPrint, DRY_RUN_FLAG } from './create-output';

const stringArray = (name: string, description: string): FlagSpec => ({
  name,
  type: 'stringArray',
  default: [],
  description,
});

/** pflag StringSlice: every occurrence, each split at commas. */
function slice(args: ParsedArgs, name: string): string[] {
  return (args.flags[name] as string[]).flatMap((v) => v.split(',')).filter((v) => v !== '');
}

function oneName(args: ParsedArgs): string {
  if (args.positional.length !== 1)
    throw new UsageError(`exactly one NAME is required, got ${args.positional.length}`);
  return args.positional[0];
}

/** Creates through the API; server errors are wrapped as kubectl's generator wraps them (`failed to create X: `). */
function createWith(ctx: KubectlContext, args: ParsedArgs, obj: KubeObject, wrap?: string): void {
  createAndPrint(ctx, args, obj, 'created', (o, opts) => {
    try {
      return ctx.cluster.api.create(o, opts);
    } catch (error) {
      if (wrap && error instanceof StatusError) throw new CommandError(`${wrap}${error.message}`);
      throw error;
    }
  });
}

const COMMON = [flag.output(), DRY_RUN_FLAG];

// ------------------------------------------------------------------ role / clusterrole

const VALID_VERBS = [
  '*',
  'get',
  'delete',
  'list',
  'create',
  'update',
  'patch',
  'watch',
  'proxy',
  'deletecollection',
  'use',
  'bind',
  'escalate',
  'impersonate',
];
const SPECIAL_VERBS: Record<string, string[]> = {
  use: ['podsecuritypolicies.policy', 'podsecuritypolicies.extensions'],
  bind: [`roles.${RBAC_GROUP}`, `clusterroles.${RBAC_GROUP}`],
  escalate: [`roles.${RBAC_GROUP}`, `clusterroles.${RBAC_GROUP}`],
  impersonate: ['users', 'serviceaccounts', 'groups', 'userextras.authentication.k8s.io'],
};

/** What `--resource` names, resolved against the engine's resource table (kubectl asks discovery). */
function resolveResources(specs: string[], verbs: string[]): { group: string; resource: string }[] {
  const out: { group: string; resource: string }[] = [];
  for (const spec of specs) {
    const [main, sub] = spec.split(/\/(.*)/s);
    const dot = main.indexOf('.');
    const name = dot >= 0 ? main.slice(0, dot) : main;
    const group = dot >= 0 ? main.slice(dot + 1) : '';
    if (name === '') throw new CommandError('resource must be specified if apiGroup/subresource specified');
    if (name === '*') {
      if (dot < 0 && sub === undefined) return [{ group, resource: '*' }];
      out.push({ group, resource: sub !== undefined ? `*/${sub}` : '*' });
      continue;
    }
    const info = resourceFor(group ? `${name}.${group}` : name);
    const resource = info?.resource ?? name;
    const resolvedGroup = info?.group ?? group;
    for (const verb of verbs) {
      const allowed = SPECIAL_VERBS[verb];
      if (allowed && !allowed.includes(resolvedGroup ? `${resource}.${resolvedGroup}` : resource))
        throw new CommandError(`can not perform '${verb}' on '${resource}' in group '${resolvedGroup}'`);
    }
    if (!info) throw new RawError(`the server doesn't have a resource type "${name}"`);
    out.push({ group: info.group, resource: sub !== undefined ? `${resource}/${sub}` : resource });
  }
  return out;
}

/** One rule per API group (groups sorted), resources in the order given, then a non-resource rule. */
function policyRules(
  verbs: string[],
  resources: { group: string; resource: string }[],
  names: string[],
  urls: string[],
): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const { group, resource } of resources) {
    const list = byGroup.get(group) ?? [];
    if (!list.includes(resource)) list.push(resource);
    byGroup.set(group, list);
  }
  const rules: PolicyRule[] = [...byGroup.keys()].sort().map((group) => {
    const rule: PolicyRule = { verbs, apiGroups: [group], resources: byGroup.get(group)! };
    if (names.length > 0) rule.resourceNames = names;
    return rule;
  });
  if (urls.length > 0) rules.push({ verbs, nonResourceURLs: urls });
  return rules;
}

function roleCommand(cluster: boolean): CommandDef {
  const kind = cluster ? 'ClusterRole' : 'Role';
  return {
    path: ['create', cluster ? 'clusterrole' : 'role'],
    short: cluster ? 'Create a cluster role' : 'Create a role with single rule',
    usage: cluster
      ? 'kubectl create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none]'
      : 'kubectl create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none]',
    flags: [
      stringArray('verb', 'Verb that applies to the resources contained in the rule'),
      stringArray('resource', 'Resource that the rule applies to'),
      stringArray(
        'resource-name',
        'Resource in the white list that the rule applies to, repeat this flag for multiple items',
      ),
      ...(cluster
        ? [
            stringArray('non-resource-url', 'A partial url that user should have access to.'),
            flag.string(
              'aggregation-rule',
              undefined,
              '',
              'An aggregation label selector for combining ClusterRoles.',
            ),
          ]
        : []),
      ...COMMON,
    ],
    run(ctx, args) {
      const name = oneName(args);
      const verbs = slice(args, 'verb');
      const resourceSpecs = slice(args, 'resource');
      const urls = cluster ? slice(args, 'non-resource-url') : [];
      const names = args.flags['resource-name'] as string[];
      const aggregation = cluster ? (args.flags['aggregation-rule'] as string) : '';
      const role: Role = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: kind as 'Role',
        metadata: { name, ...(cluster ? {} : { namespace: namespaceFlag(args) }) },
      };
      if (aggregation) {
        if (verbs.length || resourceSpecs.length || urls.length || names.length)
          throw new CommandError(
            'aggregation rule must be specified without nonResourceURLs, resources, verbs or resourceNames',
          );
        const labels: Record<string, string> = {};
        for (const pair of aggregation.split(',')) {
          const [k, v, more] = pair.split('=');
          if (!k || v === undefined || more !== undefined)
            throw new CommandError(
              `invalid argument "${aggregation}" for "--aggregation-rule" flag: ${pair} must be formatted as key=value`,
            );
          labels[k] = v;
        }
        // ClusterRole.Rules has no omitempty: an aggregated role is printed with `rules: null`.
        Object.assign(role, {
          rules: null,
          aggregationRule: { clusterRoleSelectors: [{ matchLabels: labels }] },
        });
        createWith(ctx, args, role);
        return;
      }
      if (verbs.length === 0) throw new CommandError('at least one verb must be specified');
      if (resourceSpecs.length === 0 && urls.length === 0)
        throw new CommandError(
          cluster
            ? 'one of resource or nonResourceURL must be specified'
            : 'at least one resource must be specified',
        );
      for (const verb of verbs)
        if (!VALID_VERBS.includes(verb)) ctx.stderr(`Warning: '${verb}' is not a standard resource verb\n`);
      for (const url of urls) {
        if (!url.startsWith('/')) throw new CommandError('nonResourceURL should start with /');
        if (url.slice(0, -1).includes('*'))
          throw new CommandError("nonResourceURL only supports wildcard matches when '*' is at the end");
      }
      const resources = resolveResources(resourceSpecs, verbs);
      role.rules = policyRules(verbs, resources, names, urls);
      createWith(ctx, args, role);
    },
  };
}

export const createRoleCommand = roleCommand(false);
export const createClusterRoleCommand = roleCommand(true);

// ------------------------------------------------------------------ rolebinding / clusterrolebinding

function bindingCommand(cluster: boolean): CommandDef {
  const kind = cluster ? 'ClusterRoleBinding' : 'RoleBinding';
  const noun = cluster ? 'clusterrolebinding' : 'rolebinding';
  return {
    path: ['create', noun],
    short: cluster
      ? 'Create a cluster role binding for a particular cluster role'
      : 'Create a role binding for a particular role or cluster role',
    usage: cluster
      ? 'kubectl create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]'
      : 'kubectl create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
    flags: [
      flag.string('clusterrole', undefined, '', 'ClusterRole this binding should reference'),
      ...(cluster ? [] : [flag.string('role', undefined, '', 'Role this RoleBinding should reference')]),
      stringArray('user', 'Usernames to bind to the role. The flag can be repeated to add multiple users.'),
      stringArray('group', 'Groups to bind to the role. The flag can be repeated to add multiple groups.'),
      stringArray(
        'serviceaccount',
        'Service accounts to bind to the role, in the format <namespace>:<name>.',
      ),
      ...COMMON,
    ],
    run(ctx, args) {
      const clusterRole = args.flags.clusterrole as string;
      const role = cluster ? '' : (args.flags.role as string);
      if (cluster && !clusterRole) throw new CommandError('required flag(s) "clusterrole" not set');
      const name = oneName(args);
      if (!cluster && (clusterRole === '') === (role === ''))
        throw new CommandError('exactly one of clusterrole or role must be specified');
      const subjects: Subject[] = [];
      for (const user of args.flags.user as string[])
        subjects.push({ kind: 'User', apiGroup: RBAC_GROUP, name: user });
      for (const group of args.flags.group as string[])
        subjects.push({ kind: 'Group', apiGroup: RBAC_GROUP, name: group });
      for (const sa of args.flags.serviceaccount as string[]) {
        const parts = sa.split(':');
        if (parts.length !== 2 || parts[0] === '' || parts[1] === '')
          throw new CommandError('serviceaccount must be <namespace>:<name>');
        subjects.push({ kind: 'ServiceAccount', name: parts[1], namespace: parts[0] });
      }
      const binding: RoleBinding = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: kind as 'RoleBinding',
        metadata: { name, ...(cluster ? {} : { namespace: namespaceFlag(args) }) },
        ...(subjects.length > 0 ? { subjects } : {}),
        roleRef: { apiGroup: RBAC_GROUP, kind: role ? 'Role' : 'ClusterRole', name: role || clusterRole },
      };
      createWith(ctx, args, binding, `failed to create ${noun}: `);
    },
  };
}

export const createRoleBindingCommand = bindingCommand(false);
export const createClusterRoleBindingCommand = bindingCommand(true);

// ------------------------------------------------------------------ quota

export const createQuotaCommand: CommandDef = {
  path: ['create', 'quota'],
  aliases: ['resourcequota'],
  short: 'Create a quota with the specified name',
  usage:
    'kubectl create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] [--dry-run=server|client|none]',
  flags: [
    flag.string(
      'hard',
      undefined,
      '',
      'A comma-delimited set of resource=quantity pairs that define a hard limit.',
    ),
    flag.string(
      'scopes',
      undefined,
      '',
      'A comma-delimited set of quota scopes that must all match each object tracked by the quota.',
    ),
    ...COMMON,
  ],
  run(ctx, args) {
    const name = oneName(args);
    const spec: ResourceQuota['spec'] = {};
    const hardText = args.flags.hard as string;
    if (hardText) {
      const hard: Record<string, string> = {};
      for (const item of hardText.split(',')) {
        const eq = item.indexOf('=');
        if (eq <= 0 || item.indexOf('=', eq + 1) >= 0)
          throw new CommandError(`Invalid argument syntax ${item}, expected <resource>=<value>`);
        const value = item.slice(eq + 1);
        if (!parseQuantity(value)) throw new CommandError(QUANTITY_REGEX_MESSAGE);
        hard[item.slice(0, eq)] = value;
      }
      spec.hard = Object.fromEntries(
        Object.keys(hard)
          .sort()
          .map((k) => [k, hard[k]]),
      );
    }
    const scopes = (args.flags.scopes as string)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (scopes.length > 0) spec.scopes = scopes;
    const quota: ResourceQuota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name, namespace: namespaceFlag(args) },
      spec,
    };
    createWith(ctx, args, quota, 'failed to create quota: ');
  },
};

// ------------------------------------------------------------------ priorityclass

export const createPriorityClassCommand: CommandDef = {
  path: ['create', 'priorityclass'],
  aliases: ['pc'],
  short: 'Create a priority class with the specified name',
  usage:
    'kubectl create priorityclass NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none]',
  flags: [
    flag.int('value', undefined, 0, 'the value of this priority class.'),
    flag.bool(
      'global-default',
      undefined,
      false,
      'global-default specifies whether this PriorityClass should be considered as the default priority.',
    ),
    flag.string(
      'description',
      undefined,
      '',
      'description is an arbitrary string that usually provides guidelines on when this priority class should be used.',
    ),
    flag.string(
      'preemption-policy',
      undefined,
      'PreemptLowerPriority',
      'preemption-policy is the policy for preempting pods with lower priority.',
    ),
    ...COMMON,
  ],
  run(ctx, args) {
    const name = oneName(args);
    const value = args.flags.value as number;
    if (value > 2147483647 || value < -2147483648)
      throw new CommandError(
        `invalid argument "${value}" for "--value" flag: strconv.ParseInt: parsing "${value}": value out of range`,
      );
    const pc: PriorityClass = {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name },
      value,
    };
    if (args.flags['global-default']) pc.globalDefault = true;
    if (args.flags.description) pc.description = args.flags.description as string;
    pc.preemptionPolicy = args.flags['preemption-policy'] as string;
    createWith(ctx, args, pc, 'failed to create priorityclass: ');
  },
};

// ------------------------------------------------------------------ poddisruptionbudget

const intOrString = (text: string): number | string => (/^-?\d+$/.test(text) ? Number(text) : text);

/** intstr.GetScaledValueFromIntOrPercent accepts an integer or `<int>%`. */
const validIntOrPercent = (text: string) => /^-?\d+$/.test(text) || /^-?\d+%$/.test(text);

export const createPdbCommand: CommandDef = {
  path: ['create', 'poddisruptionbudget'],
  aliases: ['pdb'],
  short: 'Create a pod disruption budget with the specified name',
  usage:
    'kubectl create poddisruptionbudget NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none]',
  flags: [
    flag.string(
      'min-available',
      undefined,
      '',
      'The minimum number or percentage of available pods this budget requires.',
    ),
    flag.string(
      'max-unavailable',
      undefined,
      '',
      'The maximum number or percentage of unavailable pods this budget requires.',
    ),
    flag.string('selector', undefined, '', 'A label selector to use for this budget.'),
    ...COMMON,
  ],
  run(ctx, args) {
    const name = oneName(args);
    const min = args.flags['min-available'] as string;
    const max = args.flags['max-unavailable'] as string;
    const selectorText = args.flags.selector as string;
    if (!selectorText) throw new CommandError('a selector must be specified');
    if (!min && !max) throw new CommandError('one of min-available or max-unavailable must be specified');
    if (min && max) throw new CommandError('min-available and max-unavailable cannot be both specified');
    if (min && !validIntOrPercent(min)) throw new CommandError('invalid format specified for min-available');
    if (max && !validIntOrPercent(max))
      throw new CommandError('invalid format specified for max-unavailable');
    let selector;
    try {
      selector = parseToLabelSelector(selectorText);
    } catch (error) {
      if (!(error instanceof SelectorSyntaxError)) throw error;
      throw new CommandError(`couldn't parse the selector string "${selectorText}": ${error.message}`);
    }
    const spec: PodDisruptionBudget['spec'] = {};
    if (min) spec.minAvailable = intOrString(min);
    spec.selector = selector;
    if (max) spec.maxUnavailable = intOrString(max);
    const pdb: PodDisruptionBudget = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace: namespaceFlag(args) },
      spec,
    };
    createWith(ctx, args, pdb, 'failed to create poddisruptionbudgets: ');
  },
};
