import { CommandError } from '../context';

/**
 * The part of Go's text/template that the Kubernetes tutorials use with `-o go-template`:
 * `{{.a.b}}`, `{{range .items}}...{{end}}`, `{{if X}}...{{else}}...{{end}}`, string literals such as `{{"\n"}}`,
 * `{{index .spec.ports 0}}`, `{{(index .spec.ports 0).nodePort}}`, `len`, `eq`/`ne`/`not`/`and`/`or` and `printf`. A missing map key prints
 * `<no value>`, as in Go.
 */
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; expr: Expr }
  | { kind: 'range'; expr: Expr; body: Node[]; elseBody: Node[] }
  | { kind: 'if'; expr: Expr; body: Node[]; elseBody: Node[] };

type Expr =
  | { kind: 'field'; base: Expr | null; path: string[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'call'; name: string; args: Expr[] };

const NO_VALUE = Symbol('no value');

export function renderGoTemplate(template: string, data: unknown): string {
  const tokens = lex(template);
  let index = 0;
  const parseList = (terminators: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (index < tokens.length) {
      const token = tokens[index++];
      if (token.kind === 'text') {
        nodes.push({ kind: 'text', text: token.text });
        continue;
      }
      const action = token.text;
      const word = action.split(/\s+/)[0];
      if (terminators.includes(word)) return { nodes, end: word };
      if (word === 'range' || word === 'if') {
        const expr = parseExpr(action.slice(word.length).trim());
        const body = parseList(['end', 'else']);
        const elseBody = body.end === 'else' ? parseList(['end']).nodes : [];
        nodes.push({ kind: word, expr, body: body.nodes, elseBody });
      } else if (word === 'end' || word === 'else') {
        throw templateError(`unexpected {{${word}}}`);
      } else {
        nodes.push({ kind: 'expr', expr: parseExpr(action) });
      }
    }
    if (terminators.length > 0) throw templateError('unexpected EOF');
    return { nodes, end: '' };
  };
  const { nodes } = parseList([]);
  return render(nodes, data);
}

function templateError(detail: string): CommandError {
  return new CommandError(`error parsing template: template: output:1: ${detail}`);
}

function lex(template: string): { kind: 'text' | 'action'; text: string }[] {
  const tokens: { kind: 'text' | 'action'; text: string }[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      tokens.push({ kind: 'text', text: template.slice(i) });
      break;
    }
    let text = template.slice(i, open);
    let start = open + 2;
    if (template[start] === '-' && /\s/.test(template[start + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      start++;
    }
    if (text) tokens.push({ kind: 'text', text });
    let close = start;
    let quote: string | null = null;
    for (; close < template.length; close++) {
      const c = template[close];
      if (quote) {
        if (c === '\\') close++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === '`') quote = c;
      else if (template.startsWith('}}', close)) break;
    }
    if (close >= template.length) throw templateError('unclosed action');
    let action = template.slice(start, close).trim();
    i = close + 2;
    if (action.endsWith(' -') || action === '-') {
      action = action.slice(0, -1).trim();
      while (i < template.length && /\s/.test(template[i])) i++;
    }
    tokens.push({ kind: 'action', text: action });
  }
  return tokens;
}

function parseExpr(source: string): Expr {
  const terms = splitTerms(source);
  if (terms.length === 0) throw templateError('missing value for command');
  if (terms.length > 1 || /^[a-z]+$/.test(terms[0])) {
    const [name, ...args] = terms;
    if (!['index', 'len', 'print', 'println', 'printf', 'eq', 'ne', 'not', 'and', 'or'].includes(name))
      throw templateError(`function "${name}" not defined`);
    return { kind: 'call', name, args: args.map(parseTerm) };
  }
  return parseTerm(terms[0]);
}

function splitTerms(source: string): string[] {
  const terms: string[] = [];
  let i = 0;
  while (i < source.length) {
    if (/\s/.test(source[i])) {
      i++;
      continue;
    }
    let j = i;
    let depth = 0;
    let quote: string | null = null;
    for (; j < source.length; j++) {
      const c = source[j];
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === '`') quote = c;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (/\s/.test(c) && depth === 0) break;
    }
    terms.push(source.slice(i, j));
    i = j;
  }
  return terms;
}

function parseTerm(term: string): Expr {
  if (/^"(?:[^"\\]|\\.)*"$/.test(term)) return { kind: 'literal', value: JSON.parse(term) as string };
  if (/^`[^`]*`$/.test(term)) return { kind: 'literal', value: term.slice(1, -1) };
  if (/^-?\d+$/.test(term)) return { kind: 'literal', value: Number(term) };
  if (term === '.') return { kind: 'field', base: null, path: [] };
  if (term.startsWith('(')) {
    let depth = 0;
    let close = 0;
    for (; close < term.length; close++) {
      if (term[close] === '(') depth++;
      else if (term[close] === ')' && --depth === 0) break;
    }
    const inner = parseExpr(term.slice(1, close));
    const rest = term.slice(close + 1);
    return rest ? { kind: 'field', base: inner, path: fieldPath(rest) } : inner;
  }
  if (term.startsWith('.')) return { kind: 'field', base: null, path: fieldPath(term) };
  throw templateError(`unexpected "${term}" in command`);
}

function fieldPath(text: string): string[] {
  if (!/^(\.[A-Za-z0-9_]+)+$/.test(text)) throw templateError(`bad field "${text}"`);
  return text.slice(1).split('.');
}

function evaluate(expr: Expr, dot: unknown): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'field': {
      let value = expr.base ? evaluate(expr.base, dot) : dot;
      for (const key of expr.path) {
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          value = key in value ? (value as Record<string, unknown>)[key] : NO_VALUE;
        } else if (value === NO_VALUE || value === null || value === undefined) {
          return NO_VALUE;
        } else {
          throw new CommandError(
            `error executing template "${key}": can't evaluate field ${key} in type ${goType(value)}`,
          );
        }
      }
      return value;
    }
    case 'call': {
      const args = expr.args.map((a) => evaluate(a, dot));
      if (expr.name === 'index') {
        let value = args[0];
        for (const key of args.slice(1)) {
          if (Array.isArray(value) && typeof key === 'number') {
            if (key < 0 || key >= value.length)
              throw new CommandError(
                `error executing template: error calling index: index out of range: ${key}`,
              );
            value = value[key];
          } else if (value !== null && typeof value === 'object')
            value = (value as Record<string, unknown>)[String(key)] ?? NO_VALUE;
          else
            throw new CommandError(
              `error executing template: error calling index: can't index item of type ${goType(value)}`,
            );
        }
        return value;
      }
      if (expr.name === 'len') {
        const value = args[0];
        if (Array.isArray(value) || typeof value === 'string') return value.length;
        if (value !== null && typeof value === 'object') return Object.keys(value).length;
        throw new CommandError(`error executing template: error calling len: len of type ${goType(value)}`);
      }
      if (expr.name === 'eq') return args.slice(1).some((a) => a === args[0]);
      if (expr.name === 'ne') return args[0] !== args[1];
      if (expr.name === 'not') return !truthy(args[0]);
      if (expr.name === 'and') return args.find((a) => !truthy(a)) ?? args[args.length - 1];
      if (expr.name === 'or') return args.find((a) => truthy(a)) ?? args[args.length - 1];
      if (expr.name === 'printf')
        return String(args[0] ?? '').replace(/%[vsd]/g, () => printValue(args.splice(1, 1)[0]));
      return (
        args.map(printValue).join(expr.name === 'println' ? ' ' : '') + (expr.name === 'println' ? '\n' : '')
      );
    }
  }
}

function render(nodes: Node[], dot: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'expr') out += printValue(evaluate(node.expr, dot));
    else {
      const value = evaluate(node.expr, dot);
      if (node.kind === 'if') out += render(truthy(value) ? node.body : node.elseBody, dot);
      else {
        const items = Array.isArray(value)
          ? value
          : value !== null && typeof value === 'object'
            ? Object.keys(value)
                .sort()
                .map((k) => (value as Record<string, unknown>)[k])
            : [];
        if (items.length === 0) out += render(node.elseBody, dot);
        for (const item of items) out += render(node.body, item);
      }
    }
  }
  return out;
}

function truthy(value: unknown): boolean {
  if (
    value === NO_VALUE ||
    value === null ||
    value === undefined ||
    value === false ||
    value === 0 ||
    value === ''
  )
    return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function printValue(value: unknown): string {
  if (value === NO_VALUE || value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (typeof value === 'object')
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${printValue((value as Record<string, unknown>)[k])}`)
      .join(' ')}]`;
  return String(value);
}

function goType(value: unknown): string {
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'string' ? 'string' : 'interface {}';
}
