/** `ps` in the pod shell: procps on Debian images (`ps`, `-ef`, `aux`, `-l`), busybox's own elsewhere. */
import { clock, fail, ok, pad, type ShellContext } from './shell-context';
import type { ExecResult } from './types';

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
export function ps(ctx: ShellContext, argv: string[]): ExecResult {
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
