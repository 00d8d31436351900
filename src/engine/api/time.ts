/** Timestamps as the API serialises them: RFC 3339 in UTC with second precision ("2024-06-03T02:15:02Z"). */
/** The texts of recent seconds: clusters interleave a handful of distinct times (boot, creation, timers). */
const recentSeconds = new Map<number, string>();

export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  let text = recentSeconds.get(second);
  if (text === undefined) {
    if (recentSeconds.size >= 256) recentSeconds.clear();
    text = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    recentSeconds.set(second, text);
  }
  return text;
}

/** Parses an API timestamp back to epoch ms; undefined for null/absent/garbage. */
export function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
