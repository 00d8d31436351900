/**
 * A flag parser with spf13/pflag semantics (what kubectl uses through cobra): flags may come before or after
 * arguments, `--flag=v` / `--flag v`, `-n x` / `-nx` / `-n=x`, combined boolean shorthands (`-ti`), and `--`
 * ends flag parsing. Error texts are pflag's, which kubectl prints with `error: ` and a usage hint.
 */
export type FlagType = 'bool' | 'string' | 'int' | 'stringArray';
export type FlagValue = string | boolean | number | string[];

export interface FlagSpec {
  name: string;
  shorthand?: string;
  type: FlagType;
  default?: FlagValue;
  /** pflag NoOptDefVal: the value used when the flag is given without `=value` (e.g. `--watch`). */
  noOptDefault?: string;
  description?: string;
}

export interface ParsedArgs {
  flags: Record<string, FlagValue>;
  /** Flags the user set explicitly (pflag's `Changed`). */
  changed: Set<string>;
  positional: string[];
  /** Number of positional arguments before `--`, or -1 when there was no `--` (cobra's ArgsLenAtDash). */
  argsLenAtDash: number;
}

/** A flag-parsing failure; the message is pflag's text without the `error: ` prefix. */
export class FlagError extends Error {}

export function parseArgs(args: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.shorthand).map((s) => [s.shorthand as string, s]));
  const result: ParsedArgs = { flags: {}, changed: new Set(), positional: [], argsLenAtDash: -1 };
  for (const spec of specs)
    if (spec.default !== undefined) result.flags[spec.name] = cloneDefault(spec.default);

  const set = (spec: FlagSpec, value: string, shown: string) => {
    result.flags[spec.name] = convert(
      spec,
      value,
      shown,
      result.changed.has(spec.name) ? result.flags[spec.name] : undefined,
    );
    result.changed.add(spec.name);
  };

  let i = 0;
  while (i < args.length) {
    const arg = args[i++];
    if (arg === '--') {
      result.argsLenAtDash = result.positional.length;
      result.positional.push(...args.slice(i));
      break;
    }
    if (arg.startsWith('--')) {
      const body = arg.slice(2);
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      const shown = spec.shorthand ? `-${spec.shorthand}, --${spec.name}` : `--${spec.name}`;
      if (eq >= 0) set(spec, body.slice(eq + 1), shown);
      else if (spec.type === 'bool') set(spec, 'true', shown);
      else if (spec.noOptDefault !== undefined) set(spec, spec.noOptDefault, shown);
      else if (i < args.length) set(spec, args[i++], shown);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      let rest = arg.slice(1);
      while (rest.length > 0) {
        const c = rest[0];
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${arg}`);
        const shown = `-${c}, --${spec.name}`;
        if (rest.length > 2 && rest[1] === '=') {
          set(spec, rest.slice(2), shown);
          rest = '';
        } else if (spec.type === 'bool' || spec.noOptDefault !== undefined) {
          set(spec, spec.type === 'bool' ? 'true' : (spec.noOptDefault as string), shown);
          rest = rest.slice(1);
        } else if (rest.length > 1) {
          set(spec, rest.slice(1), shown);
          rest = '';
        } else if (i < args.length) {
          set(spec, args[i++], shown);
          rest = '';
        } else {
          throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
        }
      }
      continue;
    }
    result.positional.push(arg);
  }
  return result;
}

function convert(spec: FlagSpec, value: string, shown: string, previous: FlagValue | undefined): FlagValue {
  const invalid = (detail: string) =>
    new FlagError(`invalid argument "${value}" for "${shown}" flag: ${detail}`);
  switch (spec.type) {
    case 'bool': {
      const parsed = parseGoBool(value);
      if (parsed === undefined) throw invalid(`strconv.ParseBool: parsing "${value}": invalid syntax`);
      return parsed;
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(value)) throw invalid(`strconv.ParseInt: parsing "${value}": invalid syntax`);
      const parsed = Number(value);
      if (!Number.isSafeInteger(parsed) || Math.abs(parsed) > 2 ** 31)
        throw invalid(`strconv.ParseInt: parsing "${value}": value out of range`);
      return parsed;
    }
    case 'stringArray':
      return [...(Array.isArray(previous) ? previous : []), value];
    default:
      return value;
  }
}

function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}

function cloneDefault(value: FlagValue): FlagValue {
  return Array.isArray(value) ? [...value] : value;
}

/**
 * cobra's Find: the command words are the non-flag arguments, skipping the values of flags known to take one
 * (`-n kube-system get pods` finds `get`). Returns the indexes of the first `depth` command words.
 */
export function findCommandWords(
  args: readonly string[],
  specs: readonly FlagSpec[],
  depth: number,
): number[] {
  const takesValue = (spec: FlagSpec | undefined) =>
    spec !== undefined && spec.type !== 'bool' && spec.noOptDefault === undefined;
  const found: number[] = [];
  for (let i = 0; i < args.length && found.length < depth; i++) {
    const arg = args[i];
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      if (!arg.includes('=') && takesValue(specs.find((s) => s.name === arg.slice(2)))) i++;
    } else if (arg.startsWith('-') && arg.length > 1) {
      if (arg.length === 2 && takesValue(specs.find((s) => s.shorthand === arg[1]))) i++;
    } else {
      found.push(i);
    }
  }
  return found;
}
