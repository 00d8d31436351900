/**
 * A flag parser with spf13/pflag semantics (what kubectl uses through cobra): flags may come before or after
 * arguments, `--flag=v` / `--flag v`, `-n x` / `-nx` / `-n=x`, combined boolean shorthands (`-ti`), and `--`
 * ends flag parsing. Error texts are pflag's, which kubectl prints with `error: ` and a usage hint.
 */
/**
 * `duration` is checked as Go's time.ParseDuration does and kept as the text given; `stringSlice` splits each value
 * on commas (pflag's StringSlice, e.g. `--image=a,b`), `stringArray` keeps each value whole.
 */
export type FlagType = 'bool' | 'string' | 'int' | 'duration' | 'stringArray' | 'stringSlice';
export type FlagValue = string | boolean | number | string[];

export interface FlagSpec {
  name: string;
  shorthand?: string;
  type: FlagType;
  default?: FlagValue;
  /** For `int`: Go's bit size (pflag Int32 or Int/Int64); 64 when not given. */
  bits?: 32 | 64;
  /** For `int`: base 10 only (klog's `-v` level), where pflag's ints also take `0x`, `0o`, `0b` and `0` prefixes. */
  decimal?: boolean;
  /** pflag NoOptDefVal: the value used when the flag is given without `=value` (e.g. `--watch`). */
  noOptDefault?: string;
  description?: string;
  /** pflag's deprecation notice, printed (by the caller, from `warnings`) each time the flag is set. */
  deprecated?: string;
}

export interface ParsedArgs {
  flags: Record<string, FlagValue>;
  /** Flags the user set explicitly (pflag's `Changed`). */
  changed: Set<string>;
  positional: string[];
  /** Number of positional arguments before `--`, or -1 when there was no `--` (cobra's ArgsLenAtDash). */
  argsLenAtDash: number;
  /** The flags as they were set, in order, with the value each was given (pflag's ParseAll callback). */
  order: Array<[name: string, value: string]>;
  /** Deprecation notices of the flags set, to print on stderr. */
  warnings: string[];
  /** The command's words as typed (`set sa`), when the dispatcher found them: --record writes them so. */
  commandWords?: string[];
}

/** A flag-parsing failure; the message is pflag's text without the `error: ` prefix. */
export class FlagError extends Error {}

/** A flag table's lookups by name and shorthand, built once per table (tables are constant). */
function indexOf(specs: readonly FlagSpec[]): FlagIndex {
  let index = flagIndexes.get(specs);
  if (!index) {
    index = {
      byName: new Map(specs.map((s) => [s.name, s])),
      byShort: new Map(specs.filter((s) => s.shorthand).map((s) => [s.shorthand as string, s])),
      defaults: defaultsBuilder(specs),
    };
    flagIndexes.set(specs, index);
  }
  return index;
}

interface FlagIndex {
  byName: Map<string, FlagSpec>;
  byShort: Map<string, FlagSpec>;
  /** A new object of the table's defaults (arrays included: each parse may append to its own). */
  defaults: () => Record<string, FlagValue>;
}

/** A default as the source of a literal, when it has one that builds exactly that value. */
function literalSource(value: FlagValue): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number')
    return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return JSON.stringify(value);
  return undefined;
}

/**
 * The table's defaults as one generated function returning an object literal: every kubectl line starts from its
 * command's ~100 defaults, and V8 builds a literal from a prepared shape far faster than adding the keys one by
 * one. Same keys in the same order as setting them in table order (a repeated name keeps its first place and its
 * last value, as in a literal). The source is made only from the constant flag tables, never from what a user
 * typed; a default without an exact literal keeps the plain loop.
 */
function defaultsBuilder(specs: readonly FlagSpec[]): () => Record<string, FlagValue> {
  const loop = () => {
    const flags: Record<string, FlagValue> = {};
    for (const spec of specs) if (spec.default !== undefined) flags[spec.name] = cloneDefault(spec.default);
    return flags;
  };
  const parts: string[] = [];
  for (const spec of specs) {
    if (spec.default === undefined) continue;
    const value = literalSource(spec.default);
    // (An assignment to "__proto__" would set the prototype, which no literal key does.)
    if (value === undefined || spec.name === '__proto__') return loop;
    parts.push(`${JSON.stringify(spec.name)}: ${value}`);
  }
  return new Function(`return {${parts.join(', ')}};`) as () => Record<string, FlagValue>;
}

const flagIndexes = new WeakMap<readonly FlagSpec[], FlagIndex>();

export function parseArgs(args: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const { byName, byShort, defaults } = indexOf(specs);
  const result: ParsedArgs = {
    flags: defaults(),
    changed: new Set(),
    positional: [],
    argsLenAtDash: -1,
    order: [],
    warnings: [],
  };

  const set = (spec: FlagSpec, value: string, shown: string) => {
    result.flags[spec.name] = convert(
      spec,
      value,
      shown,
      result.changed.has(spec.name) ? result.flags[spec.name] : undefined,
    );
    result.changed.add(spec.name);
    result.order.push([spec.name, value]);
    if (spec.deprecated !== undefined) result.warnings.push(spec.deprecated);
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
      if (name === '' || name[0] === '-' || name[0] === '=') throw new FlagError(`bad flag syntax: ${arg}`);
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
    new FlagError(`invalid argument ${goQuote(value)} for "${shown}" flag: ${detail}`);
  switch (spec.type) {
    case 'bool': {
      const parsed = parseGoBool(value);
      if (parsed === undefined) throw invalid(`strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`);
      return parsed;
    }
    case 'int': {
      const parsed = parseGoInt(value, spec.bits ?? 64, spec.decimal);
      if (typeof parsed === 'string') throw invalid(`strconv.ParseInt: parsing ${goQuote(value)}: ${parsed}`);
      return parsed;
    }
    case 'duration': {
      const problem = goDurationError(value);
      if (problem) throw invalid(problem);
      return value;
    }
    case 'stringArray':
      return [...(Array.isArray(previous) ? previous : []), value];
    case 'stringSlice': {
      const fields = readCsvRecord(value);
      if (typeof fields === 'string') throw invalid(fields);
      return [...(Array.isArray(previous) ? previous : []), ...fields];
    }
    default:
      return value;
  }
}

/** Go's time.ParseDuration, for its errors: `time: invalid duration "x"`, `time: missing unit in duration "5"`... */
function goDurationError(value: string): string | undefined {
  const quoted = goQuote(value);
  const invalid = `time: invalid duration ${quoted}`;
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  let i = value[0] === '-' || value[0] === '+' ? 1 : 0;
  if (value.slice(i) === '0') return undefined;
  if (i === value.length) return invalid;
  while (i < value.length) {
    if (value[i] !== '.' && !digit(value[i])) return invalid;
    const start = i;
    while (digit(value[i])) i++;
    let digits = i > start;
    if (value[i] === '.') {
      const fraction = ++i;
      while (digit(value[i])) i++;
      digits ||= i > fraction;
    }
    if (!digits) return invalid;
    const unitStart = i;
    while (i < value.length && value[i] !== '.' && !digit(value[i])) i++;
    if (i === unitStart) return `time: missing unit in duration ${quoted}`;
    const unit = value.slice(unitStart, i);
    if (!['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'].includes(unit))
      return `time: unknown unit ${goQuote(unit)} in duration ${quoted}`;
  }
  return undefined;
}

/**
 * strconv.ParseInt(s, 0, bits), as pflag parses int flags: an optional sign, then decimal, `0x` hex, `0o`/`0` octal
 * or `0b` binary digits, `_` between digits. Returns the value, or the reason (`invalid syntax`, `value out of range`).
 */
export function parseGoInt(
  text: string,
  bits: 32 | 64,
  decimal = false,
): number | 'invalid syntax' | 'value out of range' {
  let rest = text;
  let negative = false;
  if (rest[0] === '+' || rest[0] === '-') {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  let base = 10;
  let prefixed = false;
  if (decimal) base = 10;
  else if (/^0[xX]/.test(rest)) [base, rest, prefixed] = [16, rest.slice(2), true];
  else if (/^0[bB]/.test(rest)) [base, rest, prefixed] = [2, rest.slice(2), true];
  else if (/^0[oO]/.test(rest)) [base, rest, prefixed] = [8, rest.slice(2), true];
  else if (/^0./.test(rest)) [base, rest, prefixed] = [8, rest.slice(1), true];
  // Underscores only between digits, or after a base prefix.
  if (rest.includes('_') && !(prefixed ? /^_?[^_]+(_[^_]+)*$/ : /^[^_]+(_[^_]+)*$/).test(rest))
    return 'invalid syntax';
  const digits = rest.replace(/_/g, '');
  const alphabet = '0123456789abcdef'.slice(0, base);
  if (digits === '' || [...digits.toLowerCase()].some((c) => !alphabet.includes(c))) return 'invalid syntax';
  let value = 0n;
  for (const c of digits.toLowerCase()) value = value * BigInt(base) + BigInt(alphabet.indexOf(c));
  if (negative) value = -value;
  const limit = 1n << BigInt(bits - 1);
  if (value >= limit || value < -limit) return 'value out of range';
  return Number(value);
}

/**
 * pflag's StringSlice reads each value as one CSV record (encoding/csv): commas separate fields, a field in double
 * quotes may hold commas and `""`. Returns the fields, or the csv error text.
 */
function readCsvRecord(text: string): string[] | string {
  if (text === '') return [];
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length)
          return `parse error on line 1, column ${text.length + 1}: extraneous or missing " in quoted-field`;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',')
        return `parse error on line 1, column ${i}: extraneous or missing " in quoted-field`;
    } else {
      const end = text.indexOf(',', i);
      field = text.slice(i, end < 0 ? text.length : end);
      const bare = field.indexOf('"');
      if (bare >= 0) return `parse error on line 1, column ${i + bare + 1}: bare " in non-quoted-field`;
      i += field.length;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}

/** Go's %q (strconv.Quote): double quotes, backslash escapes, printable Unicode kept as it is. */
export function goQuote(text: string): string {
  const named: Record<string, string> = {
    '\x07': '\\a',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\v': '\\v',
    '"': '\\"',
    '\\': '\\\\',
  };
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0) as number;
    if (named[c] !== undefined) out += named[c];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return out + '"';
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
    } else if (arg.startsWith('-')) {
      // A lone `-` is stripped with the flags too (cobra's stripFlags).
      if (arg.length === 2 && takesValue(specs.find((s) => s.shorthand === arg[1]))) i++;
    } else {
      found.push(i);
    }
  }
  return found;
}
