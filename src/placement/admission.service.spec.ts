import { judgeLoad } from './admission.service';
import { combineLoads } from './worker-load';

const bounds = { maxWaiting: 5, maxWaitMs: 2000 };

describe('judgeLoad', () => {
  it('accepts within both bounds, the bounds themselves included', () => {
    expect(judgeLoad({ waiting: 5, oldestWaitingMs: 2000, active: 50 }, bounds)).toEqual({ ok: true });
  });

  it('refuses beyond the depth, with at least a second to wait', () => {
    expect(judgeLoad({ waiting: 6, oldestWaitingMs: 40, active: 2 }, bounds)).toMatchObject({
      ok: false,
      retryAfterSeconds: 1,
      reason: '6 sessions wait for a worker (bound 5)',
    });
  });

  it('refuses beyond the age, hinting the oldest wait rounded up and capped at 30 s', () => {
    expect(judgeLoad({ waiting: 1, oldestWaitingMs: 2100, active: 2 }, bounds)).toMatchObject({
      ok: false,
      retryAfterSeconds: 3,
      reason: 'commands wait 2.1 s for a worker (bound 2 s)',
    });
    expect(judgeLoad({ waiting: 1, oldestWaitingMs: 600_000, active: 2 }, bounds)).toMatchObject({
      retryAfterSeconds: 30,
    });
  });

  it('never refuses on a bound set to 0', () => {
    const off = { maxWaiting: 0, maxWaitMs: 0 };
    expect(judgeLoad({ waiting: 10_000, oldestWaitingMs: 60_000, active: 0 }, off)).toEqual({ ok: true });
  });
});

describe('combineLoads', () => {
  it('adds the counts of several queues and keeps the longest wait', () => {
    expect(
      combineLoads([
        { waiting: 2, oldestWaitingMs: 300, active: 1 },
        { waiting: 3, oldestWaitingMs: 900, active: 4 },
      ]),
    ).toEqual({ waiting: 5, oldestWaitingMs: 900, active: 5 });
    expect(combineLoads([])).toEqual({ waiting: 0, oldestWaitingMs: 0, active: 0 });
  });
});
