/**
 * How Go (and so kubectl) sees and prints the JSON values a JSONPath template walks over. kubectl decodes JSON into
 * `interface{}`: objects are `map[string]interface {}`, arrays `[]interface {}`, and numbers either always `float64`
 * (a typed object converted through JSON, what `create --dry-run=client -o jsonpath` walks) or `int64` when whole
 * (an unstructured object from the server, what `get` walks).
 */

/** An integer literal of a template (`[?(@.port==80)]`): Go's `int`. */
export class GoInt {
  constructor(readonly value: number) {}
}

/** A float literal of a template (`[?(@.port==80.0)]`): Go's `float64`. */
export class GoFloat {
  constructor(readonly value: number) {}
}

export type NumberMode = 'float64' | 'int64';

export type GoKind = 'nil' | 'bool' | 'int' | 'float' | 'string' | 'map' | 'slice';

export function goKind(value: unknown, numbers: NumberMode): GoKind {
  if (value === null || value === undefined) return 'nil';
  if (value instanceof GoInt) return 'int';
  if (value instanceof GoFloat) return 'float';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return numbers === 'int64' && Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'slice';
  return 'map';
}

/** The Go type name used in kubectl's messages (`string is not array or slice`). */
export function goTypeName(value: unknown, numbers: NumberMode): string {
  if (value instanceof GoInt) return 'int';
  if (value instanceof GoFloat) return 'float64';
  switch (goKind(value, numbers)) {
    case 'nil':
      return 'interface {}';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int64';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'slice':
      return '[]interface {}';
    default:
      return 'map[string]interface {}';
  }
}

export function numberOf(value: unknown): number {
  return value instanceof GoInt || value instanceof GoFloat ? value.value : (value as number);
}

/** fmt's `%v` of a float64 (strconv 'g', shortest): an exponent below 1e-4 and from 1e6 on (`1.234567e+06`). */
export function goFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, e] = value.toExponential().split('e');
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return value.toFixed(Math.max(0, -exponent + mantissa.replace(/^-?\d\.?/, '').length));
}

function goNumber(value: unknown, numbers: NumberMode): string {
  const kind = goKind(value, numbers);
  const n = numberOf(value);
  return kind === 'int' ? String(n) : goFloat(n);
}

/** fmt.Sprint / `%v`: `map[a:1 b:x]` (keys sorted), `[a b]`, `<nil>`. */
export function goSprint(value: unknown, numbers: NumberMode): string {
  switch (goKind(value, numbers)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return String(value);
    case 'int':
    case 'float':
      return goNumber(value, numbers);
    case 'string':
      return value as string;
    case 'slice':
      return `[${(value as unknown[]).map((v) => goSprint(v, numbers)).join(' ')}]`;
    default: {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `map[${keys.map((k) => `${k}:${goSprint(record[k], numbers)}`).join(' ')}]`;
    }
  }
}

/** `%#v` of a decoded JSON value: `map[string]interface {}{"a":1, "b":interface {}(nil)}`. */
export function goSharpV(value: unknown, numbers: NumberMode): string {
  switch (goKind(value, numbers)) {
    case 'nil':
      return 'interface {}(nil)';
    case 'bool':
      return String(value);
    case 'int':
    case 'float':
      return goNumber(value, numbers);
    case 'string':
      return goQuote(value as string);
    case 'slice':
      return `[]interface {}{${(value as unknown[]).map((v) => goSharpV(v, numbers)).join(', ')}}`;
    default: {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `map[string]interface {}{${keys.map((k) => `${goQuote(k)}:${goSharpV(record[k], numbers)}`).join(', ')}}`;
    }
  }
}

/** strconv.Quote. */
export function goQuote(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0) as number;
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (c === '\x07') out += '\\a';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (c === '\v') out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c))
      out +=
        code > 0xffff
          ? `\\U${code.toString(16).padStart(8, '0')}`
          : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out + '"';
}

/** encoding/json.Marshal: compact, map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(value: unknown, numbers: NumberMode): string {
  switch (goKind(value, numbers)) {
    case 'nil':
      return 'null';
    case 'bool':
      return String(value);
    case 'int':
      return String(numberOf(value));
    case 'float':
      return JSON.stringify(numberOf(value));
    case 'string':
      return JSON.stringify(value).replace(
        /[<>&\u2028\u2029]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
    case 'slice':
      return `[${(value as unknown[]).map((v) => goJson(v, numbers)).join(',')}]`;
    default: {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `{${keys.map((k) => `${goJson(k, numbers)}:${goJson(record[k], numbers)}`).join(',')}}`;
    }
  }
}
