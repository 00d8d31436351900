import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { isDatabaseUnavailable } from '../infra/database/database-errors';

/** How much a worker holds while the database is away; beyond it, further records are lost (and logged). */
export interface HeldRecordLimits {
  records: number;
  bytes: number;
  /** How often writing the held records is tried again. */
  retryMs: number;
}

export const HELD_RECORD_LIMITS = Symbol('HELD_RECORD_LIMITS');

/**
 * 20,000 records or 256 MiB: at 200 students typing every 10 s, over ten minutes of commands, and their
 * output is capped at 1 MiB each (usually a few KiB). Retried every half second: the sooner the held
 * records land, the smaller the window in which housekeeping takes a held run's queued record for a
 * lost command.
 */
const DEFAULT_LIMITS: HeldRecordLimits = { records: 20_000, bytes: 256 * 1024 * 1024, retryMs: 500 };

/** The key of a run's held end: RunLedger holds it, and a run whose end is held has ended. */
export function heldEndKey(runId: string): string {
  return `run-end:${runId}`;
}

/** More held than the limits allow: this record is lost. */
export class HeldRecordsFullError extends Error {}

/**
 * What `write` did: wrote it now (with the write's answer), or holds it for later. `written` gives a held write's
 * answer once it lands, or undefined if it never does (refused by the database, or lost at shutdown). A later
 * held write may wait for it: held writes land in order, so it has settled by the time the later one runs.
 */
export type WriteOutcome<T> = { held: false; value: T } | { held: true; written: Promise<T | undefined> };

interface HeldWrite {
  key: string;
  bytes: number;
  write: () => Promise<unknown>;
  /** Settles `written` (the write's answer, or undefined when it is dropped). */
  settle: (value: unknown) => void;
  written: Promise<unknown>;
}

/**
 * The command records a worker could not write because the database is away (queued, started and
 * ended runs with their output and effects, home changes, cluster snapshots), held in this process's
 * memory in the order they were made, and written in that order once the database answers again.
 * While any are held, later writes queue behind them, so records land in order. Every held write is
 * idempotent, keyed by its run (or cluster): the run's record is an upsert by run id that only
 * changes an open record, so writing it again, or after housekeeping ended the run, changes nothing.
 *
 * Memory rather than Redis: the worker already has every record in hand, an outage costs Redis no
 * extra writes, and nothing needs to be serialised. The price: if this worker dies while it holds
 * records, they are lost (the clients saw the exits; the history misses those runs).
 */
@Injectable()
export class HeldRecords implements OnModuleDestroy {
  private readonly logger = new Logger('HeldRecords');
  private readonly queue: HeldWrite[] = [];
  private readonly byKey = new Map<string, HeldWrite>();
  private readonly limits: HeldRecordLimits;
  private heldBytes = 0;
  private retry: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  /** Held since the database went away, for the log line when they are written. */
  private heldSinceAway = 0;
  private closed = false;
  private readonly caughtUpListeners: (() => void)[] = [];

  constructor(@Optional() @Inject(HELD_RECORD_LIMITS) limits?: Partial<HeldRecordLimits>) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** How many writes are held. */
  get size(): number {
    return this.queue.length;
  }

  /** Calls `listener` each time the held records have all been written (the database is back). */
  onCaughtUp(listener: () => void): void {
    this.caughtUpListeners.push(listener);
  }

  /** Whether a write under `key` is held (a run ended here whose record has not landed yet). */
  holds(key: string): boolean {
    return this.byKey.has(key);
  }

  /**
   * Writes now, unless writes are already held (then it queues behind them) or the database turns
   * out to be away (then it is held). `bytes` is what holding it costs (computed only if it is held). With `replace`, a write held
   * under the same key is replaced in place (a cluster's snapshot: only the newest matters). Other
   * errors reach the caller; HeldRecordsFullError when it should be held and there is no room.
   */
  async write<T>(
    key: string,
    bytes: number | (() => number),
    write: () => Promise<T>,
    options: { replace?: boolean } = {},
  ): Promise<WriteOutcome<T>> {
    if (this.queue.length === 0) {
      try {
        return { held: false, value: await write() };
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
      }
    }
    const held = this.hold(key, typeof bytes === 'number' ? bytes : bytes(), write, options.replace ?? false);
    return { held: true, written: held.written as Promise<T | undefined> };
  }

  /** Tries the held writes once more now (tests, and shutdown); resolves when that round ends. */
  async flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.writeHeld().finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0) this.schedule();
      });
    }
    await this.flushing;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    if (this.queue.length === 0) return;
    await Promise.race([this.flush(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    if (this.queue.length > 0) {
      this.logger.error({
        msg: 'records lost at shutdown: the database is away',
        records: this.queue.length,
      });
      for (const lost of this.queue) lost.settle(undefined);
    }
  }

  private hold(key: string, bytes: number, write: () => Promise<unknown>, replace: boolean): HeldWrite {
    const existing = replace ? this.byKey.get(key) : undefined;
    if (existing) {
      this.heldBytes += bytes - existing.bytes;
      existing.bytes = bytes;
      existing.write = write;
      return existing;
    }
    if (this.queue.length >= this.limits.records || this.heldBytes + bytes > this.limits.bytes) {
      throw new HeldRecordsFullError(
        `the database is away and ${this.queue.length} records (${this.heldBytes} bytes) are held already`,
      );
    }
    if (this.queue.length === 0) {
      this.heldSinceAway = 0;
      this.logger.warn({ msg: 'the database is away: holding command records until it is back' });
    }
    let settle!: (value: unknown) => void;
    const written = new Promise<unknown>((resolve) => (settle = resolve));
    const held: HeldWrite = { key, bytes, write, settle, written };
    this.queue.push(held);
    this.byKey.set(key, held);
    this.heldBytes += bytes;
    this.heldSinceAway++;
    this.schedule();
    return held;
  }

  private schedule(): void {
    if (this.retry || this.flushing || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.flush();
    }, this.limits.retryMs);
    this.retry.unref();
  }

  /** Writes the held records in order; stops at the first that finds the database still away. */
  private async writeHeld(): Promise<void> {
    while (this.queue.length > 0) {
      const head = this.queue[0];
      const write = head.write;
      let answer: unknown;
      try {
        answer = await write();
      } catch (error) {
        if (isDatabaseUnavailable(error)) return;
        // Refused for another reason, it would be refused every time: logged and dropped.
        this.logger.error({
          msg: 'held record refused by the database; dropped',
          key: head.key,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      // Replaced while it was being written (a newer snapshot): the newer one is written next round.
      if (head.write !== write) continue;
      this.queue.shift();
      this.byKey.delete(head.key);
      this.heldBytes -= head.bytes;
      head.settle(answer);
    }
    this.logger.log({
      msg: 'the database is back: held command records written',
      records: this.heldSinceAway,
    });
    for (const listener of this.caughtUpListeners) listener();
  }
}
