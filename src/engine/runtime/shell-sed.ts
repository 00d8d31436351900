/**
 * The pod shell's `sed`: the stream editing students type: `s/RE/REPL/[gpI]` (any delimiter, `&` and `\1`..`\9` in the
 * replacement), `p` and `d`, each with an optional line-number, `$` or `/RE/` address; `-n`, `-e SCRIPT` (several),
 * `-E`/`-r` for extended expressions, `-i` to edit files in place; commands joined with `;`. Basic expressions are
 * POSIX BREs (`\(`, `\{`, GNU's `\+` and `\?`), translated to JavaScript's syntax. The messages are GNU sed's on
 * Debian images and busybox's on busybox and Alpine.
 */
import { fail, resolvePath, type ShellContext } from './shell-context';
import type { ExecResult } from './types';

type Address = { line: number } | { last: true } | { match: RegExp };

type Command =
  | { kind: 's'; address?: Address; re: RegExp; replacement: string; print: boolean }
  | { kind: 'p' | 'd'; address?: Address };

/** A script sed cannot parse: GNU sed's message and busybox's (which stops at the first problem too). */
class ScriptError extends Error {
  constructor(
    gnu: string,
    readonly busybox: string,
  ) {
    super(gnu);
  }
}

/** A BRE (or an ERE with `extended`) as a JavaScript RegExp source. */
function toJsSource(expr: string, extended: boolean): string {
  if (extended) return expr;
  let out = '';
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (ch === '\\' && i + 1 < expr.length) {
      const next = expr[++i];
      out += '(){}+?|'.includes(next) ? next : `\\${next}`;
    } else out += '(){}+?|'.includes(ch) ? `\\${ch}` : ch;
  }
  return out;
}

/** JavaScript's replacement syntax for sed's: `&` the match, `\N` a group, `\&` and `\\` literal. */
function toJsReplacement(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[++i];
      out += /[1-9]/.test(next) ? `$${next}` : next === 'n' ? '\n' : next === '$' ? '$$' : next;
    } else if (ch === '&') out += '$&';
    else if (ch === '$') out += '$$';
    else out += ch;
  }
  return out;
}

/** Reads up to the next unescaped `delim`; returns the text and the index after the delimiter. */
function until(script: string, start: number, delim: string): [string, number] | undefined {
  let text = '';
  for (let i = start; i < script.length; i++) {
    if (script[i] === '\\' && i + 1 < script.length) {
      // An escaped delimiter stands for itself.
      text += script[i + 1] === delim ? delim : script[i] + script[i + 1];
      i++;
    } else if (script[i] === delim) return [text, i + 1];
    else text += script[i];
  }
  return undefined;
}

function parseScript(script: string, extended: boolean, commands: Command[]): void {
  let i = 0;
  const regex = (source: string, flags = '') => {
    try {
      return new RegExp(toJsSource(source, extended), flags);
    } catch {
      throw new ScriptError(
        `-e expression #1, char ${script.length}: Invalid regular expression`,
        'bad regex',
      );
    }
  };
  while (i < script.length) {
    while (i < script.length && /[\s;]/.test(script[i])) i++;
    if (i >= script.length) break;
    let address: Address | undefined;
    const number = /^\d+/.exec(script.slice(i));
    if (number) {
      address = { line: Number(number[0]) };
      i += number[0].length;
    } else if (script[i] === '$') {
      address = { last: true };
      i++;
    } else if (script[i] === '/') {
      const read = until(script, i + 1, '/');
      if (!read)
        throw new ScriptError(
          `-e expression #1, char ${script.length}: unterminated address regex`,
          "unmatched '/'",
        );
      address = { match: regex(read[0]) };
      i = read[1];
    }
    const command = script[i];
    if (command === 'p' || command === 'd') {
      commands.push({ kind: command, address });
      i++;
    } else if (command === 's') {
      const delim = script[i + 1];
      const pattern = delim === undefined ? undefined : until(script, i + 2, delim);
      const replacement = pattern && until(script, pattern[1], delim);
      if (!pattern || !replacement)
        throw new ScriptError(
          `-e expression #1, char ${script.length}: unterminated \`s' command`,
          `unmatched '${delim ?? ''}'`,
        );
      i = replacement[1];
      let flags = '';
      let print = false;
      while (i < script.length && /[gpI]/.test(script[i])) {
        if (script[i] === 'p') print = true;
        else flags += script[i] === 'I' ? 'i' : 'g';
        i++;
      }
      commands.push({
        kind: 's',
        address,
        re: regex(pattern[0], flags),
        replacement: toJsReplacement(replacement[0]),
        print,
      });
    } else
      throw command === undefined
        ? new ScriptError(`-e expression #1, char ${script.length}: missing command`, 'missing command')
        : new ScriptError(
            `-e expression #1, char ${i + 1}: unknown command: \`${command}'`,
            `unsupported command ${command}`,
          );
  }
}

function matches(address: Address | undefined, line: string, number: number, last: boolean): boolean {
  if (!address) return true;
  if ('line' in address) return address.line === number;
  if ('last' in address) return last;
  return address.match.test(line);
}

/** Runs the commands over one text (sed's cycle: each line in the pattern space, printed unless -n or d). */
function edit(text: string, commands: Command[], quiet: boolean): string {
  const lines = text.split('\n');
  const terminated = text.endsWith('\n');
  if (terminated || text === '') lines.pop();
  let out = '';
  lines.forEach((original, index) => {
    let line = original;
    const last = index === lines.length - 1;
    const newline = last && !terminated ? '' : '\n';
    for (const command of commands) {
      if (!matches(command.address, line, index + 1, last)) continue;
      if (command.kind === 'd') return;
      if (command.kind === 'p') out += line + newline;
      else if (command.kind === 's') {
        command.re.lastIndex = 0;
        if (!command.re.test(line)) continue;
        command.re.lastIndex = 0;
        line = line.replace(command.re, command.replacement);
        if (command.print) out += line + newline;
      }
    }
    if (!quiet) out += line + newline;
  });
  return out;
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
    for (const script of scripts) parseScript(script, extended, commands);
  } catch (error) {
    if (!(error instanceof ScriptError)) throw error;
    return fail(`sed: ${busybox ? error.busybox : error.message}\n`, 1);
  }
  if (inPlace && files.length === 0)
    return fail(busybox ? 'sed: no files to edit in place\n' : 'sed: no input files\n', busybox ? 1 : 4);
  if (files.length === 0) return { stdout: edit(stdin ?? '', commands, quiet), stderr: '', exitCode: 0 };
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
    const edited = edit(text, commands, quiet);
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
  return { stdout, stderr, exitCode };
}

function usage(busybox: boolean, option: string): ExecResult {
  return busybox
    ? fail(`sed: invalid option -- '${option}'\n`, 1)
    : fail(`sed: invalid option -- '${option}'\n${usageText()}`, 1);
}

function usageText(): string {
  return 'Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n';
}
