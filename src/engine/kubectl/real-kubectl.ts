/**
 * What the lab's kubectl takes from the real kubectl v1.30 (help/kubectl-help.generated.ts, captured from the binary
 * by scripts/oracle/capture-help.ts): its command tree and aliases, every command's flags (so a real flag the lab does
 * not implement is named as such instead of being "unknown"), its help screens and cobra's suggestion order.
 */
import type { FlagSpec, FlagType, ParsedArgs } from './argv';
import { CommandError } from './context';
import {
  KUBECTL_FLAGS,
  KUBECTL_GLOBAL_FLAGS,
  KUBECTL_HELP,
  KUBECTL_OPTIONS_HELP,
  KUBECTL_RECORD_FLAG,
  KubectlFlagSpec,
} from './help/kubectl-help.generated';
import { levenshtein } from './suggest';

/**
 * kubectl's top-level commands in the order its root command adds them (the help groups, then alpha, config, plugin,
 * version, api-versions, api-resources, options). cobra's "Did you mean this?" lists matches in this order.
 */
const SUGGESTION_ORDER = [
  'create',
  'expose',
  'run',
  'set',
  'explain',
  'get',
  'edit',
  'delete',
  'rollout',
  'scale',
  'autoscale',
  'certificate',
  'cluster-info',
  'top',
  'cordon',
  'uncordon',
  'drain',
  'taint',
  'describe',
  'logs',
  'attach',
  'exec',
  'port-forward',
  'proxy',
  'cp',
  'auth',
  'debug',
  'events',
  'diff',
  'apply',
  'patch',
  'replace',
  'wait',
  'kustomize',
  'label',
  'annotate',
  'completion',
  // `alpha` has no subcommands in v1.30, so cobra does not offer it; `help` is added after the lookup fails.
  'config',
  'plugin',
  'version',
  'api-versions',
  'api-resources',
  'options',
];

/** cobra's findSuggestions: Levenshtein distance ≤ 2 (case-insensitive) or a prefix, in the root's order. */
export function suggestionsFor(typed: string): string {
  const lower = typed.toLowerCase();
  const found = SUGGESTION_ORDER.filter((name) => levenshtein(lower, name) <= 2 || name.startsWith(lower));
  if (found.length === 0) return '';
  return `\n\nDid you mean this?\n${found.map((f) => `\t${f}`).join('\n')}`;
}

/** kubectl's help screen for a command path (`` for kubectl itself), as the binary prints it. */
export function realHelp(path: string): string | undefined {
  return KUBECTL_HELP[path];
}

/** The real subcommand a word names below `parent` (aliases resolved), e.g. ('create', 'svc') → 'service'. */
export function realSubcommand(parent: string, word: string): string | undefined {
  const prefix = parent === '' ? '' : `${parent} `;
  if (KUBECTL_HELP[prefix + word] !== undefined && !word.includes(' ')) return word;
  for (const path of Object.keys(KUBECTL_HELP)) {
    if (!path.startsWith(prefix) || path.slice(prefix.length).includes(' ')) continue;
    const aliases = /\nAliases:\n {2}([^\n]*)\n/.exec(KUBECTL_HELP[path]);
    if (aliases && aliases[1].split(', ').includes(word)) return path.slice(prefix.length);
  }
  return undefined;
}

/**
 * How a group command answers without a subcommand (kubectl's DefaultSubCommandRun): its help on the stream the
 * command was built with, exit 1; `create` first says it needs -f or -k.
 */
export function groupWithoutSubcommand(path: string): { stream: 'stdout' | 'stderr'; prefix: string } {
  return {
    stream: path === 'rollout' ? 'stdout' : 'stderr',
    prefix: path === 'create' ? 'Error: must specify one of -f and -k\n\n' : '',
  };
}

/** `Unknown help topic [`x` `y`]` and the root's usage, as `kubectl help x y` prints them (stderr, exit 0). */
export function unknownHelpTopic(words: string[]): string {
  const root = KUBECTL_HELP[''];
  return `Unknown help topic [${words.map((w) => `\`${w}\``).join(' ')}]\n\n${root.slice(root.indexOf('\nBasic Commands'))}`;
}

/**
 * Flags real kubectl accepts that change nothing in the lab (no server round trips to tune, no logs to raise, no
 * managed fields): they are taken and ignored.
 */
const WITHOUT_EFFECT = new Set([
  'allow-missing-template-keys',
  'cache-dir',
  'chunk-size',
  'disable-compression',
  'field-manager',
  'log-flush-frequency',
  'match-server-version',
  'request-timeout',
  'show-managed-fields',
  'v',
  'validate',
  'vmodule',
  'warnings-as-errors',
]);

function toFlagSpec(real: KubectlFlagSpec): FlagSpec {
  const type: FlagType = real.type === 'map' ? 'string' : real.type;
  const spec: FlagSpec = {
    name: real.name,
    type,
    shorthand: real.shorthand,
    noOptDefault: real.noOptDefault,
  };
  if (type === 'bool') spec.default = real.default === 'true';
  else if (type === 'int') spec.default = Number(real.default);
  else if (type === 'stringArray') spec.default = [];
  else spec.default = real.default;
  return spec;
}

/** Int flags that are Go int32s (pflag Int32, klog's Level), by command path; other ints are 64-bit. */
const INT32_FLAGS: Record<string, readonly string[]> = {
  '': ['v'],
  'create deployment': ['replicas', 'port'],
  'create priorityclass': ['value'],
};

/**
 * The flags a command parses: the real command's and kubectl's global ones, with the lab's own specs (`own`) in place
 * of the real ones they implement. A duration the lab keeps as text is still checked as kubectl checks it.
 */
export function flagsFor(path: string, own: readonly FlagSpec[]): FlagSpec[] {
  // Every kubectl line asks for its command's table; the inputs are constant arrays, so build each table once.
  let byPath = mergedFlags.get(own);
  if (!byPath) mergedFlags.set(own, (byPath = new Map()));
  let flags = byPath.get(path);
  if (!flags) byPath.set(path, (flags = mergeFlags(path, own)));
  return flags;
}

const mergedFlags = new WeakMap<readonly FlagSpec[], Map<string, FlagSpec[]>>();

function mergeFlags(path: string, own: readonly FlagSpec[]): FlagSpec[] {
  const merged = new Map<string, FlagSpec>();
  for (const real of [...KUBECTL_GLOBAL_FLAGS, ...(KUBECTL_FLAGS[path] ?? [])])
    merged.set(real.name, toFlagSpec(real));
  const record = KUBECTL_RECORD_FLAG[path];
  if (record !== undefined) merged.set('record', { name: 'record', type: 'bool', default: false });
  for (const spec of own) {
    const real = merged.get(spec.name);
    merged.set(spec.name, {
      ...spec,
      shorthand: spec.shorthand ?? real?.shorthand,
      type: spec.type === 'string' && real?.type === 'duration' ? 'duration' : spec.type,
    });
  }
  // pflag's notice: `Flag --record has been deprecated, --record will be removed in the future`.
  const recordSpec = merged.get('record');
  if (record !== undefined && recordSpec) merged.set('record', { ...recordSpec, deprecated: record });
  for (const name of [...INT32_FLAGS[''], ...(INT32_FLAGS[path] ?? [])]) {
    const spec = merged.get(name);
    if (spec?.type === 'int') merged.set(name, { ...spec, bits: 32, decimal: name === 'v' || undefined });
  }
  return [...merged.values()];
}

/** Fails for a real kubectl flag the lab does not implement, naming it (never "unknown flag" for a real one). */
export function rejectUnavailableFlags(args: ParsedArgs, own: readonly FlagSpec[]): void {
  // A line sets a flag or two: looking each up in the list costs less than building a set of the list every line.
  const implemented = (flag: string) => own.some((spec) => spec.name === flag);
  for (const name of args.changed) {
    if (implemented(name) || WITHOUT_EFFECT.has(name)) continue;
    // `--template` goes with `-o go-template|jsonpath`, which every command with `-o` prints through output.ts.
    if (name === 'template' && implemented('output')) continue;
    throw new CommandError(`flag --${name} is not available in this lab terminal`);
  }
}

/** `kubectl options`: the flags every command accepts. */
export function optionsHelp(): string {
  return KUBECTL_OPTIONS_HELP;
}

/**
 * The `kubernetes.io/change-cause` kubectl records with `--record`: `kubectl`, the command's arguments (its words
 * as typed included: `set sa`) and every flag set, as `--name=value` in the order given (kubectl's
 * parseCommandArguments).
 */
export function changeCause(path: readonly string[], args: ParsedArgs): string {
  const words = ['kubectl', ...(args.commandWords ?? path), ...args.positional].join(' ');
  return words + args.order.map(([name, value]) => ` --${name}=${value}`).join('');
}
