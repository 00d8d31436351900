import { nextCronTime, parseCron, type CronSchedule } from './cron';

const at = (iso: string) => Date.parse(iso);
const next = (spec: string, from: string) =>
  new Date(nextCronTime(parseCron(spec) as CronSchedule, at(from))!).toISOString();

describe('cron schedules', () => {
  it('finds the next minute, hour, day and weekday', () => {
    expect(next('*/1 * * * *', '2024-06-03T02:15:30Z')).toBe('2024-06-03T02:16:00.000Z');
    expect(next('*/15 * * * *', '2024-06-03T02:15:00Z')).toBe('2024-06-03T02:30:00.000Z');
    expect(next('0 9 * * mon-fri', '2024-06-07T10:00:00Z')).toBe('2024-06-10T09:00:00.000Z');
    expect(next('@daily', '2024-06-03T02:15:00Z')).toBe('2024-06-04T00:00:00.000Z');
    expect(next('0 0 1 jan *', '2024-06-03T02:15:00Z')).toBe('2025-01-01T00:00:00.000Z');
    // Day of month and day of week both restricted: either one matches.
    expect(next('0 0 13 * 5', '2024-06-03T00:00:00Z')).toBe('2024-06-07T00:00:00.000Z');
  });

  it('reports robfig/cron errors and never throws', () => {
    expect(parseCron('hourly')).toEqual({ error: 'expected exactly 5 fields, found 1: hourly' });
    expect(parseCron('61 * * * *')).toEqual({ error: 'end of range (61) above maximum (59): 61' });
    expect(parseCron('@sometimes')).toEqual({ error: 'unrecognized descriptor: @sometimes' });
    for (const bad of ['', '* * * * * *', 'a b c d e', '1-2-3 * * * *', '*/0 * * * *', '5-1 * * * *'])
      expect('error' in parseCron(bad)).toBe(true);
  });
});

describe('cron schedules in a time zone', () => {
  const nextIn = (spec: string, from: string, zone: string) =>
    new Date(nextCronTime(parseCron(spec) as CronSchedule, at(from), zone)!).toISOString();

  it('matches the fields on the wall clock of the zone', () => {
    // 09:00 in New York is 13:00 UTC in summer (EDT) and 14:00 UTC in winter (EST).
    expect(nextIn('0 9 * * *', '2024-06-03T02:15:00Z', 'America/New_York')).toBe('2024-06-03T13:00:00.000Z');
    expect(nextIn('0 9 * * *', '2024-12-03T02:15:00Z', 'America/New_York')).toBe('2024-12-03T14:00:00.000Z');
    expect(nextIn('30 5 * * *', '2024-06-03T02:15:00Z', 'Asia/Kolkata')).toBe('2024-06-04T00:00:00.000Z');
    expect(nextIn('*/1 * * * *', '2024-06-03T02:15:30Z', 'Europe/Paris')).toBe('2024-06-03T02:16:00.000Z');
  });

  it('skips a time the clocks skip and runs a repeated time once', () => {
    // 2024-03-10 02:30 does not exist in New York; the next run is the following day.
    expect(nextIn('30 2 * * *', '2024-03-10T05:00:00Z', 'America/New_York')).toBe('2024-03-11T06:30:00.000Z');
    // 2024-11-03 01:30 happens twice (EDT then EST): the first one runs, the second does not.
    expect(nextIn('30 1 * * *', '2024-11-03T04:00:00Z', 'America/New_York')).toBe('2024-11-03T05:30:00.000Z');
    expect(nextIn('30 1 * * *', '2024-11-03T05:30:00Z', 'America/New_York')).toBe('2024-11-04T06:30:00.000Z');
  });

  it('reads and checks a TZ= prefix as robfig/cron does', () => {
    expect((parseCron('TZ=Europe/Paris 0 9 * * *') as CronSchedule).location).toBe('Europe/Paris');
    expect(parseCron('CRON_TZ=Mars/Base 0 9 * * *')).toEqual({
      error: 'provided bad location Mars/Base: unknown time zone Mars/Base',
    });
  });
});
