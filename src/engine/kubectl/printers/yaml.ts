import { sortKeys } from './json';

/**
 * `-o yaml`: kubectl converts the object to JSON and emits it with go-yaml v2 (sigs.k8s.io/yaml): keys sorted,
 * 2-space indentation, sequences at the parent's indentation, strings that would read back as another type
 * double-quoted, other strings plain when YAML allows it and single-quoted otherwise.
 */
export function toGoYaml(value: unknown, options: { sortKeys?: boolean } = {}): string {
  const lines: string[] = [];
  // Objects go through a JSON map (sorted keys); Go structs such as `kubectl version` keep their field order.
  emit(options.sortKeys === false ? value : sortKeys(value), 0, lines);
  return lines.join('\n') + '\n';
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
  lines.push(pad + scalar(value, indent));
}

function emitMapEntry(key: string, child: unknown, indent: number, lines: string[]): void {
  const head = ' '.repeat(indent) + scalar(key, indent) + ':';
  if (Array.isArray(child) && child.length > 0) {
    lines.push(head);
    for (const item of child) emitSequenceItem(item, indent, lines);
  } else if (isMap(child) && Object.keys(child).some((k) => child[k] !== undefined)) {
    lines.push(head);
    emit(child, indent + 2, lines);
  } else {
    const text = inlineValue(child, indent + 2);
    const plain = typeof child === 'string' && text === child;
    const quoted = typeof child === 'string' && !plain && text.startsWith("'");
    lines.push(`${head} ${plain || quoted ? fold(text, head.length + 1, indent + 2, quoted) : text}`);
  }
}

/** go-yaml v2's preferred line width (best_width). */
const BEST_WIDTH = 80;

/**
 * go-yaml v2's write_plain_scalar and write_single_quoted_scalar for a mapping value: once the line is past 80
 * columns, a single space before a non-space becomes a line break and the value goes on at the mapping's indentation
 * plus two. A quoted value's first and last characters (after and before the quotes) never break.
 */
function fold(text: string, column: number, indent: number, quoted: boolean): string {
  const chars = [...text];
  let out = '';
  let spaces = false;
  chars.forEach((c, i) => {
    if (c !== ' ') {
      out += c;
      column++;
      spaces = false;
      return;
    }
    const inside = !quoted || (i > 1 && i < chars.length - 2);
    if (!spaces && inside && column > BEST_WIDTH && chars[i + 1] !== ' ') {
      out += '\n' + ' '.repeat(indent);
      column = indent;
    } else {
      out += c;
      column++;
    }
    spaces = true;
  });
  return out;
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
    lines.push(`${pad}- ${inlineValue(item, indent + 2)}`);
  }
}

function inlineValue(value: unknown, indent: number): string {
  if (Array.isArray(value)) return '[]';
  if (isMap(value)) return '{}';
  return scalar(value, indent);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function scalar(value: unknown, indent: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  const text = String(value);
  if (text.includes('\n')) return literalBlock(text, indent);
  if (readsAsNonString(text)) return doubleQuoted(text);
  if (plainAllowed(text)) return text;
  if (/^[\x20-\x7e\u00a0-\uffff]*$/.test(text)) return `'${text.replace(/'/g, "''")}'`;
  return doubleQuoted(text);
}

function literalBlock(text: string, indent: number): string {
  const keep = text.endsWith('\n');
  const body = keep ? text.slice(0, -1) : text;
  const pad = ' '.repeat(indent);
  return (
    (keep ? '|' : '|-') +
    body
      .split('\n')
      .map((line) => '\n' + (line === '' ? '' : pad + line))
      .join('')
  );
}

function doubleQuoted(text: string): string {
  return JSON.stringify(text);
}

/** YAML 1.1 implicit types (what go-yaml's resolver would not read back as a string). */
function readsAsNonString(text: string): boolean {
  if (text === '' || text === '~' || /^(null|Null|NULL)$/.test(text)) return true;
  if (/^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(text))
    return true;
  if (
    /^[-+]?(0|[1-9][0-9_]*)$/.test(text) ||
    /^[-+]?0[0-7_]+$/.test(text) ||
    /^[-+]?0x[0-9a-fA-F_]+$/.test(text)
  )
    return true;
  if (/^[-+]?0b[01_]+$/.test(text)) return true;
  if (/^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$/.test(text) && /[0-9]/.test(text)) return true;
  if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(text)) return true;
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text) || /^\.(nan|NaN|NAN)$/.test(text)) return true;
  if (/^\d{4}-\d\d?-\d\d?([Tt ]|$)/.test(text)) return true;
  return false;
}

function plainAllowed(text: string): boolean {
  if (/^\s|\s$/.test(text)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text)) {
    if (!/^[-?:]/.test(text) || text.length === 1 || /^[-?:]\s/.test(text)) return false;
  }
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) return false;
  return !/[\u0000-\u001f\u007f]/.test(text);
}
