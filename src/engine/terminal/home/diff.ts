/**
 * `diff [-u | -U N] FILE1 FILE2` over the home, printing GNU diff's normal format (`2c2`, `< old`, `---`, `> new`)
 * or its unified format (`--- a<TAB>date`, `@@ -1,3 +1,4 @@`), exit 0 when equal, 1 when different, 2 on trouble.
 * The line matching is Myers' shortest edit script, which is what GNU diff computes for ordinary files.
 */
import { FileContext, reason } from './file-context';
import { locate, readOperand } from './file-commands';
import { baseName } from './home-directory';

type Op = { kind: 'same' | 'del' | 'add'; line: string };

export function runDiff(ctx: FileContext, args: string[]): number {
  let context: number | undefined;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    } else if (arg === '-u' || arg === '--unified') context = 3;
    else if (arg === '-U' || /^-U\d+$/.test(arg) || /^--unified=\d+$/.test(arg)) {
      const value = arg === '-U' ? args[++i] : arg.replace(/^(-U|--unified=)/, '');
      if (value === undefined || !/^\d+$/.test(value)) {
        ctx.stderr(
          `diff: invalid context length '${value ?? ''}'\ndiff: Try 'diff --help' for more information.\n`,
        );
        return 2;
      }
      context = Number(value);
    } else if (arg.startsWith('-') && arg !== '-') {
      const text = arg.startsWith('--') ? `unrecognized option '${arg}'` : `invalid option -- '${arg[1]}'`;
      ctx.stderr(`diff: ${text}\ndiff: Try 'diff --help' for more information.\n`);
      return 2;
    } else operands.push(arg);
  }
  if (operands.length < 2) {
    const after = operands.length === 0 ? 'diff' : operands[0];
    ctx.stderr(`diff: missing operand after '${after}'\ndiff: Try 'diff --help' for more information.\n`);
    return 2;
  }
  if (operands.length > 2) {
    ctx.stderr(`diff: extra operand '${operands[2]}'\ndiff: Try 'diff --help' for more information.\n`);
    return 2;
  }
  const sides: { name: string; text: string; mtime: number }[] = [];
  for (const [index, operand] of operands.entries()) {
    // A folder compared with a file stands for the file of the same name inside it, as in GNU diff.
    let name = operand;
    try {
      const found = locate(ctx, operand);
      if (found.entry?.kind === 'dir') {
        const other = operands[1 - index];
        name = `${operand.replace(/\/+$/, '')}/${baseName(other)}`;
      }
      const text = readOperand(ctx, name);
      const entry = locate(ctx, name).entry;
      sides.push({ name, text, mtime: entry?.mtime ?? 0 });
    } catch (error) {
      ctx.stderr(`diff: ${name}: ${reason(error)}\n`);
      return 2;
    }
  }
  const [a, b] = sides;
  if (a.text === b.text) return 0;
  const ops = diffLines(a.text, b.text);
  if (context === undefined) ctx.stdout(normalFormat(ops, a.text, b.text));
  else {
    ctx.stdout(`--- ${a.name}\t${diffDate(a.mtime)}\n+++ ${b.name}\t${diffDate(b.mtime)}\n`);
    ctx.stdout(unifiedHunks(ops, context, a.text, b.text));
  }
  return 1;
}

/** GNU diff's header time: `2024-06-03 02:15:00.000000000 +0000` (the lab's clock is UTC). */
export function diffDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000000 +0000`;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edit script turning `a` into `b`, line by line (Myers' O(ND) algorithm with its trace kept). */
export function diffLines(aText: string, bText: string): Op[] {
  const a = splitLines(aText);
  const b = splitLines(bText);
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        v = next;
        trace.push(v);
        break outer;
      }
    }
    v = next;
  }
  // Walk the trace back from the end to recover the path.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d > 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'same', line: a[--x] });
      y--;
    }
    if (x === prevX) ops.push({ kind: 'add', line: b[--y] });
    else ops.push({ kind: 'del', line: a[--x] });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: 'same', line: a[--x] });
    y--;
  }
  return ops.reverse();
}

interface Hunk {
  aStart: number;
  aLines: string[];
  bStart: number;
  bLines: string[];
}

/** Runs of changes with the line numbers (0-based) where they start in each file. */
function changeRuns(ops: Op[]): Hunk[] {
  const hunks: Hunk[] = [];
  let ai = 0;
  let bi = 0;
  let current: Hunk | undefined;
  for (const op of ops) {
    if (op.kind === 'same') {
      current = undefined;
      ai++;
      bi++;
      continue;
    }
    if (!current) hunks.push((current = { aStart: ai, aLines: [], bStart: bi, bLines: [] }));
    if (op.kind === 'del') {
      current.aLines.push(op.line);
      ai++;
    } else {
      current.bLines.push(op.line);
      bi++;
    }
  }
  return hunks;
}

const NO_NEWLINE = '\\ No newline at end of file\n';

function range(start: number, count: number): string {
  return count > 1 ? `${start},${start + count - 1}` : `${start}`;
}

function normalFormat(ops: Op[], aText: string, bText: string): string {
  const aCount = splitLines(aText).length;
  const bCount = splitLines(bText).length;
  let out = '';
  const mark = (lines: string[], prefix: string, endsAt: number, total: number, text: string) =>
    lines.map((l) => `${prefix}${l}\n`).join('') +
    (endsAt === total && !text.endsWith('\n') && text !== '' ? NO_NEWLINE : '');
  for (const h of changeRuns(ops)) {
    const { aStart, aLines, bStart, bLines } = h;
    if (aLines.length === 0) out += `${aStart}a${range(bStart + 1, bLines.length)}\n`;
    else if (bLines.length === 0) out += `${range(aStart + 1, aLines.length)}d${bStart}\n`;
    else out += `${range(aStart + 1, aLines.length)}c${range(bStart + 1, bLines.length)}\n`;
    out += mark(aLines, '< ', aStart + aLines.length, aCount, aText);
    if (aLines.length > 0 && bLines.length > 0) out += '---\n';
    out += mark(bLines, '> ', bStart + bLines.length, bCount, bText);
  }
  return out;
}

/** Unified hunks with `context` lines around changes; hunks closer than 2×context merge, as in GNU diff. */
export function unifiedHunks(ops: Op[], context: number, aText: string, bText: string): string {
  const aEnds = !aText.endsWith('\n') && aText !== '';
  const bEnds = !bText.endsWith('\n') && bText !== '';
  const aTotal = splitLines(aText).length;
  const bTotal = splitLines(bText).length;
  const changed = ops.map((op, i) => (op.kind === 'same' ? -1 : i)).filter((i) => i >= 0);
  let out = '';
  let i = 0;
  while (i < changed.length) {
    const first = changed[i];
    let last = first;
    while (i + 1 < changed.length && changed[i + 1] - last <= 2 * context + 1) last = changed[++i];
    i++;
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    let aStart = 0;
    let bStart = 0;
    for (let k = 0; k < from; k++) {
      if (ops[k].kind !== 'add') aStart++;
      if (ops[k].kind !== 'del') bStart++;
    }
    let body = '';
    let aCount = 0;
    let bCount = 0;
    for (let k = from; k <= to; k++) {
      const op = ops[k];
      const prefix = op.kind === 'same' ? ' ' : op.kind === 'del' ? '-' : '+';
      body += `${prefix}${op.line}\n`;
      if (op.kind !== 'add') aCount++;
      if (op.kind !== 'del') bCount++;
      const aLast = op.kind !== 'add' && aStart + aCount === aTotal && aEnds;
      const bLast = op.kind !== 'del' && bStart + bCount === bTotal && bEnds;
      if (aLast || bLast) body += NO_NEWLINE;
    }
    const side = (start: number, count: number) =>
      count === 1 ? `${start + 1}` : `${count === 0 ? start : start + 1},${count}`;
    out += `@@ -${side(aStart, aCount)} +${side(bStart, bCount)} @@\n${body}`;
  }
  return out;
}
