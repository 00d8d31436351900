import { RealClock, SCALED_CLOCK_ANCHOR, ScaledClock, wallClock } from './clock';

describe('ScaledClock', () => {
  afterEach(() => jest.useRealTimers());

  it('runs rate times faster than the wall from the shared anchor, so two clocks agree', () => {
    jest.useFakeTimers({ now: SCALED_CLOCK_ANCHOR + 1000 });
    const first = new ScaledClock(10);
    const second = new ScaledClock(10);
    expect(first.now()).toBe(SCALED_CLOCK_ANCHOR + 10_000);
    jest.advanceTimersByTime(500);
    expect(first.now()).toBe(SCALED_CLOCK_ANCHOR + 15_000);
    expect(second.now()).toBe(first.now());
  });

  it('sleeps its own time: 10 s at rate 10 takes 1 s of wall time', async () => {
    jest.useFakeTimers({ now: SCALED_CLOCK_ANCHOR });
    const clock = new ScaledClock(10);
    let woke = false;
    const sleeping = clock.sleep(10_000).then(() => (woke = true));
    jest.advanceTimersByTime(999);
    await Promise.resolve();
    expect(woke).toBe(false);
    jest.advanceTimersByTime(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('is a wall clock (watches look regularly) and refuses a rate below 1', () => {
    expect(new ScaledClock(5)).toBeInstanceOf(RealClock);
    expect(() => new ScaledClock(0.5)).toThrow('rate must be >= 1');
    expect(wallClock(1)).not.toBeInstanceOf(ScaledClock);
    expect(wallClock(4)).toBeInstanceOf(ScaledClock);
  });
});
