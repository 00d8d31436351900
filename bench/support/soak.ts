/**
 * What a long bench:commands run (the soak of issue 22: `BENCH_SECONDS=1800`) reports beside latency: the resident
 * memory of every process of the platform sampled each minute and its growth over the last 20 minutes, the worst
 * seconds for slow exits, and what the command records take in PostgreSQL per 1,000 commands.
 */
import { readFileSync } from 'node:fs';

const MINUTE_MS = 60_000;
/** Growth is read over this last stretch of the run (or its later two thirds, when the run is shorter). */
const GROWTH_WINDOW_MS = 20 * MINUTE_MS;
/** The tables a command writes to (its record with output, the gradings it causes). */
export const RECORD_TABLES = ['command_runs', 'grading_events', 'step_results'] as const;

/** Resident set size of a process in bytes, from /proc (undefined once it is gone). */
function rssOf(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((candidate) => candidate.startsWith('VmRSS:'));
    return line ? Number(/(\d+)/.exec(line)?.[1] ?? NaN) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export class RssSampler {
  private readonly samples: { at: number; rss: Map<string, number> }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly processes: Map<string, number>) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), MINUTE_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** One line per process: MiB at each minute, and the growth over the last 20 minutes (or 2/3 of the run). */
  report(): string[] {
    if (this.samples.length < 2) return [];
    const first = this.samples[0].at;
    const last = this.samples[this.samples.length - 1];
    const window = Math.min(GROWTH_WINDOW_MS, ((last.at - first) * 2) / 3);
    // The latest sample at or before the window's start: the growth covers at least the window.
    const from = this.samples.filter((sample) => sample.at <= last.at - window).pop() ?? this.samples[0];
    const minutes = ((last.at - from.at) / MINUTE_MS).toFixed(1);
    const lines = [`  resident memory (MiB) each minute, and growth over the last ${minutes} min:`];
    for (const name of this.processes.keys()) {
      const series = this.samples.map((sample) => sample.rss.get(name));
      const start = from.rss.get(name);
      const end = last.rss.get(name);
      const growth =
        start && end ? `${(((end - start) / start) * 100).toFixed(1)} %` : 'not measurable (process gone)';
      const mib = series.map((bytes) => (bytes === undefined ? '-' : (bytes / 2 ** 20).toFixed(0))).join(' ');
      lines.push(`    ${name.padEnd(12)} growth ${growth.padStart(8)}   ${mib}`);
    }
    return lines;
  }

  private sample(): void {
    const rss = new Map<string, number>();
    for (const [name, pid] of this.processes) {
      const bytes = rssOf(pid);
      if (bytes !== undefined) rss.set(name, bytes);
    }
    this.samples.push({ at: Date.now(), rss });
  }
}

/** The seconds of the run with the most exits over 100 ms, and how many seconds had more than `limit`. */
export function slowExitSeconds(samples: { at: number; ms: number }[], startedAt: number, limit = 5): string {
  const counts = new Map<number, number>();
  for (const sample of samples) {
    if (sample.ms <= 100) continue;
    const second = Math.floor((sample.at - startedAt) / 1000);
    counts.set(second, (counts.get(second) ?? 0) + 1);
  }
  const worst = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const over = worst.filter(([, count]) => count > limit).length;
  const top = worst
    .slice(0, 3)
    .map(([second, count]) => `${count} at ${second} s`)
    .join(', ');
  return `seconds with more than ${limit} exits over 100 ms: ${over}; worst: ${top || 'none'}`;
}
