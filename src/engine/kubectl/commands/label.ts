import { CommandDef, flag } from '../command';
import { CommandError } from '../context';
import {
  Changes,
  FILENAME_FLAG,
  LOCAL_FLAG,
  MetadataVerb,
  RECURSIVE_FLAG,
  runMetadataUpdate,
} from './metadata-update';
import { DRY_RUN_FLAG } from './create-output';
import { RECORD_FLAG } from './record';
import { labelValueError } from './validation';

/** `kubectl label`: kubectl's label.go through the update path it shares with annotate. */
export const LABEL: MetadataVerb = {
  path: ['label'],
  field: 'labels',
  noun: 'label',
  exampleFile: 'pod',
  parse: parseLabelSpecs,
  overwriteError(current, set) {
    const conflicts = Object.entries(set)
      .filter(([key, value]) => key in current && current[key] !== value)
      .map(([key]) => `'${key}' already has a value (${current[key]}), and --overwrite is false`);
    // utilerrors.NewAggregate: one error alone, several in brackets.
    if (conflicts.length <= 1) return conflicts[0];
    return `[${conflicts.join(', ')}]`;
  },
  recordFirst: false,
  lateFormat: true,
  listRefusesOutput: true,
  reportMissingRemovals: true,
  printsResponse: false,
  // updateDataChangeMsg: a change that makes the object shorter without --overwrite is a removal.
  message(before, after, overwrite) {
    if (before === after) return 'not labeled';
    return !overwrite && after.length < before.length ? 'unlabeled' : 'labeled';
  },
};

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
    flag.string('resource-version', undefined, ''),
    flag.output(),
    DRY_RUN_FLAG,
    RECORD_FLAG,
    FILENAME_FLAG,
    LOCAL_FLAG,
    RECURSIVE_FLAG,
  ],
  run: (ctx, args) => runMetadataUpdate(ctx, args, LABEL),
};

/** label.go's parseLabels: `k=v` (one `=`, a valid label value), `k-`; a key may not be both set and removed. */
export function parseLabelSpecs(specs: string[]): Changes {
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
  if (remove.some((key) => key in set))
    throw new CommandError('can not both modify and remove a label in the same command');
  return { set, remove };
}
