/**
 * IANA time zones for CronJob spec.timeZone, through the runtime's Intl data (no tz dependency): whether Go's
 * time.LoadLocation would know a name, and the conversion between instants and wall-clock time in a zone.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Go's time.LoadLocation reads tzdata files, so names are case-sensitive there while Intl accepts `europe/paris`:
 * a name Intl resolves to the same name in another case is unknown to Go. "UTC" and "" are Go's own UTC.
 */
export function isKnownTimeZone(zone: string): boolean {
  if (zone === 'UTC') return true;
  const f = formatter(zone);
  if (!f) return false;
  const resolved = f.resolvedOptions().timeZone;
  return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
}

/** The wall-clock time in `zone` at `instant`, as milliseconds of a UTC date with the same fields. */
export function wallClock(instant: number, zone: string): number {
  const f = formatter(zone);
  if (!f) return instant;
  const fields: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instant)))
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  const seconds = Math.floor(instant / 1000) * 1000;
  return (
    Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second) +
    (instant - seconds)
  );
}

/**
 * The instant at which `zone` shows wall-clock time `wall`: the earlier one when the time occurs twice (the hour
 * the clocks go back), undefined when it never occurs (the hour the clocks skip).
 */
export function instantOf(wall: number, zone: string): number | undefined {
  const candidates = [wall - 86_400_000, wall + 86_400_000]
    .map((probe) => wall - (wallClock(probe, zone) - probe))
    .filter((t) => wallClock(t, zone) === wall)
    .sort((a, b) => a - b);
  return candidates[0];
}
