import { eventNameSuffix } from './events';

describe('event name suffix', () => {
  it('is the hex of now x 10^6 + the revision part, exactly, past 2^53', () => {
    const cases: Array<[number, number]> = [
      [0, 0],
      [0, 5],
      [1_048_575, 999_999],
      [1_048_576, 0],
      [Date.UTC(2024, 5, 3, 2, 15, 0), 380],
      [Date.UTC(2024, 5, 3, 2, 15, 0) + 123, 999_999],
      [4_102_444_800_000, 123_456],
    ];
    for (const [now, extra] of cases)
      expect(eventNameSuffix(now, extra)).toBe((BigInt(now) * 1_000_000n + BigInt(extra)).toString(16));
  });
});
