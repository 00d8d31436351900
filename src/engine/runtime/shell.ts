/**
 * A small shell over the container's filesystem (image-profiles.ts): cd (the working directory lives in the exec
 * session), pwd, ls [-l] [-a], cat, env, echo, hostname, ps, sleep, curl, wget, nslookup, date, exit. Output follows
 * the image's tools: procps/coreutils on Debian images (bash: `command not found`), busybox on busybox and Alpine
 * (ash: `sh: foo: not found`); unknown programs exit 127.
 */
import type { ImageProfile } from './image-profiles';
import { parseSleep } from './programs';
import type { ExecResult } from './types';
import type { EntryInfo } from './volumes';

export interface ShellContext {
  hostname: string;
  podIp: string;
  namespace: string;
  env: [string, string][];
  files: Record<string, string>;
  /** Processes of the container, PID 1 first: [pid, ppid, startedAt, command]. */
  processes: [number, number, number, string][];
  /** PID the next command gets (20 for the first, as after the shell's start-up in the real container). */
  nextPid: number;
  now: number;
  tty: boolean;
  /** The session's working directory (absolute). */
  cwd: string;
  profile: ImageProfile;
  /** Directories the container's volume mounts add (runtime/volumes.ts), beyond the image's. */
  dirs?: Record<string, readonly string[]>;
  /** ls -l's details of mounted entries: symlinks of configMap/secret volumes, modes, times. */
  entries?: Record<string, EntryInfo>;
  /** Stores a redirection's output (`> file`): where it lands is the runtime's business; 'read-only' refuses. */
  write?(path: string, content: string): 'read-only' | undefined;
  /** Name lookups: the service's cluster IP, or undefined (no cluster DNS records until issue 14 part 3). */
  lookup?(name: string): string | undefined;
  /** An HTTP GET from inside the pod. */
  curl(host: string, port: number): { ok: true; body: string } | { ok: false; message: string };
}

const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', exitCode: 0 });
const fail = (stderr: string, exitCode = 1): ExecResult => ({ stdout: '', stderr, exitCode });

function pad(n: number, width: number): string {
  return String(n).padStart(width, ' ');
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

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

function resolvePath(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
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

/** The process table for ps: the container's own processes, the interactive bash (tty), then ps itself. */
function processTable(ctx: ShellContext, argv: string[]): [number, number, number, string, string][] {
  const rows: [number, number, number, string, string][] = ctx.processes.map(([pid, ppid, at, cmd]) => [
    pid,
    ppid,
    at,
    cmd,
    '?',
  ]);
  let parent = 0;
  if (ctx.tty) {
    // The interactive shell `kubectl exec -ti POD -- bash` started (PID 14, as in the real container).
    const bashPid = 14;
    rows.push([bashPid, 0, ctx.now, ctx.profile.shell === 'ash' ? 'sh' : '/bin/bash', 'pts/0']);
    parent = bashPid;
  }
  rows.push([ctx.nextPid, parent, ctx.now, argv.join(' '), ctx.tty ? 'pts/0' : '?']);
  return rows;
}

interface ProcessInfo {
  size: number; // SZ in pages
  vsz: number; // KiB
  rss: number; // KiB
}

function processInfo(cmd: string): ProcessInfo {
  if (cmd.startsWith('node')) return { size: 177843, vsz: 711372, rss: 26864 };
  if (cmd.startsWith('/bin/bash')) return { size: 4960, vsz: 20244, rss: 3180 };
  if (cmd.startsWith('ps')) return { size: 4358, vsz: 17500, rss: 2072 };
  return { size: 1084, vsz: 4336, rss: 720 };
}

/** procps `ps` in its three common forms: `ps`, `ps -ef`/`ps -elf`, `ps aux`. */
function ps(ctx: ShellContext, argv: string[]): ExecResult {
  const opts = argv.slice(1);
  const rows = processTable(ctx, argv);
  if (ctx.profile.shell === 'ash') {
    // busybox ps: one format whatever the options.
    const lines = rows.map(([pid, , , cmd]) => `${pad(pid, 5)} root      0:00 ${cmd}`);
    return ok(`PID   USER     TIME  COMMAND\n${lines.join('\n')}\n`);
  }
  const last = rows.length - 1;
  const unix = opts.every((o) => o.startsWith('-'));
  const letters = opts.map((o) => o.replace(/^-/, '')).join('');
  if (opts.length > 0 && unix && /^[elfAa]+$/.test(letters) && /[eA]/.test(letters)) {
    const long = letters.includes('l');
    const full = letters.includes('f');
    const header = long
      ? full
        ? 'F S UID        PID  PPID  C PRI  NI ADDR SZ WCHAN  STIME TTY          TIME CMD'
        : 'F S   UID   PID  PPID  C PRI  NI ADDR SZ WCHAN  TTY          TIME CMD'
      : full
        ? 'UID        PID  PPID  C STIME TTY          TIME CMD'
        : '  PID TTY          TIME CMD';
    const lines = rows.map(([pid, ppid, at, cmd, tty], i) => {
      const running = i === last;
      const short = cmd.startsWith('/bin/sh') ? 'sh' : (cmd.split(' ')[0].split('/').pop() ?? cmd);
      if (!long && !full) return `${pad(pid, 5)} ${tty.padEnd(8)} 00:00:00 ${short}`;
      const prefix = long ? `${running ? '0 R' : '4 S'} ` : '';
      const middle = long
        ? ` ${pad(80, 3)} ${pad(0, 3)} - ${pad(processInfo(cmd).size, 5)} ${'-'.padEnd(6)}`
        : '';
      if (!full)
        return `${prefix}${pad(0, 5)} ${pad(pid, 5)} ${pad(ppid, 5)} ${pad(0, 2)}${middle} ${tty.padEnd(8)} 00:00:00 ${short}`;
      return `${prefix}${'root'.padEnd(8)} ${pad(pid, 5)} ${pad(ppid, 5)} ${pad(0, 2)}${middle} ${clock(at)} ${tty.padEnd(8)} 00:00:00 ${cmd}`;
    });
    return ok(`${header}\n${lines.join('\n')}\n`);
  }
  if (opts.length > 0 && /^-?[aux]+$/.test(letters) && letters.includes('x') && !opts[0].startsWith('-')) {
    const header = 'USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND';
    const lines = rows.map(([pid, , at, cmd, tty], i) => {
      const info = processInfo(cmd);
      const stat = i === last ? 'R+' : cmd.startsWith('node') ? 'Sl' : tty === '?' ? 'Ss' : 'Ss';
      const mem = cmd.startsWith('node') ? '0.1' : '0.0';
      return `${'root'.padEnd(8)} ${pad(pid, 5)}  0.0 ${mem.padStart(4)} ${pad(info.vsz, 6)} ${pad(info.rss, 5)} ${tty.padEnd(8)} ${stat.padEnd(4)} ${clock(at)}   0:00 ${cmd}`;
    });
    return ok(`${header}\n${lines.join('\n')}\n`);
  }
  if (opts.length === 0) {
    const mine = ctx.tty ? rows.filter((r) => r[4] === 'pts/0') : rows;
    const name = (cmd: string) =>
      cmd.startsWith('/bin/sh') ? 'sh' : (cmd.split(' ')[0].split('/').pop() ?? cmd).slice(0, 15);
    const lines = mine.map(([pid, , , cmd, tty]) => `${pad(pid, 5)} ${tty.padEnd(8)} 00:00:00 ${name(cmd)}`);
    return ok(`  PID TTY          TIME CMD\n${lines.join('\n')}\n`);
  }
  return fail(
    "error: unsupported option (BSD syntax)\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n",
  );
}

function ls(ctx: ShellContext, args: string[]): ExecResult {
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const targets = args.filter((a) => !a.startsWith('-'));
  const paths = targets.length ? targets : ['.'];
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  for (const target of paths) {
    const path = resolvePath(target, ctx.cwd);
    const entries = dirEntries(ctx, path);
    if (entries === undefined) {
      if (ctx.files[path] !== undefined) {
        stdout += `${target}\n`;
        continue;
      }
      stderr += `ls: cannot access '${target}': No such file or directory\n`;
      exitCode = 2;
      continue;
    }
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

function curl(ctx: ShellContext, args: string[]): ExecResult {
  const url = args.find((a) => !a.startsWith('-'));
  if (!url) return fail("curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return fail(`curl: (3) URL using bad/illegal format or missing URL\n`, 3);
  const [, scheme, host, portText] = m;
  const port = portText ? Number(portText) : scheme === 'https' ? 443 : 80;
  const result = ctx.curl(host, port);
  if (result.ok) return ok(result.body);
  return fail(
    `${result.message}\n`,
    result.message.startsWith('curl: (6)') ? 6 : result.message.startsWith('curl: (28)') ? 28 : 7,
  );
}

/** Runs one command line's argv. */
export function runProgram(ctx: ShellContext, argv: string[]): ExecResult {
  const [program, ...args] = argv;
  if (program === undefined || program === '') return ok('');
  const name = program.split('/').pop()!;
  switch (name) {
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
      for (const file of args.filter((a) => !a.startsWith('-'))) {
        const path = resolvePath(file, ctx.cwd);
        if (ctx.files[path] !== undefined) stdout += ctx.files[path];
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

/** busybox wget: `wget -qO- URL` prints the body; otherwise it saves index.html. */
function wget(ctx: ShellContext, args: string[]): ExecResult {
  const url = args.find((a) => !a.startsWith('-'));
  if (!url)
    return fail(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n',
      1,
    );
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return fail(`wget: bad address '${url}'\n`, 1);
  const [, scheme, host, portText] = m;
  const port = portText ? Number(portText) : scheme === 'https' ? 443 : 80;
  const quietStdout =
    args.some((a) => /^-q?O-$|^-qO-$/.test(a)) ||
    (args.includes('-O') && args[args.indexOf('-O') + 1] === '-');
  const quiet = args.some((a) => /^-[^-]*q/.test(a));
  const result = ctx.curl(host, port);
  const connecting = quiet
    ? ''
    : `Connecting to ${host}${portText ? `:${portText}` : ''} (${ctx.lookup?.(host) ?? host}:${port})\n`;
  if (!result.ok) {
    if (result.message.startsWith('curl: (6)'))
      return fail(`wget: bad address '${host}${portText ? `:${portText}` : ''}'\n`, 1);
    return fail(
      `${connecting}wget: can't connect to remote host (${ctx.lookup?.(host) ?? host}): Connection refused\n`,
      1,
    );
  }
  if (quietStdout)
    return { stdout: result.body, stderr: connecting ? `${connecting}writing to stdout\n` : '', exitCode: 0 };
  ctx.files[resolvePath('index.html', ctx.cwd)] = result.body;
  return {
    stdout: '',
    stderr: quiet
      ? ''
      : `${connecting}saving to 'index.html'\nindex.html           100% |********************************|   ${result.body.length}  0:00:00 ETA\n'index.html' saved\n`,
    exitCode: 0,
  };
}

/**
 * busybox nslookup against the pod's nameserver 10.96.0.10. Until cluster DNS records exist (issue 14 part 3),
 * every name is answered NXDOMAIN, for both the A and the AAAA query, as a resolver with no records for it does.
 */
function nslookup(ctx: ShellContext, args: string[]): ExecResult {
  const name = args.find((a) => !a.startsWith('-'));
  if (!name)
    return fail(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n',
      1,
    );
  const header = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
  const ip = ctx.lookup?.(name);
  if (ip) return ok(`${header}Name:\t${name}\nAddress: ${ip}\n\n`);
  return {
    stdout: `${header}** server can't find ${name}: NXDOMAIN\n\n** server can't find ${name}: NXDOMAIN\n\n`,
    stderr: '',
    exitCode: 1,
  };
}

/**
 * A command with output redirections (`echo hi > /data/x`, `date >> /data/log`, `2> file`): the program runs, the
 * redirected stream goes to the file through ctx.write. The messages are busybox ash's and dash's (`sh -c`).
 */
export function runRedirected(ctx: ShellContext, words: string[]): ExecResult {
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
    const result = runProgram(ctx, argv);
    return merge ? { ...result, stdout: result.stdout + result.stderr, stderr: '' } : result;
  }
  for (const target of targets) {
    const path = resolvePath(target.file, ctx.cwd);
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
  const result = argv.length ? runProgram(ctx, argv) : ok('');
  let { stdout, stderr } = result;
  if (merge) {
    stdout += stderr;
    stderr = '';
  }
  for (const target of targets) {
    const path = resolvePath(target.file, ctx.cwd);
    const text = target.fd === 1 ? stdout : stderr;
    ctx.files[path] += text;
    ctx.write?.(path, ctx.files[path]);
    if (target.fd === 1) stdout = '';
    else stderr = '';
  }
  return { ...result, stdout, stderr };
}

/** Splits `bash -c '<line>'` text into argv (quotes and backslashes, no expansion). */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
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
