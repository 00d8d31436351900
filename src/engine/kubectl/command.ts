import type { FlagSpec, ParsedArgs } from './argv';
import type { KubectlContext } from './context';

/** One kubectl (sub)command: its path below `kubectl`, its own flags and what it does. */
export interface CommandDef {
  /** e.g. ['rollout', 'status']. */
  path: string[];
  aliases?: string[];
  short: string;
  usage: string;
  flags: FlagSpec[];
  run(ctx: KubectlContext, args: ParsedArgs): Promise<number | void> | number | void;
}

/** Flags every command accepts (kubectl's persistent root flags that matter in the lab). */
export const GLOBAL_FLAGS: FlagSpec[] = [
  {
    name: 'namespace',
    shorthand: 'n',
    type: 'string',
    default: '',
    description: 'If present, the namespace scope for this CLI request',
  },
  { name: 'help', shorthand: 'h', type: 'bool', default: false, description: 'help for this command' },
];

export function namespaceFlag(args: ParsedArgs): string {
  return (args.flags.namespace as string) || 'default';
}

export const flag = {
  string: (name: string, shorthand?: string, def = '', description?: string): FlagSpec => ({
    name,
    shorthand,
    type: 'string',
    default: def,
    description,
  }),
  bool: (name: string, shorthand?: string, def = false, description?: string): FlagSpec => ({
    name,
    shorthand,
    type: 'bool',
    default: def,
    description,
  }),
  int: (name: string, shorthand: string | undefined, def: number, description?: string): FlagSpec => ({
    name,
    shorthand,
    type: 'int',
    default: def,
    description,
  }),
  output: (): FlagSpec => ({
    name: 'output',
    shorthand: 'o',
    type: 'string',
    default: '',
    description: 'Output format',
  }),
  selector: (): FlagSpec => ({
    name: 'selector',
    shorthand: 'l',
    type: 'string',
    default: '',
    description: 'Selector (label query) to filter on',
  }),
  allNamespaces: (): FlagSpec => ({
    name: 'all-namespaces',
    shorthand: 'A',
    type: 'bool',
    default: false,
    description: 'List the requested object(s) across all namespaces',
  }),
};

/** A command's flags with the global ones in front, built once per flag list (every kubectl line needs it). */
export function withGlobalFlags(flags: readonly FlagSpec[]): FlagSpec[] {
  let all = withGlobals.get(flags);
  if (!all) withGlobals.set(flags, (all = [...GLOBAL_FLAGS, ...flags]));
  return all;
}

const withGlobals = new WeakMap<readonly FlagSpec[], FlagSpec[]>();
