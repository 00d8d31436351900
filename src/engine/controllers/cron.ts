/**
 * Standard cron schedules as the CronJob controller reads them (robfig/cron's ParseStandard): five fields
 * (minute hour day-of-month month day-of-week) with `*`, `?`, lists, ranges, steps and month/day names, or one of
 * the descriptors @yearly @annually @monthly @weekly @daily @midnight @hourly. Times are UTC (the node's zone)
 * unless a zone is given (CronJob spec.timeZone, or a grandfathered `TZ=`/`CRON_TZ=` prefix).
 */
import { instantOf, isKnownTimeZone, wallClock } from './time-zone';

export interface CronSchedule {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  /** Day-of-month or day-of-week was `*` or `?`: the other one alone decides. */
  domStar: boolean;
  dowStar: boolean;
  /** The `TZ=` / `CRON_TZ=` prefix's zone. */
  location?: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Bounds {
  min: number;
  max: number;
  names?: string[];
  nameBase?: number;
}

function parseValue(text: string, b: Bounds): number {
  const lower = text.toLowerCase();
  const named = b.names?.indexOf(lower) ?? -1;
  if (named >= 0) return named + (b.nameBase ?? 0);
  if (!/^\d+$/.test(text))
    throw new Error(`failed to parse int from ${text}: strconv.Atoi: parsing "${text}": invalid syntax`);
  return Number(text);
}

function parseField(field: string, b: Bounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new Error(`too many slashes: ${part}`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = b.min;
      hi = b.max;
      if (stepText === undefined) star = true;
    } else {
      const [a, c, more] = range.split('-');
      if (more !== undefined) throw new Error(`too many hyphens: ${range}`);
      lo = parseValue(a, b);
      hi = c === undefined ? (stepText !== undefined ? b.max : lo) : parseValue(c, b);
    }
    const step = stepText === undefined ? 1 : parseValue(stepText, { min: 0, max: 0 });
    if (lo < b.min) throw new Error(`beginning of range (${lo}) below minimum (${b.min}): ${part}`);
    if (hi > b.max) throw new Error(`end of range (${hi}) above maximum (${b.max}): ${part}`);
    if (lo > hi) throw new Error(`beginning of range (${lo}) beyond end of range (${hi}): ${part}`);
    if (step === 0) throw new Error(`step of range should be a positive number: ${part}`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

/** Parses a schedule; the error text is robfig/cron's. */
export function parseCron(spec: string): CronSchedule | { error: string } {
  try {
    let text = spec.trim();
    let location: string | undefined;
    if (text.startsWith('TZ=') || text.startsWith('CRON_TZ=')) {
      const space = text.indexOf(' ');
      location = text.slice(text.indexOf('=') + 1, space < 0 ? undefined : space);
      if (!isKnownTimeZone(location))
        return { error: `provided bad location ${location}: unknown time zone ${location}` };
      text = space < 0 ? '' : text.slice(space + 1).trim();
    }
    if (text.startsWith('@')) {
      const expanded = DESCRIPTORS[text.toLowerCase()];
      if (!expanded) return { error: `unrecognized descriptor: ${text}` };
      text = expanded;
    }
    const fields = text.split(/\s+/).filter(Boolean);
    if (fields.length !== 5) return { error: `expected exactly 5 fields, found ${fields.length}: ${spec}` };
    const dom = parseField(fields[2], { min: 1, max: 31 });
    const dow = parseField(fields[4], { min: 0, max: 7, names: DAYS });
    if (dow.values.has(7)) dow.values.add(0);
    return {
      minute: parseField(fields[0], { min: 0, max: 59 }).values,
      hour: parseField(fields[1], { min: 0, max: 23 }).values,
      dom: dom.values,
      month: parseField(fields[3], { min: 1, max: 12, names: MONTHS, nameBase: 1 }).values,
      dow: dow.values,
      domStar: dom.star,
      dowStar: dow.star,
      ...(location ? { location } : {}),
    };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const domOk = s.dom.has(d.getUTCDate());
  const dowOk = s.dow.has(d.getUTCDay());
  if (s.domStar || s.dowStar) return domOk && dowOk;
  return domOk || dowOk;
}

/**
 * The first schedule time strictly after `after` (ms) in `zone` (UTC when none), or undefined if none within five
 * years. Fields are matched on the zone's wall clock: a time the clocks skip does not run that day, a time they
 * repeat runs once (robfig/cron's behaviour around daylight-saving changes).
 */
export function nextCronTime(s: CronSchedule, after: number, zone = s.location): number | undefined {
  if (!zone || zone === 'UTC') return nextUtcTime(s, after);
  let wall = wallClock(after, zone);
  for (let i = 0; i < 1000; i++) {
    const nextWall = nextUtcTime(s, wall);
    if (nextWall === undefined) return undefined;
    const at = instantOf(nextWall, zone);
    if (at !== undefined && at > after) return at;
    wall = nextWall;
  }
  return undefined;
}

function nextUtcTime(s: CronSchedule, after: number): number | undefined {
  const d = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  const limit = after + 5 * 366 * 86_400_000;
  while (d.getTime() <= limit) {
    if (!s.month.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(s, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!s.hour.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!s.minute.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return d.getTime();
  }
  return undefined;
}
