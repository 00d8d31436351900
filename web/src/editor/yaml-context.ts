/**
 * Where the cursor is in a YAML manifest, read from the lines and their indentation rather than a parse, because
 * the text is half typed while completing (`  repl|` does not parse as what it will become). Block style as kubectl
 * writes it: `key:` opens a mapping or a list below it, `- ` starts a list item, indented or not.
 */

/** A path into a manifest: field names, and '[]' for "an item of this list". */
export type Segment = string;

interface Line {
  /** Columns of the `- ` markers at the start of the line. */
  dashes: number[];
  /** The key on the line (after any dashes), its column, and whether a value follows it on the same line. */
  key?: string;
  keyCol: number;
  hasValue: boolean;
  /** First column with content; -1 for a blank or comment line. */
  indent: number;
  separator: boolean;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"\-?:,[\]{}][^#:]*?|-[^\s#:][^#:]*?)\s*:(?:\s|$)/;

export function parseLine(text: string): Line {
  const line: Line = { dashes: [], keyCol: -1, hasValue: false, indent: -1, separator: false };
  if (/^(---|\.\.\.)(\s|$)/.test(text)) return { ...line, separator: true };
  let col = text.search(/\S/);
  if (col < 0 || text[col] === '#') return line;
  line.indent = col;
  while (text[col] === '-' && (text[col + 1] === ' ' || col + 1 === text.length)) {
    line.dashes.push(col);
    col += 1;
    while (text[col] === ' ') col++;
  }
  const match = KEY.exec(text.slice(col));
  if (match) {
    line.key = unquote(match[1].trim());
    line.keyCol = col;
    const rest = text
      .slice(col + match[0].length)
      .replace(/(^|\s)#.*$/, '')
      .trim();
    line.hasValue = rest !== '';
  }
  return line;
}

function unquote(key: string): string {
  if (key.startsWith('"') && key.endsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  if (key.startsWith("'") && key.endsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

/**
 * The path of the mapping whose keys sit at column `col` on line `at` (the line itself included when it starts a
 * list item there); undefined when the lines above do not say (flow style, a value on the parent's line).
 */
export function parentPath(lines: string[], at: number, col: number): Segment[] | undefined {
  const path: Segment[] = [];
  let mode: 'map' | 'seq' = 'map';
  let i = at;
  // Whether line i is looked at for the `- ` markers before `col` (list items it starts), not as a line above.
  let sameLine = true;
  for (let steps = 0; steps < 100_000; steps++) {
    if (sameLine) {
      const dashes = (i >= 0 && i < lines.length ? parseLine(lines[i]).dashes : []).filter((d) => d < col);
      if (dashes.length > 0) {
        path.push('[]');
        mode = 'seq';
        col = dashes[dashes.length - 1];
      } else {
        sameLine = false;
        i--;
      }
      continue;
    }
    if (i < 0) break;
    const line = parseLine(lines[i]);
    if (line.separator) break;
    if (line.indent < 0) {
      i--;
      continue;
    }
    if (mode === 'map') {
      if (line.indent >= col) {
        i--; // a sibling, or what is inside one
        continue;
      }
      if (line.key !== undefined && line.keyCol === col) {
        sameLine = true; // the first key of the list item our mapping is
        continue;
      }
      if (line.key !== undefined && line.keyCol < col && !line.hasValue) {
        path.push(line.key);
        col = line.keyCol;
        sameLine = true;
        continue;
      }
      return undefined;
    }
    if (line.indent > col || (line.indent === col && line.dashes[0] === col)) {
      i--; // an earlier item of the list, or inside one
      continue;
    }
    if (line.key !== undefined && line.keyCol <= col && !line.hasValue) {
      path.push(line.key);
      mode = 'map';
      col = line.keyCol;
      sameLine = true;
      continue;
    }
    return undefined;
  }
  return mode === 'map' && col === 0 ? path.reverse() : undefined;
}

export interface CursorContext {
  /** The path of the mapping the cursor is in. */
  path: Segment[];
  /** Completing a key (`  repl|`) or the value after `key: `. */
  mode: 'key' | 'value';
  /** The key whose value is typed (mode 'value'). */
  key?: string;
  /** Where the word being typed starts, and what of it is typed. */
  from: number;
  typed: string;
  /** The keys the mapping already has (not offered again). */
  siblings: string[];
}

/** What the cursor at `pos` is typing, for completion; undefined where nothing sensible can be offered. */
export function cursorContext(text: string, pos: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const before = text.slice(lineStart, pos);
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop();
  const lineIndex = lines.length;
  const lineEnd = text.indexOf('\n', pos);
  lines.push(text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd));
  const keyTyping = /^(\s*(?:-\s+)*)([\w./-]*)$/.exec(before);
  if (keyTyping) {
    const col = keyTyping[1].length;
    const path = parentPath(lines, lineIndex, col);
    if (!path) return undefined;
    return {
      path,
      mode: 'key',
      from: pos - keyTyping[2].length,
      typed: keyTyping[2],
      siblings: siblingKeys(lines, lineIndex, col),
    };
  }
  const valueTyping = /^(\s*(?:-\s+)*)([\w./-]+):\s+([\w./-]*)$/.exec(before);
  if (valueTyping) {
    const col = valueTyping[1].length;
    const path = parentPath(lines, lineIndex, col);
    if (!path) return undefined;
    return {
      path,
      mode: 'value',
      key: valueTyping[2],
      from: pos - valueTyping[3].length,
      typed: valueTyping[3],
      siblings: [],
    };
  }
  return undefined;
}

/** The keys at column `col` of the mapping that line `at` belongs to. */
function siblingKeys(lines: string[], at: number, col: number): string[] {
  const out: string[] = [];
  const scan = (from: number, step: 1 | -1) => {
    for (let i = from; i >= 0 && i < lines.length; i += step) {
      const line = parseLine(lines[i]);
      if (line.separator) return;
      if (line.indent < 0) continue;
      if (line.keyCol === col && line.key !== undefined) out.push(line.key);
      // A line that starts this list item (going up) or the next one (going down) ends the mapping.
      if (line.dashes.some((d) => d < col) && line.keyCol === col) return;
      if (line.indent < col && line.keyCol !== col) return;
      if (step === 1 && line.dashes.length > 0 && line.indent < col) return;
    }
  };
  scan(at - 1, -1);
  scan(at + 1, 1);
  return out.sort();
}

/** The key under `pos` and the path of its mapping (for hover docs); undefined off a key. */
export function keyAt(text: string, pos: number): { path: Segment[]; key: string } | undefined {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const lineEndAt = text.indexOf('\n', pos);
  const lineText = text.slice(lineStart, lineEndAt < 0 ? text.length : lineEndAt);
  const line = parseLine(lineText);
  if (line.key === undefined) return undefined;
  const column = pos - lineStart;
  const keyEnd = lineText.indexOf(':', line.keyCol);
  if (column < line.keyCol || column > keyEnd) return undefined;
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop();
  const lineIndex = lines.length;
  lines.push(lineText);
  const path = parentPath(lines, lineIndex, line.keyCol);
  return path ? { path, key: line.key } : undefined;
}

/** The top-level `apiVersion` and `kind` of the document `pos` is in. */
export function documentHeader(text: string, pos: number): { apiVersion?: string; kind?: string } {
  const lines = text.split('\n');
  const at = text.slice(0, pos).split('\n').length - 1;
  let start = at;
  while (start > 0 && !parseLine(lines[start]).separator) start--;
  const out: { apiVersion?: string; kind?: string } = {};
  for (let i = start; i < lines.length; i++) {
    if (i > start && parseLine(lines[i]).separator) break;
    const match = /^(apiVersion|kind):\s*["']?([\w./-]+)["']?\s*(#.*)?$/.exec(lines[i]);
    if (match) out[match[1] as 'apiVersion' | 'kind'] = match[2];
  }
  return out;
}
