/** Figures every command benchmark prints the same way. */
import { loadavg } from 'node:os';

/** The nearest-rank percentile (p in 0–100) of `values`; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/** The machine is shared: each report carries the load average (1, 5, 15 min) it was measured under. */
export const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
