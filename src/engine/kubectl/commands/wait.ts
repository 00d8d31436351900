import { isStatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import { CommandDef, flag } from '../command';
import { CommandError, KubectlContext } from '../context';
import { kindWithGroup } from '../resource-args';
import { waitForClusterChange } from '../wait';
import { parseGoDuration } from './rollout-status';
import { resolveTargets, Target } from './shared';

/** `kubectl wait --for=condition=Ready|delete|jsonpath=...`: blocks on the cluster clock until each object matches. */
export const waitCommand: CommandDef = {
  path: ['wait'],
  short: 'Experimental: Wait for a specific condition on one or many resources',
  usage:
    "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
  flags: [
    flag.string(
      'for',
      undefined,
      '',
      "The condition to wait on: [delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]].",
    ),
    flag.string('timeout', undefined, '30s', 'The length of time to wait before giving up.'),
    flag.selector(),
    flag.bool(
      'all',
      undefined,
      false,
      'Select all resources in the namespace of the specified resource types',
    ),
    flag.allNamespaces(),
  ],
  async run(ctx, args) {
    const spec = args.flags.for as string;
    const condition = /^condition=([^=]+)(?:=(.*))?$/i.exec(spec);
    if (spec !== 'delete' && !condition) throw new CommandError(`unrecognized condition: "${spec}"`);
    const timeoutMs = parseGoDuration(args.flags.timeout as string);
    const { targets, errors } = resolveTargets(ctx, args, args.positional, { allowSelector: true });
    if (errors.length > 0 && spec !== 'delete')
      throw new CommandError(errors[0].replace(/^Error from server \(NotFound\): /, ''));
    if (targets.length === 0 && spec !== 'delete') throw new CommandError('no matching resources found');
    const deadline = ctx.cluster.clock.now() + timeoutMs;
    for (const target of targets) {
      const met =
        spec === 'delete'
          ? () => isGone(ctx, target)
          : () => hasCondition(current(ctx, target), condition?.[1] ?? '', condition?.[2] ?? 'True');
      while (!met()) {
        if (ctx.cluster.clock.now() >= deadline)
          throw new CommandError(
            `timed out waiting for the condition on ${target.info.resource}/${target.obj.metadata.name}`,
          );
        await waitForClusterChange(ctx);
      }
      ctx.stdout(
        `${kindWithGroup(target.info)}/${target.obj.metadata.name} ${spec === 'delete' ? 'deleted' : 'condition met'}\n`,
      );
    }
    return 0;
  },
};

function current(ctx: KubectlContext, target: Target): KubeObject | undefined {
  try {
    return ctx.cluster.api.get(target.info.resource, target.obj.metadata.namespace, target.obj.metadata.name);
  } catch (error) {
    if (isStatusError(error, 'NotFound')) return undefined;
    throw error;
  }
}

function isGone(ctx: KubectlContext, target: Target): boolean {
  const obj = current(ctx, target);
  return !obj || obj.metadata.uid !== target.obj.metadata.uid;
}

function hasCondition(obj: KubeObject | undefined, type: string, value: string): boolean {
  const conditions =
    (obj?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some(
    (c) => c.type.toLowerCase() === type.toLowerCase() && c.status.toLowerCase() === value.toLowerCase(),
  );
}
