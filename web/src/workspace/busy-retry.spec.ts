import { BUSY_RETRY_ATTEMPTS, BusyRetries } from './busy-retry';

describe('BusyRetries', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends a busy line again after the hinted seconds', () => {
    const retries = new BusyRetries();
    const resend = jest.fn();
    expect(retries.schedule('c1', 'unavailable', 2, resend)).toBe(2);
    expect(retries.waiting('c1')).toBe(true);
    jest.advanceTimersByTime(1999);
    expect(resend).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(resend).toHaveBeenCalledTimes(1);
    expect(retries.waiting('c1')).toBe(false);
  });

  it('counts the seconds down to the retry', () => {
    const retries = new BusyRetries();
    const resend = jest.fn();
    const ticks: number[] = [];
    expect(retries.schedule('c1', 'unavailable', 3, resend, (left) => ticks.push(left))).toBe(3);
    jest.advanceTimersByTime(1000);
    expect(ticks).toEqual([2]);
    jest.advanceTimersByTime(2000);
    expect(ticks).toEqual([2, 1]);
    expect(resend).toHaveBeenCalledTimes(1);
    // The countdown ends with the wait, and a stopped line counts no further.
    retries.schedule('c2', 'unavailable', 3, resend, (left) => ticks.push(left));
    retries.end('c2');
    jest.advanceTimersByTime(10_000);
    expect(ticks).toEqual([2, 1]);
    expect(resend).toHaveBeenCalledTimes(1);
  });

  it(`gives up after ${BUSY_RETRY_ATTEMPTS} tries of one line, and counts each line on its own`, () => {
    const retries = new BusyRetries();
    const resend = jest.fn();
    for (let attempt = 0; attempt < BUSY_RETRY_ATTEMPTS; attempt++) {
      expect(retries.schedule('c1', 'unavailable', 1, resend)).toBe(1);
      jest.advanceTimersByTime(1000);
    }
    expect(retries.schedule('c1', 'unavailable', 1, resend)).toBeUndefined();
    expect(resend).toHaveBeenCalledTimes(BUSY_RETRY_ATTEMPTS);
    expect(retries.schedule('c2', 'unavailable', 1, resend)).toBe(1);
  });

  it('does not retry other refusals, or a busy one without a hint', () => {
    const retries = new BusyRetries();
    const resend = jest.fn();
    expect(retries.schedule('c1', 'rate_limited', 12, resend)).toBeUndefined();
    expect(retries.schedule('c2', 'invalid_line', undefined, resend)).toBeUndefined();
    expect(retries.schedule('c3', 'unavailable', undefined, resend)).toBeUndefined();
    expect(retries.waiting('c1') || retries.waiting('c2') || retries.waiting('c3')).toBe(false);
  });

  it('caps a long hint at 30 s', () => {
    expect(new BusyRetries().schedule('c1', 'unavailable', 600, () => undefined)).toBe(30);
  });

  it('stops retrying on Ctrl-C (end) and when the terminal closes (endAll)', () => {
    const retries = new BusyRetries();
    const resend = jest.fn();
    retries.schedule('c1', 'unavailable', 2, resend);
    retries.schedule('c2', 'unavailable', 2, resend);
    retries.end('c1');
    expect(retries.waiting('c1')).toBe(false);
    retries.endAll();
    jest.advanceTimersByTime(60_000);
    expect(resend).not.toHaveBeenCalled();
  });
});
