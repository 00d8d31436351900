/**
 * A small shell over the container's filesystem (image-profiles.ts): cd (the working directory lives in the exec
 * session), pwd, ls [-l] [-a], cat, env, echo, hostname, ps, sleep, curl, wget, nslookup, date, exit. Output follows
 * the image's tools: procps/coreutils on Debian images (bash: `command not found`), busybox on busybox and Alpine
 * (ash: `sh: foo: not found`); unknown programs exit 127.
 */
import { parseSleep } from './programs';
import { FILTER_NAMES, FilterUsageError, parseFilter } from '../terminal/filters';
import { fail, ok, pad, clock, resolvePath, type ShellContext } from './shell-context';
import { curl, nslookup, wget } from './shell-net';
import { ps } from './shell-ps';
import { sed } from './shell-sed';
import type { ExecResult } from './types';
import type { EntryInfo } from './volumes';

export type { ShellContext } from './shell-context';

/** GNU date's default format in UTC: `Mon Jun  3 02:15:02 UTC 2024`. */
function dateText(ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    d.getUTCMonth()
  ];
  const time = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return `${day} ${month} ${pad(d.getUTCDate(), 2)} ${time} UTC ${d.getUTCFullYear()}`;
}

function dirEntries(ctx: ShellContext, path: string): readonly string[] | undefined {
  const listed = ctx.profile.dirs[path];
  const mounted = ctx.dirs?.[path];
  const prefix = path === '/' ? '/' : `${path}/`;
  const children = new Set<string>([...(listed ?? []), ...(mounted ?? [])]);
  let known = listed !== undefined || mounted !== undefined;
  // Parents of listed directories and files exist too (their other entries are not modelled); files written
  // since the image was built (volumes, redirections) show in listed directories as well.
  const keys = [
    ...(known ? [] : Object.keys(ctx.profile.dirs)),
    ...Object.keys(ctx.dirs ?? {}),
    ...Object.keys(ctx.files),
  ];
  for (const key of keys)
    if (key.startsWith(prefix) && key !== path) {
      children.add(key.slice(prefix.length).split('/')[0]);
      known = true;
    }
  return known ? [...children].sort() : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `drwxrwxrwx` from a type and permission bits. */
function modeText(type: EntryInfo['type'], mode: number): string {
  const bits = 'rwxrwxrwx'
    .split('')
    .map((ch, i) => (mode & (1 << (8 - i)) ? ch : '-'))
    .join('');
  return `${type === 'dir' ? 'd' : type === 'link' ? 'l' : '-'}${bits}`;
}

/** ls -l's date of a recent file: `Jun  3 02:15`. */
function lsDate(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate(), 2)} ${clock(ms)}`;
}

function ls(ctx: ShellContext, args: string[]): ExecResult {
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const targets = args.filter((a) => !a.startsWith('-'));
  const paths = targets.length ? targets : ['.'];
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  // coreutils and busybox alike: the missing first, then the files named, then each directory (arguments sorted),
  // a directory under a `NAME:` header when several were named, a blank line before every block but the first.
  const dirs: [string, readonly string[]][] = [];
  const files: string[] = [];
  for (const target of [...paths].sort()) {
    const path = resolvePath(target, ctx.cwd);
    const entries = dirEntries(ctx, path);
    if (entries !== undefined) dirs.push([target, entries]);
    else if (ctx.files[path] !== undefined) files.push(target);
    else if (ctx.profile.shell === 'ash') {
      // busybox's my_stat: perror of the name, status 1.
      stderr += `ls: ${target}: No such file or directory\n`;
      exitCode = 1;
    } else {
      stderr += `ls: cannot access '${target}': No such file or directory\n`;
      exitCode = 2;
    }
  }
  if (files.length) stdout += ctx.tty ? `${files.join('  ')}\n` : `${files.join('\n')}\n`;
  for (const [target, entries] of dirs) {
    const path = resolvePath(target, ctx.cwd);
    if (stdout) stdout += '\n';
    if (paths.length > 1) stdout += `${target}:\n`;
    // Dot entries (a volume's `..data`) only with -a / -A.
    const present =
      flags.includes('a') || flags.includes('A') ? [...entries] : entries.filter((e) => !e.startsWith('.'));
    let shown = flags.includes('a') ? ['.', '..', ...present] : present;
    shown = [...shown].sort();
    if (flags.includes('l')) {
      stdout += `total ${shown.length * 4}\n`;
      for (const e of shown) {
        const full = resolvePath(`${path}/${e}`, ctx.cwd);
        // `.` of a mount root is the volume's directory (`..` the image's).
        const info = e === '..' ? undefined : ctx.entries?.[e === '.' ? path : full];
        if (info) {
          const size =
            info.type === 'link'
              ? (info.target ?? '').length
              : info.type === 'dir'
                ? 4096
                : Buffer.byteLength(ctx.files[full] ?? '');
          const links = info.type === 'dir' ? 2 : 1;
          const arrow = info.type === 'link' ? ` -> ${info.target}` : '';
          stdout += `${modeText(info.type, info.mode)} ${links} root root ${pad(size, 5)} ${lsDate(info.mtime)} ${e}${arrow}\n`;
          continue;
        }
        const isFile =
          ctx.files[full] !== undefined ||
          (dirEntries(ctx, full) === undefined &&
            (path !== '/' || e.includes('.')) &&
            e !== '.' &&
            e !== '..');
        const size = isFile ? Buffer.byteLength(ctx.files[full] ?? '') : 4096;
        stdout += `${isFile ? '-rw-r--r--' : 'drwxr-xr-x'} ${isFile ? 1 : 2} root root ${pad(size, 5)} Jul 25  2016 ${e}\n`;
      }
    } else if (ctx.tty && shown.length) {
      stdout += `${shown.join('  ')}\n`;
    } else if (shown.length) {
      stdout += `${shown.join('\n')}\n`;
    }
  }
  return { stdout, stderr, exitCode };
}

/**
 * Runs one command line's argv; `stdin` is what a pipe feeds it (`sh -c 'echo x | tee f'`), read by cat, head,
 * tail, grep, wc, tee and sed when they name no file.
 */
export function runProgram(ctx: ShellContext, argv: string[], stdin?: string): ExecResult {
  const [program, ...args] = argv;
  if (program === undefined || program === '') return ok('');
  const name = program.split('/').pop()!;
  if (stdin !== undefined) {
    const piped = readStdin(ctx, name, args, stdin);
    if (piped) return piped;
  }
  switch (name) {
    case 'sed':
      return sed(ctx, args, stdin);
    case 'tee':
      return tee(ctx, args, stdin ?? '');
    case 'hostname':
      return ok(`${args.includes('-i') || args.includes('-I') ? ctx.podIp : ctx.hostname}\n`);
    case 'env':
    case 'printenv': {
      if (name === 'printenv' && args.length) {
        const values = args
          .map((a) => ctx.env.find(([k]) => k === a)?.[1])
          .filter((v): v is string => v !== undefined);
        return {
          stdout: values.map((v) => `${v}\n`).join(''),
          stderr: '',
          exitCode: values.length === args.length ? 0 : 1,
        };
      }
      return ok(ctx.env.map(([k, v]) => `${k}=${v}\n`).join(''));
    }
    case 'ps':
      return ps(
        ctx,
        argv.map((a, i) => (i === 0 ? 'ps' : a)),
      );
    case 'ls':
      return ls(ctx, args);
    case 'cat':
    case 'more':
    case 'less':
    case 'head':
    case 'tail': {
      if (args.length === 0) return ok('');
      let stdout = '';
      let stderr = '';
      // head and tail take the lab terminal's line counting (`-n N`, `-N`, `+N`); a bad option falls back to the whole file.
      const lines = name === 'head' || name === 'tail' ? lineFilter(name, args) : undefined;
      const operands = lines ? lines.files : args.filter((a) => !a.startsWith('-'));
      for (const file of operands) {
        const path = resolvePath(file, ctx.cwd);
        if (ctx.files[path] !== undefined) stdout += lines ? lines.apply(ctx.files[path]) : ctx.files[path];
        else if (dirEntries(ctx, path)) stderr += `${name}: ${file}: Is a directory\n`;
        else
          stderr +=
            name === 'more'
              ? `more: stat of ${file} failed: No such file or directory\n`
              : ctx.profile.shell === 'ash' // busybox's open_or_warn
                ? `${name}: can't open '${file}': No such file or directory\n`
                : `${name}: ${file}: No such file or directory\n`;
      }
      return { stdout, stderr, exitCode: stderr ? 1 : 0 };
    }
    case 'curl':
      if (!ctx.profile.tools.includes('curl')) return notFound(ctx, program);
      return curl(ctx, args);
    case 'wget':
      if (!ctx.profile.tools.includes('wget')) return notFound(ctx, program);
      return wget(ctx, args);
    case 'nslookup':
      if (!ctx.profile.tools.includes('nslookup')) return notFound(ctx, program);
      return nslookup(ctx, args);
    case 'sleep':
      if (args.length === 0 || !/^\d+(\.\d+)?[smhd]?$/.test(args[0]))
        return ctx.profile.shell === 'ash'
          ? fail(`sleep: invalid number '${args[0] ?? ''}'\n`, 1)
          : fail(
              args.length
                ? `sleep: invalid time interval '${args[0]}'\nTry 'sleep --help' for more information.\n`
                : "sleep: missing operand\nTry 'sleep --help' for more information.\n",
              1,
            );
      // An exec returns at once on the virtual clock; the time is only kept for exec probes' timeouts.
      return { ...ok(''), elapsedMs: (parseSleep(args[0]) ?? 0) * 1000 };
    case 'echo':
      return ok(`${args.join(' ')}\n`);
    case 'printf':
      if (args.length === 0)
        return fail(
          ctx.profile.shell === 'ash'
            ? 'printf: usage: printf FORMAT [ARGUMENT...]\n'
            : 'printf: usage: printf format [arguments]\n',
          ctx.profile.shell === 'ash' ? 1 : 2,
        );
      return ok(printf(args[0], args.slice(1)));
    case 'pwd':
      return ok(`${ctx.cwd}\n`);
    case 'cd': {
      const target = args[0] === undefined || args[0] === '~' ? '/root' : args[0];
      const path = resolvePath(target, ctx.cwd);
      if (dirEntries(ctx, path) !== undefined || path === '/')
        return { stdout: '', stderr: '', exitCode: 0, cwd: path };
      const isFile = ctx.files[path] !== undefined;
      if (ctx.profile.shell === 'ash')
        return fail(
          `sh: cd: can't cd to ${target}: ${isFile ? 'Not a directory' : 'No such file or directory'}\n`,
          2,
        );
      return fail(`bash: cd: ${target}: ${isFile ? 'Not a directory' : 'No such file or directory'}\n`, 1);
    }
    case 'whoami':
      return ok('root\n');
    case 'id':
      return ok('uid=0(root) gid=0(root) groups=0(root)\n');
    case 'date':
      return ok(`${dateText(ctx.now)}\n`);
    case 'uname':
      return ok(
        args.includes('-a')
          ? `Linux ${ctx.hostname} 5.15.0-107-generic #117-Ubuntu SMP Fri Apr 26 12:26:49 UTC 2024 x86_64 GNU/Linux\n`
          : 'Linux\n',
      );
    case 'true':
    case 'clear':
      return ok('');
    case 'false':
      return { stdout: '', stderr: '', exitCode: 1 };
    case 'exit': {
      const code = args.length ? Number(args[0]) : 0;
      return { stdout: '', stderr: '', exitCode: Number.isInteger(code) ? code & 255 : 2 };
    }
    case 'node':
      if (ctx.files['/server.js'] === undefined) return notFound(ctx, program);
      if (args[0] === '-v' || args[0] === '--version') return ok('v6.3.1\n');
      return fail('', 0);
    case 'bash':
      if (!ctx.profile.hasBash) return notFound(ctx, program);
      return ok('');
    case 'sh':
      return ok('');
    default:
      return notFound(ctx, program);
  }
}

/** bash's and busybox ash's answer to a program the image does not have. */
function notFound(ctx: ShellContext, program: string): ExecResult {
  if (program.includes('/')) {
    return ctx.profile.shell === 'ash'
      ? fail(`sh: ${program}: not found\n`, 127)
      : fail(`bash: ${program}: No such file or directory\n`, 127);
  }
  return ctx.profile.shell === 'ash'
    ? fail(`sh: ${program}: not found\n`, 127)
    : fail(`bash: ${program}: command not found\n`, 127);
}

/** Output sent here is gone (every image has the device). */
const DEV_NULL = '/dev/null';

/**
 * A command with output redirections (`echo hi > /data/x`, `date >> /data/log`, `2> file`): the program runs, the
 * redirected stream goes to the file through ctx.write. The messages are busybox ash's and dash's (`sh -c`).
 */
export function runRedirected(ctx: ShellContext, words: string[], stdin?: string): ExecResult {
  const argv: string[] = [];
  const targets: { fd: 1 | 2; append: boolean; file: string }[] = [];
  let merge = false;
  for (let i = 0; i < words.length; i++) {
    const m = /^(2?)(>>?)(.*)$/.exec(words[i]);
    if (!m || (m[1] === '2' && m[3] === '&1')) {
      // `2>&1`: errors go where the output goes (the exec stream, or the output's file).
      if (m) merge = true;
      else argv.push(words[i]);
      continue;
    }
    const file = m[3] || words[++i];
    if (file === undefined)
      return fail(
        ctx.profile.shell === 'ash'
          ? 'sh: syntax error: unexpected newline\n'
          : 'sh: 1: Syntax error: newline unexpected\n',
        2,
      );
    targets.push({ fd: m[1] === '2' ? 2 : 1, append: m[2] === '>>', file });
  }
  if (targets.length === 0) {
    const result = runProgram(ctx, argv, stdin);
    return merge ? { ...result, stdout: result.stdout + result.stderr, stderr: '' } : result;
  }
  for (const target of targets) {
    const path = resolvePath(target.file, ctx.cwd);
    if (path === DEV_NULL) continue;
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    const problem =
      dirEntries(ctx, path) !== undefined
        ? 'Is a directory'
        : parent !== '/' && dirEntries(ctx, parent) === undefined
          ? ctx.profile.shell === 'ash'
            ? 'nonexistent directory'
            : 'Directory nonexistent'
          : ctx.write?.(path, ctx.files[path] ?? '') === 'read-only'
            ? 'Read-only file system'
            : undefined;
    if (problem)
      return ctx.profile.shell === 'ash'
        ? fail(`sh: can't create ${target.file}: ${problem}\n`, 1)
        : fail(`sh: 1: cannot create ${target.file}: ${problem}\n`, 2);
    if (!target.append) ctx.files[path] = '';
    else ctx.files[path] ??= '';
  }
  const result = argv.length ? runProgram(ctx, argv, stdin) : ok('');
  let { stdout, stderr } = result;
  if (merge) {
    stdout += stderr;
    stderr = '';
  }
  for (const target of targets) {
    const path = resolvePath(target.file, ctx.cwd);
    const text = target.fd === 1 ? stdout : stderr;
    if (path !== DEV_NULL) {
      ctx.files[path] += text;
      ctx.write?.(path, ctx.files[path]);
    }
    if (target.fd === 1) stdout = '';
    else stderr = '';
  }
  return { ...result, stdout, stderr };
}

/** Splits `bash -c '<line>'` text into argv (quotes and backslashes, no expansion). */
/**
 * `$NAME` and `${NAME}` in a `sh -c` line, replaced by the container's variables (unset: empty) as sh expands
 * them before splitting words: not inside single quotes, the value kept one word inside double quotes. The
 * value's quotes and backslashes are escaped so splitWords takes them literally.
 */
export function expandParameters(line: string, env: [string, string][]): string {
  const lookup = (name: string) => env.findLast(([key]) => key === name)?.[1] ?? '';
  let out = '';
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && quote !== "'" && i + 1 < line.length) {
      out += ch + line[++i];
      continue;
    }
    if ((ch === '"' || ch === "'") && (quote === undefined || quote === ch)) {
      quote = quote ? undefined : ch;
      out += ch;
      continue;
    }
    const name =
      ch === '$' && quote !== "'" ? /^\{([A-Za-z_]\w*)\}|^([A-Za-z_]\w*)/.exec(line.slice(i + 1)) : null;
    if (!name) {
      out += ch;
      continue;
    }
    const value = lookup(name[1] ?? name[2]);
    out += value.replace(quote === '"' ? /["\\]/g : /["'\\]/g, (c) => `\\${c}`);
    i += name[0].length;
  }
  return out;
}

export function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      // Inside double quotes a backslash escapes only $ ` " \ and a newline; before anything else it stays.
      else if (ch === '\\' && quote === '"' && i + 1 < line.length)
        current += '$`"\\\n'.includes(line[i + 1]) ? line[++i] : ch;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

export { dateText };

/** `head`/`tail` options parsed as the terminal's filters parse them; undefined when they do not parse. */
function lineFilter(
  name: 'head' | 'tail',
  args: string[],
): { files: string[]; apply(text: string): string } | undefined {
  try {
    const parsed = parseFilter(name, args);
    return {
      files: parsed.files,
      apply(text) {
        let out = '';
        const filter = parsed.factory((chunk) => (out += chunk));
        filter.write(text);
        filter.end();
        return out;
      },
    };
  } catch (error) {
    if (error instanceof FilterUsageError) return undefined;
    throw error;
  }
}

/** A filter (cat, grep, wc, head, tail) naming no file reads the pipe; undefined: the program runs as usual. */
function readStdin(ctx: ShellContext, name: string, args: string[], stdin: string): ExecResult | undefined {
  if (name === 'cat') return args.every((a) => a === '-') ? ok(stdin) : undefined;
  if (!FILTER_NAMES.includes(name)) return undefined;
  try {
    const parsed = parseFilter(name, args);
    if (parsed.files.length > 0) return undefined;
    let stdout = '';
    const filter = parsed.factory((chunk) => (stdout += chunk));
    filter.write(stdin);
    const exitCode = filter.end();
    return { stdout, stderr: '', exitCode: typeof exitCode === 'number' ? exitCode : 0 };
  } catch (error) {
    if (error instanceof FilterUsageError) return fail(`${error.message}\n`, error.exitCode);
    throw error;
  }
}

/** tee [-a] FILE...: the input to each file (through the runtime's writes) and to the output. */
function tee(ctx: ShellContext, args: string[], stdin: string): ExecResult {
  const append = args.includes('-a') || args.includes('--append');
  let stderr = '';
  for (const file of args.filter((a) => !a.startsWith('-'))) {
    const path = resolvePath(file, ctx.cwd);
    const content = append ? (ctx.files[path] ?? '') + stdin : stdin;
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    const problem =
      dirEntries(ctx, path) !== undefined
        ? 'Is a directory'
        : parent !== '/' && dirEntries(ctx, parent) === undefined
          ? 'No such file or directory'
          : ctx.write?.(path, content) === 'read-only'
            ? 'Read-only file system'
            : undefined;
    if (problem) {
      stderr += `tee: ${file}: ${problem}\n`;
      continue;
    }
    ctx.files[path] = content;
  }
  return { stdout: stdin, stderr, exitCode: stderr ? 1 : 0 };
}

/**
 * printf FORMAT [ARG...]: `%s`, `%d`, `%%` and the escapes `\n`, `\t`, `\\`; the format is reused while
 * arguments remain, as POSIX printf does.
 */
function printf(format: string, args: string[]): string {
  const escaped = format.replace(/\\([nt\\])/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 't' ? '\t' : '\\',
  );
  let out = '';
  let next = 0;
  do {
    const before = next;
    out += escaped.replace(/%([sd%])/g, (_, c: string) => {
      if (c === '%') return '%';
      const value = args[next++] ?? '';
      return c === 'd' ? String(Number.parseInt(value, 10) || 0) : value;
    });
    if (next === before) break;
  } while (next < args.length);
  return out;
}
