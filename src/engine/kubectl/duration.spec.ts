import { ageSince, humanDuration } from './duration';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (reference §1.4 table)', () => {
  it.each([
    [0, '0s'],
    [5 * s, '5s'],
    [59 * s, '59s'],
    [60 * s, '60s'],
    [119 * s, '119s'],
    [120 * s, '2m'],
    [150 * s, '2m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [10 * m + 5 * s, '10m'],
    [59 * m + 59 * s, '59m'],
    [10799 * s, '179m'],
    [3 * h, '3h'],
    [3 * h + 3 * m + 20 * s, '3h3m'],
    [7 * h + 59 * m + 59 * s, '7h59m'],
    [8 * h, '8h'],
    [23 * h + 59 * m, '23h'],
    [47 * h + 59 * m, '47h'],
    [48 * h, '2d'],
    [50 * h, '2d2h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [731 * d, '2y1d'],
    [8 * 365 * d, '8y'],
    [-500, '0s'],
    [-1 * s, '0s'],
    [-2 * s, '<invalid>'],
  ])('%d ms -> %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });

  it('computes AGE from RFC 3339 timestamps and prints <unknown> for unset ones', () => {
    expect(ageSince('2024-06-03T02:15:00Z', Date.parse('2024-06-03T02:17:30Z'))).toBe('2m30s');
    expect(ageSince(undefined, 0)).toBe('<unknown>');
  });
});
