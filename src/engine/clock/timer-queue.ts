/**
 * The discrete-event queue: pure data (no closures) so it can be snapshotted. Each timer names a handler
 * `kind` and a `key` (usually an object's uid or ns/name); the cluster dispatches them in (at, seq) order.
 */
export interface Timer {
  at: number;
  seq: number;
  kind: string;
  key: string;
}

export class TimerQueue {
  private timers: Timer[] = [];
  private seq = 0;

  schedule(at: number, kind: string, key: string): void {
    if (this.timers.some((t) => t.kind === kind && t.key === key && t.at === at)) return;
    const timer: Timer = { at, seq: this.seq++, kind, key };
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.timers[mid];
      if (t.at < at || (t.at === at && t.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
  }

  /** Makes (kind, key) due exactly once, at `at` (a no-op when that is already so; keeps snapshots stable). */
  replace(at: number, kind: string, key: string): void {
    const existing = this.timers.filter((t) => t.kind === kind && t.key === key);
    if (existing.length === 1 && existing[0].at === at) return;
    if (existing.length) this.cancel(kind, key);
    this.schedule(at, kind, key);
  }

  /** Removes every timer of this kind and key. */
  cancel(kind: string, key: string): void {
    this.timers = this.timers.filter((t) => !(t.kind === kind && t.key === key));
  }

  nextAt(): number | undefined {
    return this.timers[0]?.at;
  }

  /** The earliest timer due at or before `now`, removed from the queue. */
  popDue(now: number): Timer | undefined {
    if (this.timers.length === 0 || this.timers[0].at > now) return undefined;
    return this.timers.shift();
  }

  get size(): number {
    return this.timers.length;
  }

  toJSON(): { seq: number; timers: [number, number, string, string][] } {
    return { seq: this.seq, timers: this.timers.map((t) => [t.at, t.seq, t.kind, t.key]) };
  }

  static fromJSON(data: { seq: number; timers: [number, number, string, string][] }): TimerQueue {
    const q = new TimerQueue();
    q.seq = data.seq;
    q.timers = data.timers.map(([at, seq, kind, key]) => ({ at, seq, kind, key }));
    return q;
  }
}
