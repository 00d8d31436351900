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
