import { fromZonedLocal, isValidTimeZone, parseScheduleTime, toZonedLocal } from './zoned-time';

describe('zoned time', () => {
  it('reads a Beijing wall-clock time as the instant eight hours earlier in UTC', () => {
    expect(fromZonedLocal('2026-12-11T23:59', 'Asia/Shanghai').toISOString()).toBe(
      '2026-12-11T15:59:00.000Z',
    );
    expect(fromZonedLocal('2027-01-01T00:30:15', 'Asia/Shanghai').toISOString()).toBe(
      '2026-12-31T16:30:15.000Z',
    );
  });

  it('shows an instant on the wall clock of the zone', () => {
    expect(toZonedLocal(new Date('2026-12-11T15:59:00Z'), 'Asia/Shanghai')).toBe('2026-12-11T23:59');
    expect(toZonedLocal(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe('2026-07-01T14:00');
    expect(toZonedLocal(new Date('2026-12-01T12:00:00Z'), 'Europe/Berlin')).toBe('2026-12-01T13:00');
  });

  it('round-trips every hour of a year with a daylight-saving zone, outside the skipped hour', () => {
    for (let hour = 0; hour < 365 * 24; hour += 7) {
      const instant = new Date(Date.UTC(2026, 0, 1) + hour * 3600_000);
      const local = toZonedLocal(instant, 'America/New_York');
      const back = fromZonedLocal(local, 'America/New_York');
      // A repeated hour maps back to its first occurrence, at most one hour earlier.
      expect(instant.getTime() - back.getTime()).toBeGreaterThanOrEqual(0);
      expect(instant.getTime() - back.getTime()).toBeLessThanOrEqual(3600_000);
      expect(toZonedLocal(back, 'America/New_York')).toBe(local);
    }
  });

  it('takes the earlier instant of a repeated time and refuses a skipped one', () => {
    // New York, 1 November 2026: 01:30 happens twice (EDT, then EST).
    expect(fromZonedLocal('2026-11-01T01:30', 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    // 8 March 2026: clocks jump from 02:00 to 03:00.
    expect(() => fromZonedLocal('2026-03-08T02:30', 'America/New_York')).toThrow(/does not exist/);
  });

  it('refuses malformed and impossible local times', () => {
    expect(() => fromZonedLocal('2026-02-30T10:00', 'Asia/Shanghai')).toThrow(/exists/);
    expect(() => fromZonedLocal('2026-12-11 23:59', 'Asia/Shanghai')).toThrow(/YYYY-MM-DDTHH:mm/);
    expect(() => fromZonedLocal('2026-12-11T24:00', 'Asia/Shanghai')).toThrow(/exists/);
  });

  it('takes a time with an offset as the instant it names, whatever the course zone', () => {
    expect(parseScheduleTime('2026-12-11T23:59+08:00', 'Europe/London').toISOString()).toBe(
      '2026-12-11T15:59:00.000Z',
    );
    expect(parseScheduleTime('2026-12-11T15:59:00Z', 'Asia/Shanghai').toISOString()).toBe(
      '2026-12-11T15:59:00.000Z',
    );
    expect(parseScheduleTime('2026-12-11T23:59', 'Europe/London').toISOString()).toBe(
      '2026-12-11T23:59:00.000Z',
    );
  });

  it('knows IANA zone names', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
