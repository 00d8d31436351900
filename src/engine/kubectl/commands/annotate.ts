import { CommandDef, flag } from '../command';
import { CommandError } from '../context';
import { DRY_RUN_FLAG } from './create-output';
import {
  Changes,
  FILENAME_FLAG,
  LOCAL_FLAG,
  MetadataVerb,
  RECURSIVE_FLAG,
  runMetadataUpdate,
} from './metadata-update';
import { CHANGE_CAUSE, RECORD_FLAG } from './record';

/** `kubectl annotate`: kubectl's annotate.go through the update path it shares with label. */
export const ANNOTATE: MetadataVerb = {
  path: ['annotate'],
  field: 'annotations',
  noun: 'annotation',
  exampleFile: 'rsrc',
  parse: parseAnnotationSpecs,
  overwriteError(current, set) {
    // The change-cause --record writes may always be overwritten.
    const found = Object.entries(set)
      .filter(([key, value]) => key !== CHANGE_CAUSE && key in current && current[key] !== value)
      .map(([key]) => `'${key}' already has a value (${current[key]})`);
    if (found.length === 0) return undefined;
    return `--overwrite is false but found the following declared annotation(s): ${found.join('; ')}`;
  },
  recordFirst: true,
  lateFormat: false,
  listRefusesOutput: false,
  reportMissingRemovals: false,
  printsResponse: true,
  message: () => 'annotated',
};

export const annotateCommand: CommandDef = {
  path: ['annotate'],
  short: 'Update the annotations on a resource',
  usage:
    'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  flags: [
    flag.bool('overwrite', undefined, false),
    flag.bool('list', undefined, false),
    flag.selector(),
    flag.bool('all', undefined, false),
    flag.allNamespaces(),
    flag.string('resource-version', undefined, ''),
    flag.output(),
    DRY_RUN_FLAG,
    RECORD_FLAG,
    FILENAME_FLAG,
    LOCAL_FLAG,
    RECURSIVE_FLAG,
  ],
  run: (ctx, args) => runMetadataUpdate(ctx, args, ANNOTATE),
};

/**
 * cmdutil.ParsePairs(..., "annotation", true): `k=v` splits at the first `=` (the value may be empty or hold more
 * `=`), `k-` removes; then annotate's validateAnnotations refuses a key both set and removed, naming them all.
 */
export function parseAnnotationSpecs(pairs: string[]): Changes {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq > 0) set[pair.slice(0, eq)] = pair.slice(eq + 1);
    else remove.push(pair.slice(0, -1));
  }
  const both = remove.filter((key) => key in set);
  if (both.length > 0)
    throw new CommandError(
      `can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`,
    );
  return { set, remove };
}
