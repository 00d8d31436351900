/**
 * `ls [-l] [-a] [-A] [-d] [-1] [-R] [PATH...]` over the home, as GNU ls prints in the C locale: files given as
 * operands first, then each folder under a `NAME:` heading; columns on a terminal (80 wide, filled down first),
 * one name per line into a pipe or a file; `-l` with ls's widths, `total` in 1K blocks and its date rule (the time
 * for the last six months, the year otherwise).
 */
import { FileContext, parseOptions, reason, usage } from './file-context';
import { byteLength, HomeEntry, joinKey } from './home-directory';

const OPTIONS: Record<string, string> = {
  l: 'long',
  a: 'all',
  all: 'all',
  A: 'almost',
  'almost-all': 'almost',
  d: 'directory',
  directory: 'directory',
  '1': 'one',
  R: 'recursive',
  recursive: 'recursive',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = (365.2425 / 2) * 24 * 3600 * 1000;
const WIDTH = 80;

interface Row {
  name: string;
  entry: HomeEntry;
  /** Subfolders, for the link count of a folder. */
  links: number;
  owner: string;
}

export function runLs(ctx: FileContext, args: string[], tty: boolean): number {
  const parsed = parseOptions(args, OPTIONS);
  if ('error' in parsed) return usage(ctx, 'ls', parsed.error, 2);
  const { flags } = parsed;
  const operands = parsed.operands.length > 0 ? parsed.operands : ['.'];
  let code = 0;
  const files: { name: string; key: string; entry: HomeEntry }[] = [];
  const dirs: { name: string; key: string }[] = [];
  for (const operand of operands) {
    try {
      const { key, dirOnly } = ctx.home.resolve(operand, ctx.cwd);
      ctx.home.checkParents(key);
      const entry = ctx.home.stat(key);
      if (!entry) throw new Error('ENOENT');
      if (entry.kind === 'file' && dirOnly) throw new Error('ENOTDIR');
      if (entry.kind === 'dir' && !flags.has('directory')) dirs.push({ name: operand, key });
      else files.push({ name: operand, key, entry });
    } catch (error) {
      const text =
        error instanceof Error && /^E/.test(error.message) ? strerror(error.message) : reason(error);
      ctx.stderr(`ls: cannot access '${operand}': ${text}\n`);
      code = 2;
    }
  }
  files.sort((a, b) => compare(a.name, b.name));
  dirs.sort((a, b) => compare(a.name, b.name));
  const blocks: string[] = [];
  if (files.length > 0)
    blocks.push(
      format(
        ctx,
        files.map((f) => row(ctx, f.name, f.key, f.entry)),
        flags,
        tty,
        false,
      ),
    );
  const headed = operands.length > 1 || flags.has('recursive') || code !== 0;
  const queue = [...dirs];
  while (queue.length > 0) {
    const dir = queue.shift() as { name: string; key: string };
    const names = ctx.home.list(dir.key);
    const rows: Row[] = [];
    if (flags.has('all')) {
      rows.push(row(ctx, '.', dir.key, ctx.home.stat(dir.key) as HomeEntry));
      rows.push(parentRow(ctx, dir.key));
    }
    for (const name of names)
      if (!name.startsWith('.') || flags.has('all') || flags.has('almost')) {
        const key = joinKey(dir.key, name);
        rows.push(row(ctx, name, key, ctx.home.stat(key) as HomeEntry));
      }
    const body = format(ctx, rows, flags, tty, true);
    blocks.push(headed ? `${dir.name}:\n${body}` : body);
    if (flags.has('recursive')) {
      const subdirs = rows
        .filter((r) => r.entry.kind === 'dir' && r.name !== '.' && r.name !== '..')
        .map((r) => ({
          name: `${dir.name}/${r.name}`.replace(/\/\/+/g, '/'),
          key: joinKey(dir.key, r.name),
        }));
      queue.unshift(...subdirs);
    }
  }
  ctx.stdout(blocks.join('\n'));
  return code;
}

function strerror(code: string): string {
  return code === 'ENOTDIR' ? 'Not a directory' : 'No such file or directory';
}

/** ls sorts by strcoll; in the C locale that is byte order. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function row(ctx: FileContext, name: string, key: string, entry: HomeEntry): Row {
  const links =
    entry.kind === 'dir'
      ? 2 + ctx.home.list(key).filter((n) => ctx.home.stat(joinKey(key, n))?.kind === 'dir').length
      : 1;
  return { name, entry, links, owner: 'student' };
}

/** `..` of the home is /home, root's; elsewhere the parent folder. */
function parentRow(ctx: FileContext, key: string): Row {
  if (key === '')
    return {
      name: '..',
      entry: { kind: 'dir', mtime: ctx.home.stat('')?.mtime ?? 0 },
      links: 3,
      owner: 'root',
    };
  const parent = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '';
  return { ...row(ctx, '..', parent, ctx.home.stat(parent) as HomeEntry) };
}

function format(ctx: FileContext, rows: Row[], flags: Set<string>, tty: boolean, total: boolean): string {
  if (flags.has('long')) return long(ctx, rows, total);
  if (rows.length === 0) return '';
  if (!tty || flags.has('one')) return rows.map((r) => `${r.name}\n`).join('');
  return columns(rows.map((r) => r.name));
}

function long(ctx: FileContext, rows: Row[], total: boolean): string {
  const size = (r: Row) => (r.entry.kind === 'dir' ? 4096 : byteLength(r.entry.text));
  const linkWidth = Math.max(...rows.map((r) => String(r.links).length), 0);
  const ownerWidth = Math.max(...rows.map((r) => r.owner.length), 0);
  const sizeWidth = Math.max(...rows.map((r) => String(size(r)).length), 0);
  const now = ctx.home.mtimeNow();
  const lines = rows.map((r) => {
    const mode = r.entry.kind === 'dir' ? 'drwxr-xr-x' : '-rw-r--r--';
    return `${mode} ${String(r.links).padStart(linkWidth)} ${r.owner.padEnd(ownerWidth)} ${r.owner.padEnd(ownerWidth)} ${String(size(r)).padStart(sizeWidth)} ${date(r.entry.mtime, now)} ${r.name}\n`;
  });
  // Blocks of 1 KiB as ext4 allocates them: 4 KiB per started 4 KiB.
  const blocks = rows.reduce((sum, r) => sum + Math.ceil(size(r) / 4096) * 4, 0);
  return (total ? `total ${blocks}\n` : '') + lines.join('');
}

function date(ms: number, now: number): string {
  const d = new Date(ms);
  const day = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}`;
  const recent = ms <= now && now - ms < SIX_MONTHS_MS;
  return recent
    ? `${day} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
    : `${day}  ${d.getUTCFullYear()}`;
}

/**
 * GNU ls -C (print_many_per_line): the most columns whose widths (name + 2, the last column without the 2) stay
 * under 80, filled down first; the gap is indented with tabs at 8-column stops where a tab fits, as ls does.
 */
function columns(names: string[]): string {
  const MIN = 3;
  const maxCols = Math.min(Math.floor(WIDTH / MIN), names.length);
  const info = Array.from({ length: maxCols }, (_, i) => ({
    valid: true,
    lineLen: (i + 1) * MIN,
    widths: new Array<number>(i + 1).fill(MIN),
  }));
  names.forEach((name, index) => {
    for (let i = 0; i < maxCols; i++) {
      const col = info[i];
      if (!col.valid) continue;
      const at = Math.floor(index / Math.ceil(names.length / (i + 1)));
      const real = name.length + (at === i ? 0 : 2);
      if (col.widths[at] < real) {
        col.lineLen += real - col.widths[at];
        col.widths[at] = real;
        col.valid = col.lineLen < WIDTH;
      }
    }
  });
  let cols = maxCols;
  while (cols > 1 && !info[cols - 1].valid) cols--;
  const widths = info[cols - 1].widths;
  const rows = Math.ceil(names.length / cols);
  let out = '';
  for (let r = 0; r < rows; r++) {
    let pos = 0;
    for (let index = r, c = 0; ; c++) {
      out += names[index];
      const end = pos + names[index].length;
      pos += widths[c];
      index += rows;
      if (index >= names.length) break;
      out += indent(end, pos);
    }
    out += '\n';
  }
  return out;
}

function indent(from: number, to: number): string {
  let out = '';
  while (from < to) {
    if (Math.floor(to / 8) > Math.floor((from + 1) / 8)) {
      out += '\t';
      from += 8 - (from % 8);
    } else {
      out += ' ';
      from++;
    }
  }
  return out;
}
