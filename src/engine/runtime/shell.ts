/**
 * The programs a student runs inside the bootcamp container (a Debian-based node image): hostname, env, ps,
 * ls, cat/more server.js, curl localhost:8080, echo, pwd, whoami, date, ... Output follows the real tools
 * (procps ps, coreutils ls, GNU date). Unknown programs give bash's `command not found` (exit 127).
 */
import type { ExecResult } from './types';

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
  /** An HTTP GET from inside the pod. */
  curl(host: string, port: number): { ok: true; body: string } | { ok: false; message: string };
}

const ROOT_ENTRIES = [
  'bin',
  'boot',
  'dev',
  'etc',
  'home',
  'lib',
  'lib64',
  'media',
  'mnt',
  'opt',
  'proc',
  'root',
  'run',
  'sbin',
  'server.js',
  'srv',
  'sys',
  'tmp',
  'usr',
  'var',
];
const DIRS: Record<string, string[]> = {
  '/': ROOT_ENTRIES,
  '/etc': ['debian_version', 'hostname', 'hosts', 'os-release', 'passwd', 'resolv.conf'],
  '/root': [],
  '/tmp': [],
  '/home': [],
  '/var/run/secrets/kubernetes.io/serviceaccount': ['ca.crt', 'namespace', 'token'],
};

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

function resolvePath(path: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
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
    rows.push([bashPid, 0, ctx.now, '/bin/bash', 'pts/0']);
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
  const paths = targets.length ? targets : ['/'];
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  for (const target of paths) {
    const path = resolvePath(target);
    const entries = DIRS[path];
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
    // Only the bootcamp image has its server.js in the root directory.
    const present = entries.filter((e) => e !== 'server.js' || ctx.files['/server.js'] !== undefined);
    let shown = flags.includes('a') ? ['.', '..', ...present] : present;
    shown = [...shown].sort();
    if (flags.includes('l')) {
      stdout += `total ${shown.length * 4}\n`;
      for (const e of shown) {
        const full = resolvePath(`${path}/${e}`);
        const isFile = ctx.files[full] !== undefined;
        const size = isFile ? Buffer.byteLength(ctx.files[full]) : 4096;
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
        const path = resolvePath(file);
        if (ctx.files[path] !== undefined) stdout += ctx.files[path];
        else if (DIRS[path]) stderr += `${name}: ${file}: Is a directory\n`;
        else
          stderr +=
            name === 'more'
              ? `more: stat of ${file} failed: No such file or directory\n`
              : `${name}: ${file}: No such file or directory\n`;
      }
      return { stdout, stderr, exitCode: stderr ? 1 : 0 };
    }
    case 'curl':
      return curl(ctx, args);
    case 'echo':
      return ok(`${args.join(' ')}\n`);
    case 'pwd':
      return ok('/\n');
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
    case 'cd':
    case 'clear':
      return ok('');
    case 'false':
      return { stdout: '', stderr: '', exitCode: 1 };
    case 'exit': {
      const code = args.length ? Number(args[0]) : 0;
      return { stdout: '', stderr: '', exitCode: Number.isInteger(code) ? code & 255 : 2 };
    }
    case 'node':
      if (args[0] === '-v' || args[0] === '--version') return ok('v6.3.1\n');
      return fail('', 0);
    default:
      return fail(`bash: ${program}: command not found\n`, 127);
  }
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
