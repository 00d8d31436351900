/**
 * Wall-clock times in a course's time zone (an IANA name such as "Asia/Shanghai") and the instants
 * they stand for. Schedules are entered as local date-times of the course's zone, as an instructor
 * thinks of them ("due Friday 23:59"); the database keeps instants. Shared by the server and the web
 * client, with nothing but the platform's Intl.
 */

/** "2026-12-08T23:59" or "2026-12-08T23:59:30": a wall-clock time with no zone or offset. */
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
/** An ISO 8601 instant: a local part followed by "Z" or a numeric offset. */
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(timeZone)) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of `timeZone` at `instant`, as the fields Date.UTC takes (whole seconds). */
function wallClockMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The instant `instant` as "YYYY-MM-DDTHH:mm" on the wall clock of `timeZone`. */
export function toZonedLocal(instant: Date, timeZone: string): string {
  return new Date(wallClockMs(instant.getTime(), timeZone)).toISOString().slice(0, 16);
}

/**
 * The instant a wall-clock time of `timeZone` stands for. A time that repeats when clocks go back
 * is the earlier of the two; a time skipped when clocks go forward does not exist and is refused.
 */
export function fromZonedLocal(local: string, timeZone: string): Date {
  const match = LOCAL.exec(local);
  if (!match) throw new RangeError(`"${local}" is not a local date-time (YYYY-MM-DDTHH:mm).`);
  const [year, month, day, hour, minute, second] = match.slice(1).map((field) => Number(field ?? 0));
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    throw new RangeError(`"${local}" is not a date-time that exists.`);
  // The zone's offset a day either side bounds the offsets in force at that wall-clock time.
  const dayMs = 24 * 3600 * 1000;
  const candidates = [asUtc - dayMs, asUtc + dayMs]
    .map((probe) => asUtc - (wallClockMs(probe, timeZone) - probe))
    .filter((instant) => wallClockMs(instant, timeZone) === asUtc)
    .sort((a, b) => a - b);
  if (candidates.length === 0)
    throw new RangeError(`"${local}" does not exist in ${timeZone} (the clocks skip it).`);
  return new Date(candidates[0]);
}

/**
 * A schedule time as the API accepts it: an ISO 8601 instant with "Z" or an offset is taken as is;
 * a local date-time without one is a wall-clock time of the course's zone.
 */
export function parseScheduleTime(value: string, timeZone: string): Date {
  if (WITH_OFFSET.test(value)) {
    const instant = new Date(value);
    if (Number.isNaN(instant.getTime())) throw new RangeError(`"${value}" is not a date-time that exists.`);
    return instant;
  }
  return fromZonedLocal(value, timeZone);
}
