/**
 * The pod shell's `sed`: the stream editing students type (the script language is shell-sed-script.ts): `-n`,
 * `-e SCRIPT` (several), `-E`/`-r` for extended expressions, `-i` to edit files in place. Each line runs through the
 * commands in sed's cycle: i prints at once, a queues its text for the end of the cycle (printed even after d or
 * c), c prints its text at the end of its range and starts the next cycle, w and s///w write the pattern space to
 * a file the script truncates first. Basic expressions are POSIX BREs translated to JavaScript's syntax. The
 * messages are GNU sed's on Debian images and busybox's on busybox and Alpine.
 */
import { fail, resolvePath, type ShellContext } from './shell-context';
import { type Address, type Command, parseScript, ScriptError } from './shell-sed-script';
import type { ExecResult } from './types';

function matches(address: Address, line: string, number: number, last: boolean): boolean {
  if ('line' in address) return address.line === number;
  if ('last' in address) return last;
  address.match.lastIndex = 0;
  return address.match.test(line);
}

/** Where a range command is: outside its range, or inside it (`endLine`: the line a `+N` end resolves to). */
interface RangeState {
  active: boolean;
  endLine?: number;
  /** A range whose first address is a line number starts once (busybox's and GNU sed's "n,xxx range is dead"). */
  done?: boolean;
}

/**
 * Whether the command applies to this line (before `!`), moving its range on. A range starts on a line its first
 * address matches (a line number: that line or, once, any later one) and ends on the line its second address
 * matches, checked from the line after the start for a regex; a line number at or before the start ends it at once.
 */
function selects(command: Command, state: RangeState, line: string, number: number, last: boolean): boolean {
  const { address, end } = command;
  if (!address) return true;
  if (!end) return matches(address, line, number, last);
  if (!state.active) {
    const starts =
      'line' in address ? !state.done && address.line <= number : matches(address, line, number, last);
    if (!starts) return false;
    if ('line' in address) state.done = true;
    state.endLine = 'plus' in end ? number + end.plus : 'line' in end ? end.line : undefined;
    // GNU sed's `0,/RE/` starts before the first line, so the first line may already end it.
    const before = 'line' in address && address.line === 0;
    state.active = !(state.endLine !== undefined
      ? state.endLine <= number
      : 'last' in end
        ? last
        : before && !('plus' in end) && matches(end, line, number, last));
    return true;
  }
  const ended =
    'plus' in end || 'line' in end ? (state.endLine ?? 0) <= number : matches(end, line, number, last);
  if (ended) state.active = false;
  return true;
}

const STDOUT = '/dev/stdout';

/** Runs the commands over one text (sed's cycle: each line in the pattern space, printed unless -n, d or c). */
function edit(text: string, commands: Command[], quiet: boolean, written: Map<string, string>): string {
  const lines = text.split('\n');
  const terminated = text.endsWith('\n');
  if (terminated || text === '') lines.pop();
  const states = commands.map((): RangeState => ({ active: false }));
  let out = '';
  // GNU sed's /dev/stdout is the output itself, in order.
  const write = (file: string, line: string) =>
    file === STDOUT ? (out += `${line}\n`) : written.set(file, (written.get(file) ?? '') + line + '\n');
  // `q` ends the cycle as usual (the line printed, appends flushed), then the input.
  lines.some((original, index) => {
    let line = original;
    const last = index === lines.length - 1;
    const newline = last && !terminated ? '' : '\n';
    const appended: string[] = [];
    let printed = !quiet;
    let quit = false;
    for (const [n, command] of commands.entries()) {
      if (selects(command, states[n], line, index + 1, last) === command.invert) continue;
      if (command.kind === 'q') {
        quit = true;
        break;
      }
      if (command.kind === 'd') {
        printed = false;
        break;
      }
      if (command.kind === 'c') {
        // Within a range the text replaces the whole range: it is printed on its last line.
        if (!command.end || !states[n].active) out += command.text;
        printed = false;
        break;
      }
      if (command.kind === 'p') out += line + newline;
      else if (command.kind === 'i') out += command.text;
      else if (command.kind === '=') out += `${index + 1}\n`;
      else if (command.kind === 'a') appended.push(command.text);
      else if (command.kind === 'w') write(command.file, line);
      else if (command.kind === 'y') line = [...line].map((ch) => command.map.get(ch) ?? ch).join('');
      else if (command.kind === 's') {
        command.re.lastIndex = 0;
        if (!command.re.test(line)) continue;
        command.re.lastIndex = 0;
        line = line.replace(command.re, command.replacement);
        if (command.print) out += line + newline;
        if (command.file !== undefined) write(command.file, line);
      }
    }
    if (printed) out += line + newline;
    // Appended text always ends with a newline, even after a last line without one.
    for (const text of appended) out += text;
    return quit;
  });
  return out;
}

/** The files the script's w commands (and s///w) write, in the order they are named. */
function writtenFiles(commands: Command[]): string[] {
  const files = commands.flatMap((c) => (c.kind === 'w' || (c.kind === 's' && c.file) ? [c.file!] : []));
  return [...new Set(files)].filter((file) => file !== STDOUT);
}

/** Stores what the w commands wrote; false (with sed's message) when a file cannot be written. */
function storeWritten(ctx: ShellContext, files: string[], written: Map<string, string>, busybox: boolean) {
  for (const file of files) {
    const path = resolvePath(file, ctx.cwd);
    const content = written.get(file) ?? '';
    if (ctx.write?.(path, content) === 'read-only')
      return busybox
        ? fail(`sed: can't open '${file}': Read-only file system\n`, 1)
        : fail(`sed: couldn't open file ${file}: Read-only file system\n`, 4);
    ctx.files[path] = content;
  }
  return undefined;
}

export function sed(ctx: ShellContext, args: string[], stdin?: string): ExecResult {
  const busybox = ctx.profile.shell === 'ash';
  const scripts: string[] = [];
  const files: string[] = [];
  let quiet = false;
  let inPlace = false;
  let extended = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-e' || arg === '--expression') {
      if (args[i + 1] === undefined) return usage(busybox, 'e');
      scripts.push(args[++i]);
    } else if (arg === '-n' || arg === '--quiet' || arg === '--silent') quiet = true;
    else if (arg === '-i' || arg === '--in-place') inPlace = true;
    else if (arg === '-E' || arg === '-r' || arg === '--regexp-extended') extended = true;
    else if (/^-[nirE]+$/.test(arg)) {
      quiet ||= arg.includes('n');
      inPlace ||= arg.includes('i');
      extended ||= /[rE]/.test(arg);
    } else if (arg.startsWith('-') && arg !== '-') return usage(busybox, arg[1]);
    else if (scripts.length === 0 && !files.length && !args.slice(0, i).some((a) => a === '-e'))
      scripts.push(arg);
    else files.push(arg);
  }
  if (scripts.length === 0) return busybox ? fail('sed: no script specified\n', 1) : fail(usageText(), 1);
  const commands: Command[] = [];
  try {
    for (const script of scripts) parseScript(script, extended, busybox, commands);
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error;
    return fail(`sed: ${error.message}\n`, 1);
  }
  // The w files are opened (emptied) when the script is read, before any input.
  const wFiles = writtenFiles(commands);
  const written = new Map<string, string>();
  const unwritable = storeWritten(ctx, wFiles, written, busybox);
  if (unwritable) return unwritable;
  if (inPlace && files.length === 0)
    return fail(busybox ? 'sed: no files to edit in place\n' : 'sed: no input files\n', busybox ? 1 : 4);
  if (files.length === 0) {
    const stdout = edit(stdin ?? '', commands, quiet, written);
    return storeWritten(ctx, wFiles, written, busybox) ?? { stdout, stderr: '', exitCode: 0 };
  }
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  for (const file of files) {
    const path = resolvePath(file, ctx.cwd);
    const text = ctx.files[path];
    if (text === undefined) {
      stderr += busybox
        ? `sed: ${file}: No such file or directory\n`
        : `sed: can't read ${file}: No such file or directory\n`;
      exitCode = busybox ? 1 : 2;
      continue;
    }
    const edited = edit(text, commands, quiet, written);
    if (!inPlace) {
      stdout += edited;
      continue;
    }
    if (ctx.write?.(path, edited) === 'read-only') {
      stderr += busybox
        ? `sed: can't create '${file}': Read-only file system\n`
        : `sed: couldn't open temporary file ${file.replace(/[^/]*$/, '')}sed${'XXXXXX'}: Read-only file system\n`;
      exitCode = busybox ? 1 : 4;
      continue;
    }
    ctx.files[path] = edited;
  }
  return storeWritten(ctx, wFiles, written, busybox) ?? { stdout, stderr, exitCode };
}

function usage(busybox: boolean, option: string): ExecResult {
  return busybox
    ? fail(`sed: invalid option -- '${option}'\n`, 1)
    : fail(`sed: invalid option -- '${option}'\n${usageText()}`, 1);
}

function usageText(): string {
  return 'Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n';
}
