/**
 * The parser of kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath), rebuilt from its behaviour: text
 * outside `{...}` is literal, each action becomes a list of nodes, and the error texts are the ones kubectl prints
 * after `error parsing jsonpath <template>, `.
 */

export type JsonPathNode =
  | ListNode
  | { type: 'text'; text: string }
  | { type: 'field'; name: string }
  | { type: 'array'; params: [SliceParam, SliceParam, SliceParam] }
  | { type: 'filter'; left: ListNode; right: ListNode; operator: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'union'; lists: ListNode[] }
  | { type: 'identifier'; name: string };

export interface ListNode {
  type: 'list';
  nodes: JsonPathNode[];
}

/** One of `[start:end:step]`; `known` = written (or derived, for `[n]`, where end is start + 1). */
export interface SliceParam {
  value: number;
  known: boolean;
  derived: boolean;
}

/** A template that does not parse; `message` is kubectl's text without the `error parsing jsonpath` prefix. */
export class JsonPathSyntaxError extends Error {}

const EOF = '';
const FILTER_PATTERN = /^([^!<>=]+)([!<>=]+)(.+?)$/s;
const SLICE_PATTERN = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const DICT_KEY = /^'([^']*)'$/;

/** Parses a whole template (`{.a}{"\n"}text`) into its root list. */
export function parseTemplate(template: string): ListNode {
  return new Parser(template).parse();
}

function parseAction(text: string): ListNode {
  return new Parser(`{${text}}`).parse().nodes[0] as ListNode;
}

const list = (): ListNode => ({ type: 'list', nodes: [] });

class Parser {
  private readonly input: string[];
  private pos = 0;
  private start = 0;
  private readonly root = list();

  constructor(text: string) {
    this.input = Array.from(text);
  }

  parse(): ListNode {
    for (;;) {
      if (this.input[this.pos] === '{') {
        if (this.pos > this.start) this.root.nodes.push({ type: 'text', text: this.consume() });
        this.pos++;
        this.consume();
        const action = list();
        this.root.nodes.push(action);
        this.insideAction(action);
        continue;
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) this.root.nodes.push({ type: 'text', text: this.consume() });
    return this.root;
  }

  private next(): string {
    if (this.pos >= this.input.length) return EOF;
    return this.input[this.pos++];
  }

  private peek(): string {
    return this.pos >= this.input.length ? EOF : this.input[this.pos];
  }

  private consume(): string {
    const value = this.input.slice(this.start, this.pos).join('');
    this.start = this.pos;
    return value;
  }

  private startsWith(prefix: string): boolean {
    return this.input.slice(this.pos, this.pos + prefix.length).join('') === prefix;
  }

  private insideAction(cur: ListNode): void {
    for (;;) {
      if (this.startsWith('}')) {
        this.pos++;
        this.consume();
        return;
      }
      if (this.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (this.startsWith('..')) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || r === '\r' || r === '\n') throw new JsonPathSyntaxError('unclosed action');
      if (r === ' ' || r === '@' || r === '$') this.consume();
      else if (r === '[') this.parseArray(cur);
      else if (r === '"' || r === "'") this.parseQuote(cur, r);
      else if (r === '.') this.parseField(cur);
      else if (r === '+' || r === '-' || isDigit(r)) {
        this.pos--;
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.pos--;
        this.parseIdentifier(cur);
      } else throw new JsonPathSyntaxError(`unrecognized character in action: ${goUnicode(r)}`);
    }
  }

  private parseIdentifier(cur: ListNode): void {
    while (!isTerminator(this.peek())) this.pos++;
    const value = this.consume();
    if (value === 'true' || value === 'false') cur.nodes.push({ type: 'bool', value: value === 'true' });
    else cur.nodes.push({ type: 'identifier', name: value });
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes.at(-1)?.type === 'recursive')
      throw new JsonPathSyntaxError('invalid multiple recursive descent');
    this.pos += 2;
    this.consume();
    cur.nodes.push({ type: 'recursive' });
    if (isAlphaNumeric(this.peek())) this.parseField(cur);
  }

  private parseNumber(cur: ListNode): void {
    if (this.peek() === '+' || this.peek() === '-') this.pos++;
    while (this.peek() === '.' || isDigit(this.peek())) this.pos++;
    const value = this.consume();
    if (/^[+-]?\d+$/.test(value)) cur.nodes.push({ type: 'int', value: Number(value) });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({ type: 'float', value: Number(value) });
    else throw new JsonPathSyntaxError(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathSyntaxError('unterminated array');
      if (r === ']') break;
    }
    let text = this.consume().slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      cur.nodes.push({
        type: 'union',
        lists: parts.map((part) => parseAction(`[${part.replace(/^ +| +$/g, '')}]`)),
      });
      return;
    }
    const key = DICT_KEY.exec(text);
    if (key) {
      cur.nodes.push(...parseAction(`.${key[1]}`).nodes);
      return;
    }
    const slice = SLICE_PATTERN.exec(text);
    if (!slice) throw new JsonPathSyntaxError(`invalid array index ${text}`);
    const params: [SliceParam, SliceParam, SliceParam] = [0, 1, 2].map(() => ({
      value: 0,
      known: false,
      derived: false,
    })) as [SliceParam, SliceParam, SliceParam];
    for (let i = 0; i < 3; i++) {
      let written = slice[i + 1] ?? '';
      if (written !== '') {
        if (i > 0) written = written.slice(1);
        if (i > 0 && written === '') continue;
        params[i] = { value: Number(written), known: true, derived: false };
      } else if (i === 1) params[1] = { value: params[0].value + 1, known: true, derived: true };
    }
    cur.nodes.push({ type: 'array', params });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consume();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathSyntaxError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
        } else if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) break;
    }
    if (this.next() !== ']') throw new JsonPathSyntaxError('unclosed array expect ]');
    const text = this.consume().slice(0, -2);
    const match = FILTER_PATTERN.exec(text);
    if (!match)
      cur.nodes.push({ type: 'filter', left: parseAction(text), right: list(), operator: 'exists' });
    else
      cur.nodes.push({
        type: 'filter',
        left: parseAction(match[1]),
        right: parseAction(match[3]),
        operator: match[2],
      });
  }

  private parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathSyntaxError('unterminated quoted string');
      if (r === end && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consume();
    const text = unquoteExtend(value);
    if (text === undefined) throw new JsonPathSyntaxError(`unquote string ${value} error invalid syntax`);
    cur.nodes.push({ type: 'text', text });
  }

  private parseField(cur: ListNode): void {
    this.consume();
    for (;;) {
      const r = this.next();
      if (r === '\\') this.next();
      else if (isTerminator(r)) {
        if (r !== EOF) this.pos--;
        break;
      }
    }
    const value = this.consume();
    cur.nodes.push(
      value === '*' ? { type: 'wildcard' } : { type: 'field', name: value.replaceAll('\\', '') },
    );
  }
}

function isTerminator(r: string): boolean {
  return r === EOF || ' \t\r\n.,[]$@{}'.includes(r);
}

function isDigit(r: string): boolean {
  return /^\p{Nd}$/u.test(r);
}

function isAlphaNumeric(r: string): boolean {
  return r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
}

/** Go's `%#U`: `U+002C ','`. */
function goUnicode(r: string): string {
  const code = r.codePointAt(0) as number;
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(r) ? `U+${hex} '${r}'` : `U+${hex}`;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Go's strconv.Unquote, also for single-quoted strings of any length; undefined = invalid syntax. */
export function unquoteExtend(quoted: string): string | undefined {
  const chars = Array.from(quoted);
  const quote = chars[0];
  if (chars.length < 2 || chars.at(-1) !== quote || (quote !== '"' && quote !== "'")) return undefined;
  const body = chars.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length;) {
    const c = body[i];
    if (c === quote) return undefined;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    i += 2;
    if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
    else if (e === "'" || e === '"') {
      if (e !== quote) return undefined;
      out += e;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i, i + n).join('');
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
      const code = parseInt(hex, 16);
      if (e !== 'x' && (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))) return undefined;
      out += String.fromCodePoint(code);
      i += n;
    } else if (/^[0-7]$/.test(e)) {
      const oct = e + body.slice(i, i + 2).join('');
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return undefined;
      out += String.fromCodePoint(parseInt(oct, 8));
      i += 2;
    } else return undefined;
  }
  return out;
}
