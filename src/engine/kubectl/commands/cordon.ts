import type { ResourceInfo } from '../../api/resources';
import type { Node } from '../../api/types';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag } from '../command';
import { CommandError, KubectlContext, UsageError } from '../context';
import { patchObject } from '../impersonation';
import { successLine } from '../output';
import { parseResourceArgs } from '../resource-args';
import { DRY_RUN_FLAG, dryRunStrategy, withDryRunSuffix } from './create-output';

export type DryRun = 'none' | 'client' | 'server';

/**
 * drain.go Complete: checkNodeArgs first (usage), then the dry-run value, then resolveNodes: the nodes named (`NAME` or `node/NAME`) or selected with `-l`, looked up in order; the first
 * lookup that fails ends the command (kubectl's builder stops there).
 */
export function checkNodeArgs(args: ParsedArgs, use: string): void {
  if (args.positional.length === 0 && !args.changed.has('selector'))
    throw new UsageError(`USAGE: ${use} [flags]`);
  if (args.positional.length > 0 && (args.flags.selector as string))
    throw new UsageError('cannot specify both a node name and a --selector option');
}

export function resolveNodes(ctx: KubectlContext, args: ParsedArgs): Node[] {
  const selector = args.flags.selector as string;
  const api = ctx.cluster.api;
  if (args.positional.length === 0) return api.list<Node>('nodes', { labelSelector: selector || undefined });
  const nodesInfo = api.resourceFor('nodes') as ResourceInfo;
  const nodes: Node[] = [];
  for (const arg of args.positional) {
    const [request] = arg.includes('/') ? parseResourceArgs(api, [arg]) : [{ info: nodesInfo, names: [arg] }];
    // The builder reads the object first (a missing one is NotFound), then drain checks its type.
    const namespace = request.info.namespaced ? (args.flags.namespace as string) || 'default' : undefined;
    for (const name of request.names) {
      const obj = api.get(request.info.resource, namespace, name);
      if (request.info.resource !== 'nodes')
        throw new CommandError(
          `error: expected resource of type node, got "${request.info.group}/${request.info.version}, Resource=${request.info.resource}"`,
        );
      nodes.push(obj as Node);
    }
  }
  return nodes;
}

/** drain.go RunCordonOrUncordon: `node/x cordoned`, `node/x already cordoned`, with the dry-run suffix. */
export function cordonNodes(ctx: KubectlContext, nodes: Node[], desired: boolean, dryRun: DryRun): void {
  const info = ctx.cluster.api.resourceFor('nodes') as ResourceInfo;
  const verb = desired ? 'cordon' : 'uncordon';
  for (const node of nodes) {
    if ((node.spec.unschedulable ?? false) === desired) {
      ctx.stdout(successLine(info, node.metadata.name, withDryRunSuffix(`already ${verb}ed`, dryRun)));
      continue;
    }
    if (dryRun !== 'client') {
      const next = structuredClone(node);
      // The strategic merge patch kubectl sends: `true`, or null (the field goes) to uncordon.
      if (desired) next.spec.unschedulable = true;
      else delete next.spec.unschedulable;
      try {
        patchObject(ctx, next, { dryRun: dryRun === 'server' });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ctx.stderr(`error: unable to ${verb} node "${node.metadata.name}": ${message}\n`);
        continue;
      }
    }
    ctx.stdout(successLine(info, node.metadata.name, withDryRunSuffix(`${verb}ed`, dryRun)));
  }
}

function cordonCommand(desired: boolean): CommandDef {
  const verb = desired ? 'cordon' : 'uncordon';
  return {
    path: [verb],
    short: desired ? 'Mark node as unschedulable' : 'Mark node as schedulable',
    usage: `kubectl ${verb} NODE [options]`,
    flags: [DRY_RUN_FLAG, flag.selector()],
    run(ctx, args) {
      checkNodeArgs(args, `${verb} NODE`);
      const dryRun = dryRunStrategy(ctx, args.flags['dry-run'] as string);
      cordonNodes(ctx, resolveNodes(ctx, args), desired, dryRun);
      return 0;
    },
  };
}

export const cordonCommandDef = cordonCommand(true);
export const uncordonCommandDef = cordonCommand(false);
