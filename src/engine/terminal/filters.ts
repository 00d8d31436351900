/**
 * The text filters a pipeline can feed: grep, wc, head and tail, run in-process on the previous stage's output.
 * Options are parsed up front (`parseFilter`) so a bad option stops the line before anything runs.
 */
export interface Filter {
  write(chunk: string): void;
  /** Flushes what is buffered and returns the filter's exit code. */
  end(): number;
}

/** How a filter reading several files labels one: grep's `FILE:` prefix, wc's name column and its width. */
export interface FileLabel {
  label: string;
  width: number;
}

export type FilterFactory = (out: (chunk: string) => void, file?: FileLabel) => Filter;

/** A parsed filter stage; `files` are its file operands (`file` is the first, for callers reading one). */
export interface ParsedFilter {
  name: string;
  factory: FilterFactory;
  file?: string;
  files: string[];
  /** grep -q: a match makes the status 0 even when a file could not be read. */
  quiet?: boolean;
}

export class FilterUsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export { FILTER_NAMES } from './vocabulary';

/** Splits streamed text into complete lines, keeping an unterminated last line until the end. */
class LineSplitter {
  private partial = '';
  constructor(private readonly onLine: (line: string, terminated: boolean) => void) {}
  write(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line, true);
  }
  end(): void {
    if (this.partial !== '') this.onLine(this.partial, false);
    this.partial = '';
  }
}

export function parseFilter(name: string, args: string[]): ParsedFilter {
  switch (name) {
    case 'grep':
      return { ...parseGrep(args), name };
    case 'wc':
      return { ...parseWc(args), name };
    case 'head':
    case 'tail':
      return { ...parseHeadTail(name, args), name };
    default:
      throw new FilterUsageError(`${name}: not a filter`, 2);
  }
}

function parseGrep(args: string[]): Omit<ParsedFilter, 'name'> {
  const opts = {
    invert: false,
    ignoreCase: false,
    count: false,
    extended: false,
    fixed: false,
    word: false,
    lineNumbers: false,
    onlyMatching: false,
    quiet: false,
  };
  const operands: string[] = [];
  const patterns: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    const long: Record<string, keyof typeof opts> = {
      '--invert-match': 'invert',
      '--ignore-case': 'ignoreCase',
      '--count': 'count',
      '--extended-regexp': 'extended',
      '--fixed-strings': 'fixed',
      '--word-regexp': 'word',
      '--line-number': 'lineNumbers',
      '--only-matching': 'onlyMatching',
      '--quiet': 'quiet',
    };
    if (arg.startsWith('--')) {
      if (long[arg]) opts[long[arg]] = true;
      else if (arg.startsWith('--regexp=')) patterns.push(arg.slice(9));
      else if (arg === '--color' || arg.startsWith('--color=') || arg.startsWith('--colour')) continue;
      else
        throw new FilterUsageError(
          `grep: unrecognized option '${arg}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.`,
          2,
        );
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j];
        const short: Record<string, keyof typeof opts> = {
          v: 'invert',
          i: 'ignoreCase',
          c: 'count',
          E: 'extended',
          F: 'fixed',
          w: 'word',
          n: 'lineNumbers',
          o: 'onlyMatching',
          q: 'quiet',
        };
        if (short[c]) opts[short[c]] = true;
        else if (c === 'e') {
          const value = arg.slice(j + 1) || args[++i];
          if (value === undefined)
            throw new FilterUsageError(
              "grep: option requires an argument -- 'e'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.",
              2,
            );
          patterns.push(value);
          break;
        } else
          throw new FilterUsageError(
            `grep: invalid option -- '${c}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.`,
            2,
          );
      }
      continue;
    }
    operands.push(arg);
  }
  if (patterns.length === 0) {
    const pattern = operands.shift();
    if (pattern === undefined)
      throw new FilterUsageError(
        "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.",
        2,
      );
    patterns.push(...pattern.split('\n'));
  }
  const source = patterns
    .map((p) => (opts.fixed ? escapeRegExp(p) : opts.extended ? p : basicToJs(p)))
    .map((p) => (opts.word ? `(?<![A-Za-z0-9_])(?:${p})(?![A-Za-z0-9_])` : p))
    .join('|');
  let regex: RegExp;
  try {
    regex = new RegExp(source, opts.ignoreCase ? 'gi' : 'g');
  } catch {
    throw new FilterUsageError(`grep: Invalid regular expression`, 2);
  }
  const factory: FilterFactory = (out, file) => {
    // Several files: each line and count is prefixed by its file's name.
    const label = file ? `${file.label}:` : '';
    let selected = 0;
    let lineNumber = 0;
    const splitter = new LineSplitter((line, terminated) => {
      lineNumber++;
      regex.lastIndex = 0;
      const matches = regex.test(line);
      if (matches === opts.invert) return;
      selected++;
      if (opts.count || opts.quiet) return;
      const prefix = label + (opts.lineNumbers ? `${lineNumber}:` : '');
      if (opts.onlyMatching && !opts.invert) {
        regex.lastIndex = 0;
        for (const m of line.matchAll(regex)) if (m[0] !== '') out(`${prefix}${m[0]}\n`);
        return;
      }
      out(`${prefix}${line}${terminated ? '\n' : '\n'}`);
    });
    return {
      write: (chunk) => splitter.write(chunk),
      end: () => {
        splitter.end();
        if (opts.count) out(`${label}${selected}\n`);
        return selected > 0 ? 0 : 1;
      },
    };
  };
  return { factory, file: operands[0], files: operands, quiet: opts.quiet };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** POSIX basic regular expressions: `+ ? ( ) { } |` are literal unless escaped. */
function basicToJs(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i];
      out += '+?(){}|'.includes(next) ? next : `\\${next}`;
    } else if ('+?(){}|'.includes(c)) {
      out += `\\${c}`;
    } else {
      out += c;
    }
  }
  return out;
}

function parseWc(args: string[]): Omit<ParsedFilter, 'name'> {
  const counts = { lines: false, words: false, bytes: false, chars: false };
  const operands: string[] = [];
  for (const arg of args) {
    if (arg === '--lines') counts.lines = true;
    else if (arg === '--words') counts.words = true;
    else if (arg === '--bytes') counts.bytes = true;
    else if (arg === '--chars') counts.chars = true;
    else if (arg.startsWith('-') && arg.length > 1 && !arg.startsWith('--')) {
      for (const c of arg.slice(1)) {
        if (c === 'l') counts.lines = true;
        else if (c === 'w') counts.words = true;
        else if (c === 'c') counts.bytes = true;
        else if (c === 'm') counts.chars = true;
        else
          throw new FilterUsageError(
            `wc: invalid option -- '${c}'\nTry 'wc --help' for more information.`,
            1,
          );
      }
    } else if (arg.startsWith('--'))
      throw new FilterUsageError(
        `wc: unrecognized option '${arg}'\nTry 'wc --help' for more information.`,
        1,
      );
    else operands.push(arg);
  }
  if (!counts.lines && !counts.words && !counts.bytes && !counts.chars)
    Object.assign(counts, { lines: true, words: true, bytes: true });
  const factory: FilterFactory = (out, file) => {
    let text = '';
    return {
      write: (chunk) => void (text += chunk),
      end: () => {
        const values: number[] = [];
        if (counts.lines) values.push((text.match(/\n/g) ?? []).length);
        if (counts.words) values.push(text.split(/\s+/).filter((w) => w !== '').length);
        if (counts.chars) values.push([...text].length);
        if (counts.bytes) values.push(Buffer.byteLength(text, 'utf8'));
        // wc sizes its columns from the files' total size; a pipe gets 7 unless one count is asked for.
        const width = file ? file.width : values.length === 1 ? 0 : 7;
        const cells = values.map((v) => String(v).padStart(width));
        out(cells.join(' ') + (file ? ` ${file.label}` : '') + '\n');
        return 0;
      },
    };
  };
  return { factory, file: operands[0], files: operands };
}

/** head/tail -c: the text's bytes (UTF-8), cut as coreutils cuts them (a character may be split). */
function byteFilter(
  name: 'head' | 'tail',
  count: number,
  fromStart: boolean,
  allBut: boolean,
  out: (chunk: string) => void,
): ReturnType<FilterFactory> {
  const chunks: Buffer[] = [];
  return {
    write: (chunk) => void chunks.push(Buffer.from(chunk, 'utf8')),
    end: () => {
      const all = Buffer.concat(chunks);
      let kept: Buffer;
      if (name === 'head')
        kept = allBut ? all.subarray(0, Math.max(0, all.length - count)) : all.subarray(0, count);
      else
        kept = fromStart
          ? all.subarray(Math.max(0, count - 1))
          : all.subarray(all.length - Math.min(count, all.length));
      out(kept.toString('utf8'));
      return 0;
    },
  };
}

function parseHeadTail(name: 'head' | 'tail', args: string[]): Omit<ParsedFilter, 'name'> {
  let count = 10;
  let fromStart = false;
  let allBut = false;
  // `-c N`: bytes instead of lines (the last -n or -c given wins, as in coreutils).
  let bytes = false;
  const operands: string[] = [];
  const setCount = (value: string | undefined, unit: 'lines' | 'bytes' = 'lines') => {
    if (value === undefined)
      throw new FilterUsageError(
        `${name}: option requires an argument -- '${unit === 'bytes' ? 'c' : 'n'}'\nTry '${name} --help' for more information.`,
        1,
      );
    const match = /^([+-]?)(\d+)$/.exec(value);
    if (!match) throw new FilterUsageError(`${name}: invalid number of ${unit}: ‘${value}’`, 1);
    bytes = unit === 'bytes';
    count = Number(match[2]);
    fromStart = name === 'tail' && match[1] === '+';
    allBut = name === 'head' && match[1] === '-';
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-n' || arg === '--lines') setCount(args[++i]);
    else if (arg.startsWith('--lines=')) setCount(arg.slice(8));
    else if (/^-n./.test(arg)) setCount(arg.slice(2));
    else if (/^-\d+$/.test(arg)) setCount(arg.slice(1));
    else if (arg === '-c' || arg === '--bytes') setCount(args[++i], 'bytes');
    else if (arg.startsWith('--bytes=')) setCount(arg.slice(8), 'bytes');
    else if (/^-c./.test(arg)) setCount(arg.slice(2), 'bytes');
    else if (arg.startsWith('-') && arg.length > 1)
      throw new FilterUsageError(
        `${name}: invalid option -- '${arg[1]}'\nTry '${name} --help' for more information.`,
        1,
      );
    else operands.push(arg);
  }
  const factory: FilterFactory = (out) => {
    if (bytes) return byteFilter(name, count, fromStart, allBut, out);
    const lines: string[] = [];
    let emitted = 0;
    const splitter = new LineSplitter((line, terminated) => {
      const text = line + (terminated ? '\n' : '');
      if (name === 'head' && !allBut) {
        if (emitted < count) out(text);
        emitted++;
      } else lines.push(text);
    });
    return {
      write: (chunk) => splitter.write(chunk),
      end: () => {
        splitter.end();
        if (name === 'head' && allBut) out(lines.slice(0, Math.max(0, lines.length - count)).join(''));
        if (name === 'tail')
          out(
            (fromStart ? lines.slice(Math.max(0, count - 1)) : count === 0 ? [] : lines.slice(-count)).join(
              '',
            ),
          );
        return 0;
      },
    };
  };
  return { factory, file: operands[0], files: operands };
}
