/**
 * `kubectl auth can-i VERB TYPE[/NAME] | VERB /URL [--subresource] [-A] [--list] [-q]` (cmd/auth/cani.go): a
 * SelfSubjectAccessReview (`--list`: a SelfSubjectRulesReview) answered by server/reviews.ts, exactly what
 * `engine serve` answers real kubectl. The student is minikube's user (system:masters); the global `--as`
 * (impersonation.ts) makes it a user or `system:serviceaccount:NS:NAME`. `no` exits 1.
 */
import type { PolicyRule } from '../../api/policy-types';
import { resourceFor } from '../../api/resources';
import { MINIKUBE_USER } from '../../server/rbac';
import { review } from '../../server/reviews';
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

const SSAR = { group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' };
const SSRR = { group: 'authorization.k8s.io', resource: 'selfsubjectrulesreviews' };

/** Posts a review as the command's user and returns its status. */
function ask(ctx: KubectlContext, target: typeof SSAR, kind: string, spec: object): Record<string, unknown> {
  const body = { kind, apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec };
  const answer = review(ctx.cluster.store, ctx.user ?? MINIKUBE_USER, target, body);
  return answer.status as Record<string, unknown>;
}

function list(ctx: KubectlContext, args: ParsedArgs): number {
  if (args.positional.length > 0) throw new CommandError('list option must be specified with no arguments');
  const all = args.flags['all-namespaces'] as boolean;
  // -A asks with no namespace: only cluster-wide bindings count then.
  const status = ask(ctx, SSRR, 'SelfSubjectRulesReview', { namespace: all ? '' : namespaceFlag(args) });
  const rules = [...(status.resourceRules as PolicyRule[]), ...(status.nonResourceRules as PolicyRule[])];
  const lines = compactRules(rules).map((rule) => `${ruleRow(rule)}\n`);
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
    let spec: object;
    if (target.startsWith('/')) {
      spec = { nonResourceAttributes: { path: target, verb } };
    } else {
      const slash = target.indexOf('/');
      const type = slash >= 0 ? target.slice(0, slash) : target;
      const name = slash >= 0 ? target.slice(slash + 1) : undefined;
      // TYPE or TYPE.GROUP (schema.ParseGroupResource splits at the first dot).
      const dot = type.indexOf('.');
      const qualified = dot >= 0 ? resourceFor(type.slice(0, dot)) : undefined;
      const info = resourceFor(type) ?? (qualified?.group === type.slice(dot + 1) ? qualified : undefined);
      // A type the server does not know is asked about as typed, in the core group (cani.go resourceFor).
      let resource = info?.resource ?? type;
      let group = info?.group ?? '';
      if (type === '*') [resource, group] = ['*', '*'];
      else if (!info)
        warn(
          dot >= 0
            ? `the server doesn't have a resource type '${type.slice(0, dot)}' in group '${type.slice(dot + 1)}'`
            : `the server doesn't have a resource type '${type}'`,
        );
      // The kubeconfig's context names a namespace (minikube's: default), so only -A leaves it out.
      if (info && !info.namespaced && namespace !== undefined)
        warn(
          `resource '${info.resource}' is not namespace scoped${info.group ? ` in group '${info.group}'` : ''}`,
        );
      const subresource = (args.flags.subresource as string) || undefined;
      spec = {
        resourceAttributes: {
          namespace: info && !info.namespaced ? undefined : namespace,
          verb,
          group,
          resource,
          subresource,
          name,
        },
      };
    }
    const allowed = ask(ctx, SSAR, 'SelfSubjectAccessReview', spec).allowed === true;
    if (!quiet) ctx.stdout(allowed ? 'yes\n' : 'no\n');
    return allowed ? 0 : 1;
  },
};
