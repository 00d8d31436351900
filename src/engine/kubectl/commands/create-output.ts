import type { ResourceInfo } from '../../api/resources';
import type { KubeObject } from '../../api/types';
import type { WriteOptions } from '../../server/api-server';
import type { FlagSpec, ParsedArgs } from '../argv';
import { CommandError, KubectlContext } from '../context';
import { klogHeader, kubectlPid } from '../klog';
import { parseOutputFormat, printObjects, successLine } from '../output';

export const DRY_RUN_FLAG: FlagSpec = {
  name: 'dry-run',
  type: 'string',
  default: 'none',
  noOptDefault: 'unchanged',
  description:
    'Must be "none", "server", or "client". If client strategy, only print the object that would be sent.',
};

/**
 * Creates an object built on the client side (create deployment, run, expose) and prints the result like kubectl:
 * the success line, `-o name|yaml|json`, or with `--dry-run=client` the object that would have been sent. The
 * generators print a typed object (JSON in struct order); `create -f` prints the server's answer as unstructured
 * (`typed` false: sorted keys).
 */
export function createAndPrint(
  ctx: KubectlContext,
  args: ParsedArgs,
  obj: KubeObject,
  operation: string,
  create: (obj: KubeObject, opts: WriteOptions) => KubeObject,
  typed = true,
): void {
  createThenPrint(ctx, args, obj, operation, create, typed)();
}

/** createAndPrint in two steps, for commands that print their objects in another order than they create them. */
export function createThenPrint(
  ctx: KubectlContext,
  args: ParsedArgs,
  obj: KubeObject,
  operation: string,
  create: (obj: KubeObject, opts: WriteOptions) => KubeObject,
  typed = true,
): () => void {
  const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
  const output = args.flags.output as string;
  const format = output ? parseOutputFormat(output, false, (args.flags.template as string) ?? '') : undefined;
  const info = ctx.cluster.api.resourceFor(obj.kind) as ResourceInfo;
  const result =
    dryRun === 'client'
      ? clientView(obj, args.changed.has('namespace'))
      : create(obj, { dryRun: dryRun === 'server' });
  // ObjectMeta.name is `omitempty`: `kubectl create deployment '' ...` prints no name.
  if (result.metadata.name === '') delete (result.metadata as { name?: string }).name;
  return () => {
    if (format) ctx.stdout(printObjects([result], format, true, () => info, typed));
    else {
      // The name printer names what the server answered: a Binding's create answers a Status (`status/<unknown>`).
      const named = result.kind === 'Status' ? { ...info, kind: 'Status', group: '' } : info;
      ctx.stdout(successLine(named, result.metadata.name, withDryRunSuffix(operation, dryRun)));
    }
  };
}

/** kubectl's PrintFlagsWithDryRunStrategy: `created (dry run)`, `created (server dry run)`. */
export function withDryRunSuffix(operation: string, dryRun: 'none' | 'client' | 'server'): string {
  if (dryRun === 'client') return `${operation} (dry run)`;
  if (dryRun === 'server') return `${operation} (server dry run)`;
  return operation;
}

/**
 * cmdutil.GetDryRunStrategy: `none`, `client` or `server`; the old boolean forms still work with a klog warning
 * (`--dry-run` alone and `--dry-run=true` mean client, `--dry-run=false` none).
 */
export function dryRunStrategy(ctx: KubectlContext, value: string): 'none' | 'client' | 'server' {
  const warn = (line: number, text: string) =>
    ctx.stderr(
      `${klogHeader('W', ctx.cluster.clock.now(), kubectlPid(ctx.cluster.clock.now()), `helpers.go:${line}`)}${text}\n`,
    );
  switch (value) {
    case 'none':
    case 'client':
    case 'server':
      return value;
    case 'unchanged':
      warn(703, '--dry-run is deprecated and can be replaced with --dry-run=client.');
      return 'client';
    case 'true':
      warn(717, '--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.');
      return 'client';
    case 'false':
      warn(720, '--dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.');
      return 'none';
    default:
      throw new CommandError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
  }
}

const STATUSLESS_KINDS = new Set([
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'PriorityClass',
]);

/** What kubectl prints for a client-side dry run: no server fields, `creationTimestamp: null`, empty status. */
function clientView(obj: KubeObject, namespaceGiven: boolean): KubeObject {
  const copy = JSON.parse(JSON.stringify(obj)) as KubeObject & { spec?: Record<string, unknown> };
  const metadata = copy.metadata as unknown as Record<string, unknown>;
  metadata.creationTimestamp = null;
  if (!namespaceGiven) delete metadata.namespace;
  if (copy.kind === 'Deployment' && copy.spec) copy.spec.strategy ??= {};
  // Kinds without a status field (ConfigMap, Secret, ServiceAccount, RBAC) print none.
  if (!STATUSLESS_KINDS.has(copy.kind))
    copy.status = copy.kind === 'Service' || copy.kind === 'Ingress' ? { loadBalancer: {} } : {};
  if (copy.kind === 'PodDisruptionBudget')
    copy.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  return copy;
}
