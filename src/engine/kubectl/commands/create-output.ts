import type { ResourceInfo } from '../../api/resources';
import type { KubeObject } from '../../api/types';
import type { FlagSpec, ParsedArgs } from '../argv';
import { CommandError, KubectlContext } from '../context';
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
 * the success line, `-o name|yaml|json`, or with `--dry-run=client` the object that would have been sent.
 */
export function createAndPrint(
  ctx: KubectlContext,
  args: ParsedArgs,
  obj: KubeObject,
  operation: string,
  create: (obj: KubeObject) => KubeObject,
): void {
  const dryRun = args.flags['dry-run'] as string;
  if (!['none', 'client', 'server'].includes(dryRun))
    throw new CommandError(`Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`);
  if (dryRun === 'server')
    throw new CommandError('--dry-run=server is not available in this lab terminal; use --dry-run=client');
  const output = args.flags.output as string;
  const format = output ? parseOutputFormat(output, false) : undefined;
  const info = ctx.cluster.api.resourceFor(obj.kind) as ResourceInfo;
  const result = dryRun === 'client' ? clientView(obj, args.changed.has('namespace')) : create(obj);
  if (format) ctx.stdout(printObjects([result], format, true, () => info));
  else
    ctx.stdout(
      successLine(info, result.metadata.name, dryRun === 'client' ? `${operation} (dry run)` : operation),
    );
}

/** What kubectl prints for a client-side dry run: no server fields, `creationTimestamp: null`, empty status. */
function clientView(obj: KubeObject, namespaceGiven: boolean): KubeObject {
  const copy = JSON.parse(JSON.stringify(obj)) as KubeObject & { spec?: Record<string, unknown> };
  const metadata = copy.metadata as unknown as Record<string, unknown>;
  metadata.creationTimestamp = null;
  if (!namespaceGiven) delete metadata.namespace;
  if (copy.kind === 'Deployment' && copy.spec) copy.spec.strategy ??= {};
  copy.status = copy.kind === 'Service' ? { loadBalancer: {} } : {};
  return copy;
}
