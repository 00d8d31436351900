import { goDuration } from './go-duration';

describe('goDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [2000, '2s'],
    [13579, '13.579s'],
    [3130, '3.13s'],
    [62500, '1m2.5s'],
    [7_200_000, '2h0m0s'],
  ])('%d ms prints as %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});
