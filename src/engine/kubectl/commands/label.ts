import { CommandDef, flag } from '../command';
import { CommandError } from '../context';
import { successLine } from '../output';
import { deepEqual, reportErrors, resolveTargets } from './shared';
import { labelValueError } from './validation';

export const labelCommand: CommandDef = {
  path: ['label'],
  short: 'Update the labels on a resource',
  usage:
    'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  flags: [
    flag.bool(
      'overwrite',
      undefined,
      false,
      'If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels.',
    ),
    flag.selector(),
    flag.bool(
      'all',
      undefined,
      false,
      'Select all resources, in the namespace of the specified resource types',
    ),
    flag.allNamespaces(),
    flag.bool('list', undefined, false, 'If true, display the labels for a given resource.'),
    flag.output(),
  ],
  run(ctx, args) {
    const { resources, pairs } = splitResourcesAndPairs(args.positional, 'label');
    const list = args.flags.list as boolean;
    // kubectl's order: parsing the updates and the flags (Complete), then what is required (Validate).
    const { set, remove } = parseLabelSpecs(pairs);
    if (remove.some((key) => key in set))
      throw new CommandError('can not both modify and remove a label in the same command');
    if (list && args.flags.output)
      throw new CommandError('--list and --output may not be specified together');
    if (args.flags.all && args.flags.selector)
      throw new CommandError('cannot set --all and --selector at the same time');
    if (resources.length === 0)
      throw new CommandError(
        'one or more resources must be specified as <resource> <name> or <resource>/<name>',
      );
    if (pairs.length === 0 && !list) throw new CommandError('at least one label update is required');
    const { targets, errors } = resolveTargets(ctx, args, resources, { allowSelector: true });
    for (const { info, obj } of targets) {
      if (list) {
        const labels = obj.metadata.labels ?? {};
        for (const key of Object.keys(labels).sort()) ctx.stdout(`${key}=${labels[key]}\n`);
        continue;
      }
      const before = { ...(obj.metadata.labels ?? {}) };
      if (!(args.flags.overwrite as boolean)) {
        const conflicts = Object.entries(set)
          .filter(([key, value]) => key in before && before[key] !== value)
          .map(([key]) => `'${key}' already has a value (${before[key]}), and --overwrite is false`);
        if (conflicts.length === 1) throw new CommandError(conflicts[0]);
        if (conflicts.length > 1) throw new CommandError(`[${conflicts.join(', ')}]`);
      }
      const after = { ...before, ...set };
      for (const key of remove) {
        if (!(key in after)) ctx.stdout(`label "${key}" not found.\n`);
        delete after[key];
      }
      let message = 'not labeled';
      if (!deepEqual(before, after)) {
        obj.metadata.labels = after;
        ctx.cluster.api.update(obj);
        message =
          !(args.flags.overwrite as boolean) && Object.keys(after).length < Object.keys(before).length
            ? 'unlabeled'
            : 'labeled';
      }
      ctx.stdout(
        (args.flags.output as string) === 'name'
          ? successLine(info, obj.metadata.name, '').trimEnd() + '\n'
          : successLine(info, obj.metadata.name, message),
      );
    }
    return reportErrors(ctx, errors);
  },
};

/** cmdutil.GetResourcesAndPairs: resource arguments first, then `k=v` / `k-` changes. */
export function splitResourcesAndPairs(
  args: string[],
  pairType: string,
): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const arg of args) {
    const isPair = (arg.includes('=') && !arg.startsWith('=')) || (arg.endsWith('-') && arg !== '-');
    if (isPair) pairs.push(arg);
    else if (pairs.length > 0)
      throw new CommandError(`all resources must be specified before ${pairType} changes: ${arg}`);
    else resources.push(arg);
  }
  return { resources, pairs };
}

function parseLabelSpecs(specs: string[]): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const spec of specs) {
    if (spec.includes('=')) {
      const parts = spec.split('=');
      if (parts.length !== 2) throw new CommandError(`invalid label spec: ${spec}`);
      const problem = labelValueError(parts[1]);
      if (problem) throw new CommandError(`invalid label value: "${spec}": ${problem}`);
      set[parts[0]] = parts[1];
    } else if (spec.endsWith('-')) {
      remove.push(spec.slice(0, -1));
    } else {
      throw new CommandError(`unknown label spec: ${spec}`);
    }
  }
  return { set, remove };
}
