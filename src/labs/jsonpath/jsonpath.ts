/**
 * The subset of kubectl's JSONPath that lab checks need: `.a.b`, `['key.with.dots']`, `[0]`, `[-1]`, `[*]`, `.*`
 * and filters such as `[?(@.type=="Ready")]` or `[?(@.port>=8000)]`. Accepts the kubectl spellings
 * `{.spec.replicas}` and `$.spec.replicas` too. Parsing happens once at load time so a typo is reported with
 * the lab file, not discovered while grading.
 */

export type JsonPathSegment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: JsonPathSegment[]; op?: FilterOp; literal?: string | number | boolean };

type FilterOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export class JsonPathError extends Error {}

export interface JsonPath {
  source: string;
  segments: JsonPathSegment[];
}

export function parseJsonPath(source: string): JsonPath {
  let text = source.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  if (text === '') throw new JsonPathError('empty JSONPath');
  if (!text.startsWith('.') && !text.startsWith('[')) {
    throw new JsonPathError(`JSONPath must start with "." or "[" (got "${source}")`);
  }
  const parser = new SegmentParser(text, source);
  const segments = parser.parseSegments(false);
  return { source, segments };
}

/** Every value the path reaches in `root` (missing keys and out-of-range indexes yield nothing). */
export function evaluateJsonPath(path: JsonPath, root: unknown): unknown[] {
  return walk(path.segments, [root]);
}

function walk(segments: JsonPathSegment[], start: unknown[]): unknown[] {
  let current = start;
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const value of current) next.push(...step(segment, value));
    current = next;
  }
  return current;
}

function step(segment: JsonPathSegment, value: unknown): unknown[] {
  switch (segment.kind) {
    case 'key':
      return isRecord(value) && Object.hasOwn(value, segment.key) ? [value[segment.key]] : [];
    case 'index': {
      if (!Array.isArray(value)) return [];
      const index = segment.index < 0 ? value.length + segment.index : segment.index;
      return index >= 0 && index < value.length ? [value[index]] : [];
    }
    case 'wildcard':
      if (Array.isArray(value)) return value;
      return isRecord(value) ? Object.values(value) : [];
    case 'filter': {
      const items = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
      return items.filter((item) => filterMatches(segment, item));
    }
  }
}

function filterMatches(segment: Extract<JsonPathSegment, { kind: 'filter' }>, item: unknown): boolean {
  const found = walk(segment.path, [item]);
  if (segment.op === undefined) return found.length > 0 && found[0] !== null && found[0] !== false;
  return found.some((actual) => compare(actual, segment.op as FilterOp, segment.literal));
}

function compare(actual: unknown, op: FilterOp, literal: unknown): boolean {
  if (op === '==') return actual === literal;
  if (op === '!=') return actual !== literal;
  if (typeof actual !== 'number' || typeof literal !== 'number') return false;
  if (op === '<') return actual < literal;
  if (op === '<=') return actual <= literal;
  if (op === '>') return actual > literal;
  return actual >= literal;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const KEY_CHAR = /[A-Za-z0-9_-]/;

class SegmentParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly source: string,
  ) {}

  /** Parses segments until the end (or, inside a filter, until a comparison operator or `)`). */
  parseSegments(insideFilter: boolean): JsonPathSegment[] {
    const segments: JsonPathSegment[] = [];
    while (this.pos < this.text.length) {
      const char = this.text[this.pos];
      if (insideFilter && (char === ')' || char === ' ' || '=!<>'.includes(char))) break;
      if (char === '.') segments.push(this.parseDotted());
      else if (char === '[') segments.push(this.parseBracket());
      else this.fail(`unexpected "${char}"`);
    }
    return segments;
  }

  private parseDotted(): JsonPathSegment {
    this.pos++;
    if (this.text[this.pos] === '.') this.fail('recursive descent ".." is not supported');
    if (this.text[this.pos] === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    const start = this.pos;
    while (this.pos < this.text.length && KEY_CHAR.test(this.text[this.pos])) this.pos++;
    if (this.pos === start) this.fail('expected a field name after "."');
    return { kind: 'key', key: this.text.slice(start, this.pos) };
  }

  private parseBracket(): JsonPathSegment {
    this.pos++;
    const char = this.text[this.pos];
    let segment: JsonPathSegment;
    if (char === '*') {
      this.pos++;
      segment = { kind: 'wildcard' };
    } else if (char === "'" || char === '"') {
      segment = { kind: 'key', key: this.parseQuoted() };
    } else if (char === '?') {
      segment = this.parseFilter();
    } else {
      const match = /^-?\d+/.exec(this.text.slice(this.pos));
      if (!match) this.fail('expected an index, "*", a quoted key or a filter inside [ ]');
      this.pos += match[0].length;
      segment = { kind: 'index', index: Number(match[0]) };
    }
    this.expect(']');
    return segment;
  }

  private parseFilter(): JsonPathSegment {
    this.pos++;
    this.expect('(');
    this.expect('@');
    const path = this.parseSegments(true);
    this.skipSpaces();
    let op: FilterOp | undefined;
    let literal: string | number | boolean | undefined;
    const opMatch = /^(==|!=|<=|>=|<|>)/.exec(this.text.slice(this.pos));
    if (opMatch) {
      op = opMatch[1] as FilterOp;
      this.pos += op.length;
      this.skipSpaces();
      literal = this.parseLiteral();
      this.skipSpaces();
    }
    this.expect(')');
    return { kind: 'filter', path, op, literal };
  }

  private parseLiteral(): string | number | boolean {
    const char = this.text[this.pos];
    if (char === "'" || char === '"') return this.parseQuoted();
    const match = /^(-?\d+(\.\d+)?|true|false)/.exec(this.text.slice(this.pos));
    if (!match) this.fail('expected a quoted string, a number, true or false in the filter');
    this.pos += match[0].length;
    if (match[0] === 'true') return true;
    if (match[0] === 'false') return false;
    return Number(match[0]);
  }

  private parseQuoted(): string {
    const quote = this.text[this.pos];
    const end = this.text.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail(`unterminated ${quote}quoted${quote} key`);
    const value = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return value;
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  private expect(char: string): void {
    if (this.text[this.pos] !== char) {
      const found = this.pos < this.text.length ? `"${this.text[this.pos]}"` : 'the end';
      this.fail(`expected "${char}" but found ${found}`);
    }
    this.pos++;
  }

  private fail(message: string): never {
    throw new JsonPathError(`bad JSONPath "${this.source}": ${message} at offset ${this.pos}`);
  }
}
