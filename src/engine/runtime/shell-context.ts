/**
 * What a shell command runs against (the container's files, processes, network hooks) and the small helpers the
 * shell's programs share (shell.ts, shell-ps.ts, shell-net.ts).
 */
import type { ImageProfile } from './image-profiles';
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
  /** The resolver's answer for a name (search path applied, as curl and wget resolve), or undefined. */
  lookup?(name: string): string | undefined;
  /** Cluster DNS's A records for one absolute name (what nslookup queries), or undefined: NXDOMAIN. */
  dns?(fqdn: string): string[] | undefined;
  /** An HTTP GET from inside the pod (`hostHeader`: a Host header other than the URL's host, for an Ingress). */
  curl(
    host: string,
    port: number,
    path?: string,
    hostHeader?: string,
  ): { ok: true; body: string; status?: number } | { ok: false; message: string };
}

export const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', exitCode: 0 });
export const fail = (stderr: string, exitCode = 1): ExecResult => ({ stdout: '', stderr, exitCode });

export function pad(n: number, width: number): string {
  return String(n).padStart(width, ' ');
}

/** HH:MM of a time (ps's STIME and ls's dates). */
export function clock(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** An absolute path from `path` relative to `cwd`, with `.` and `..` resolved. */
export function resolvePath(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
