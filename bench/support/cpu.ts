/**
 * CPU time of processes and of the whole machine, from /proc (Linux), so a benchmark can say where the cores went:
 * the platform's processes, its own clients, and everything else on a shared machine.
 */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports times in these ticks, 100 a second on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** A process's user + system CPU time (ms); 0 once it has gone or without /proc. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: the fields that follow start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Busy and total CPU time of the machine (ms, all cores together); zeros without /proc. */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.map(Number);
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    return {
      busy: ((total - idle - iowait) * 1000) / TICKS_PER_SECOND,
      total: (total * 1000) / TICKS_PER_SECOND,
    };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** CPU used between two readings, as a share of one core (100 % = one core busy the whole time). */
export const coreShare = (cpuMs: number, wallMs: number) => (wallMs > 0 ? (100 * cpuMs) / wallMs : 0);
