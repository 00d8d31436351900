import { shellOf, SHELLS } from './shells';

describe('shellOf', () => {
  it('picks the set-up of the system the browser runs on', () => {
    expect(
      shellOf(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0',
      ),
    ).toBe('windows');
    expect(
      shellOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)'),
    ).toBe('macos');
    expect(
      shellOf('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0'),
    ).toBe('linux');
  });

  it('offers the POSIX line to systems it does not know, and to an empty user agent', () => {
    expect(shellOf('Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36')).toBe('linux');
    expect(shellOf('')).toBe('linux');
  });

  it('lists every shell of the set-up reply once', () => {
    expect([...SHELLS].sort()).toEqual(['linux', 'macos', 'windows']);
  });
});
