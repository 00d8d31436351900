import { sortKeys } from './json';
import { CommandError } from '../context';
import { hasControlCharacters, type ScalarPlace, scalarStyle, writeScalar } from './yaml-scalar';

/**
 * `-o yaml`: kubectl converts the object to JSON and emits it with go-yaml v2 (sigs.k8s.io/yaml): keys sorted,
 * 2-space indentation, sequences at the parent's indentation; strings as go-yaml v2 writes them (yaml-scalar.ts).
 */
export function toGoYaml(value: unknown, options: { sortKeys?: boolean } = {}): string {
  if (someString(value, hasControlCharacters))
    throw new CommandError('error converting JSON to YAML: yaml: control characters are not allowed');
  const lines: string[] = [];
  // Objects go through a JSON map (sorted keys); Go structs such as `kubectl version` keep their field order.
  emit(options.sortKeys === false ? value : sortKeys(value), 0, lines);
  return lines.join('\n') + '\n';
}

/** Whether a key or string value anywhere in `value` passes `test`. */
function someString(value: unknown, test: (text: string) => boolean): boolean {
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) return value.some((item) => someString(item, test));
  if (isMap(value)) return Object.entries(value).some(([key, child]) => test(key) || someString(child, test));
  return false;
}

function emit(value: unknown, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return void lines.push(pad + '[]');
    for (const item of value) emitSequenceItem(item, indent, lines);
    return;
  }
  if (isMap(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);

    if (keys.length === 0) return void lines.push(pad + '{}');
    for (const key of keys) emitMapEntry(key, value[key], indent, lines);
    return;
  }
  lines.push(pad + scalar(value, { column: indent, indent, simpleKey: false }));
}

function emitMapEntry(key: string, child: unknown, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  // go-yaml writes a key longer than 128 bytes as a complex key: `? key` on its own line, then `: value`.
  if (Buffer.byteLength(key) > 128 && !isCollection(child)) {
    lines.push(pad + '? ' + scalar(key, { column: indent + 2, indent: indent + 2, simpleKey: false }));
    lines.push(pad + ': ' + scalar(child, { column: indent + 2, indent: indent + 2, simpleKey: false }));
    return;
  }
  const head = pad + scalar(key, { column: indent, indent: indent + 2, simpleKey: true }) + ':';
  if (Array.isArray(child) && child.length > 0) {
    lines.push(head);
    for (const item of child) emitSequenceItem(item, indent, lines);
  } else if (isMap(child) && Object.keys(child).some((k) => child[k] !== undefined)) {
    lines.push(head);
    emit(child, indent + 2, lines);
  } else {
    const column = [...head].length + 1;
    lines.push(`${head} ${inlineValue(child, { column, indent: indent + 2, simpleKey: false })}`);
  }
}

function isCollection(value: unknown): boolean {
  return (Array.isArray(value) && value.length > 0) || (isMap(value) && Object.keys(value).length > 0);
}

function emitSequenceItem(item: unknown, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  if (isMap(item) && Object.keys(item).some((k) => item[k] !== undefined)) {
    const nested: string[] = [];
    emit(item, indent + 2, nested);
    nested[0] = pad + '- ' + nested[0].slice(indent + 2);
    lines.push(...nested);
  } else if (Array.isArray(item) && item.length > 0) {
    const nested: string[] = [];
    emit(item, indent + 2, nested);
    nested[0] = pad + '- ' + nested[0].slice(indent + 2);
    lines.push(...nested);
  } else {
    lines.push(`${pad}- ${inlineValue(item, { column: indent + 2, indent: indent + 2, simpleKey: false })}`);
  }
}

function inlineValue(value: unknown, place: ScalarPlace): string {
  if (Array.isArray(value)) return '[]';
  if (isMap(value)) return '{}';
  return scalar(value, place);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function scalar(value: unknown, place: ScalarPlace): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  const text = String(value);
  return writeScalar(text, scalarStyle(text, readsAsNonString(text), place.simpleKey), place);
}

/** The plain scalars go-yaml v2's resolver reads as something else than a string (its resolve table). */
const RESOLVED = new Set(
  [
    'y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF',
    '~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF',
  ]
    .join(' ')
    .split(' '),
);

/** yamlStyleFloat: what go-yaml hands to strconv.ParseFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * Whether go-yaml v2 would not write `text` plain because it reads back as another type: its resolver (the map of
 * booleans and nulls; a timestamp, strconv.ParseInt/ParseUint with base 0 or ParseFloat for a leading digit or
 * sign, after dropping `_`; ParseFloat for a leading `.`), or a sexagesimal float (isBase60Float).
 */
function readsAsNonString(text: string): boolean {
  if (text === '' || RESOLVED.has(text)) return true;
  const first = text[0];
  if (first === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) && Number.isFinite(Number(text));
  if (/^[-+0-9]/.test(first)) {
    if (isTimestamp(text)) return true;
    const plain = text.replace(/_/g, '');
    if (parsesAsGoInteger(plain)) return true;
    if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return true;
  }
  return /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(text);
}

/** strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds: a prefixed or decimal integer within range. */
function parsesAsGoInteger(s: string): boolean {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  const digits = m[2];
  const value = /^0[oO]/.test(digits)
    ? BigInt('0o' + digits.slice(2))
    : /^0[0-7]+$/.test(digits)
      ? BigInt('0o' + digits.slice(1))
      : BigInt(digits);
  if (m[1] === '-') return value <= 2n ** 63n;
  if (m[1] === '+') return value < 2n ** 63n;
  return value < 2n ** 64n;
}

/** go-yaml's timestamp layouts (2006-1-2, with a time and zone after `T`/`t`, or a time after a space). */
function isTimestamp(text: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/.exec(
      text,
    );
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  const [hour, minute, second] = [m[4] ?? m[7], m[5] ?? m[8], m[6] ?? m[9]].map((v) => Number(v ?? 0));
  return hour < 24 && minute < 60 && second < 60;
}
