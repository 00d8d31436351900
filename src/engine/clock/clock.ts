/**
 * The engine's only notion of time. Everything time-dependent (AGE, rollout progress, pod phases,
 * image pull back-off) reads `now()`; nothing in the engine calls Date.now() or setTimeout directly,
 * so tests drive a cluster deterministically with a ManualClock.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with an AbortError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortError(): Error {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}

/** Production clock: follows real time. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError());
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * The instant every ScaledClock counts from. Fixed, not the process's start, so every process (workers that
 * hand a session's snapshot to each other, the Docker node containers) reads the same time at the same moment.
 */
export const SCALED_CLOCK_ANCHOR = Date.UTC(2026, 0, 1);

/**
 * A wall clock running `rate` times faster than real time, for the platform's own end-to-end tests and demos
 * that should not wait minutes for image pulls, rollouts and grace periods (CLUSTER_TIME_SCALE). A RealClock
 * still: the cluster moves when someone looks, and watches look regularly. Its dates run ahead of the calendar
 * (at rate 10, a year after the anchor reads as ten), which only a scaled cluster shows.
 */
export class ScaledClock extends RealClock {
  constructor(readonly rate: number) {
    super();
    if (!Number.isFinite(rate) || rate < 1) throw new Error(`ScaledClock: rate must be >= 1, got ${rate}`);
  }

  override now(): number {
    return SCALED_CLOCK_ANCHOR + Math.floor((Date.now() - SCALED_CLOCK_ANCHOR) * this.rate);
  }

  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return super.sleep(ms / this.rate, signal);
  }
}

/** The clock of a cluster that follows the wall: real time, or real time `rate` times faster. */
export function wallClock(rate = 1): Clock {
  return rate === 1 ? new RealClock() : new ScaledClock(rate);
}

interface Sleeper {
  deadline: number;
  seq: number;
  resolve: () => void;
}

/** Test clock: time only moves through advance()/set(); pending sleeps resolve when their deadline passes. */
export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private seq = 0;

  constructor(startMs: number = Date.UTC(2024, 5, 3, 2, 15, 0)) {
    if (!Number.isFinite(startMs))
      throw new Error(`ManualClock: start time must be a finite number, got ${startMs}`);
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.set(this.current + ms);
  }

  set(ms: number): void {
    if (!Number.isFinite(ms)) throw new Error(`ManualClock.set: time must be a finite number, got ${ms}`);
    if (ms < this.current) throw new Error('ManualClock.set: time cannot go backwards');
    this.current = ms;
    const due = this.sleepers.filter((s) => s.deadline <= ms);
    if (due.length === 0) return;
    this.sleepers = this.sleepers.filter((s) => s.deadline > ms);
    due.sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
    for (const sleeper of due) sleeper.resolve();
  }

  /** When the earliest waiting sleep is due (undefined when none waits). */
  nextSleepAt(): number | undefined {
    return this.sleepers.length === 0 ? undefined : Math.min(...this.sleepers.map((s) => s.deadline));
  }

  /** Number of sleeps still waiting (lets tests wait until a waiter has parked). */
  pendingSleeps(): number {
    return this.sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const deadline = this.current + Math.max(0, ms);
      if (deadline <= this.current) return resolve();
      const sleeper: Sleeper = {
        deadline,
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }
}
