/**
 * `kubectl auth can-i VERB TYPE[/NAME] | VERB /URL [--subresource] [-A] [--list] [-q] [--as] [--as-group]`
 * (cmd/auth/cani.go), answered by the engine's RBAC authorizer: the student is minikube's user (system:masters),
 * `--as` impersonates a user or `system:serviceaccount:NS:NAME`. `no` exits 1.
 */
import { resourceFor } from '../../api/resources';
import { authorize, impersonated, MINIKUBE_USER, rulesFor } from '../../server/rbac';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext, RawError } from '../context';
import { compactRules, ruleRow } from '../describe/policy';
import { GET_TABLE_OPTIONS, alignTabs } from '../printers/tabwriter';

const KNOWN_VERBS = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'use',
  'bind',
  'impersonate',
  '*',
];
const TWO_ARGS = `error: you must specify two arguments: verb resource or verb resource/resourceName.
See 'kubectl auth can-i -h' for help and examples.`;

function userOf(args: ParsedArgs) {
  const as = args.flags.as as string;
  const groups = args.flags['as-group'] as string[];
  if (!as && groups.length > 0)
    throw new CommandError('requesting groups or user-extra for  without impersonating a user');
  return as ? impersonated(as, groups) : MINIKUBE_USER;
}

function list(ctx: KubectlContext, args: ParsedArgs): number {
  if (args.positional.length > 0) throw new CommandError('list option must be specified with no arguments');
  const all = args.flags['all-namespaces'] as boolean;
  const rules = rulesFor(ctx.cluster.store, userOf(args), all ? undefined : namespaceFlag(args));
  const lines = compactRules(rules).map((r) => `${ruleRow(r)}\n`);
  const header = args.flags['no-headers'] ? '' : 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n';
  ctx.stdout(alignTabs(header + lines.join(''), GET_TABLE_OPTIONS));
  return 0;
}

export const authCanICommand: CommandDef = {
  path: ['auth', 'can-i'],
  short: 'Check whether an action is allowed',
  usage: 'kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]',
  flags: [
    flag.allNamespaces(),
    flag.bool('list', undefined, false, 'If true, prints all allowed actions.'),
    flag.bool('no-headers', undefined, false, 'If true, prints allowed actions without headers'),
    flag.bool('quiet', 'q', false, 'If true, suppress output and just return the exit code.'),
    flag.string('subresource', undefined, '', 'SubResource such as pod/log or deployment/scale'),
    flag.string('as', undefined, '', 'Username to impersonate for the operation.'),
    {
      name: 'as-group',
      type: 'stringArray',
      default: [],
      description: 'Group to impersonate for the operation.',
    },
  ],
  run(ctx, args) {
    if (args.flags.list) return list(ctx, args);
    if (args.positional.length !== 2) throw new RawError(TWO_ARGS);
    const [verb, target] = args.positional;
    const quiet = args.flags.quiet as boolean;
    const warn = (text: string) => {
      if (!quiet) ctx.stderr(`Warning: ${text}\n\n`);
    };
    const all = args.flags['all-namespaces'] as boolean;
    const namespace = all ? undefined : namespaceFlag(args);
    if (!KNOWN_VERBS.includes(verb)) warn(`verb '${verb}' is not a known verb`);
    let allowed: boolean;
    const user = userOf(args);
    if (target.startsWith('/')) {
      allowed = authorize(ctx.cluster.store, user, { verb, resource: '', group: '', nonResourceURL: target });
    } else {
      const slash = target.indexOf('/');
      const type = slash >= 0 ? target.slice(0, slash) : target;
      const name = slash >= 0 ? target.slice(slash + 1) : undefined;
      const info = resourceFor(type);
      const dot = type.indexOf('.');
      let resource = info?.resource ?? (dot >= 0 ? type.slice(0, dot) : type);
      let group = info?.group ?? (dot >= 0 ? type.slice(dot + 1) : '');
      if (type === '*') [resource, group] = ['*', '*'];
      else if (!info) warn(`the server doesn't have a resource type '${type}'`);
      if (info && !info.namespaced && args.changed.has('namespace'))
        warn(`resource '${info.resource}' is not namespace scoped`);
      const subresource = (args.flags.subresource as string) || undefined;
      allowed = authorize(ctx.cluster.store, user, {
        verb,
        resource,
        group,
        subresource,
        name,
        namespace: info && !info.namespaced ? undefined : namespace,
      });
    }
    if (!quiet) ctx.stdout(allowed ? 'yes\n' : 'no\n');
    return allowed ? 0 : 1;
  },
};
