/**
 * Gathers the writes asked for during one event-loop turn and sends them as one statement. Under load
 * many commands reach the same write in the same turn (their Redis or database replies arrive
 * together); one statement for them costs the database one parse, one commit and one round trip
 * instead of one each, and the process one socket write. A lone write waits for nothing but the end
 * of the turn, and is written by the single-row statement.
 */
export class StatementBatch<T, R = void> {
  private pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];

  /**
   * `one` writes a single item; `many` writes two or more in one statement and answers each one's
   * result, in order. When `many` fails, each item is written alone, so one bad row does not fail the
   * others and each caller gets its own outcome.
   */
  constructor(
    private readonly one: (item: T) => Promise<R>,
    private readonly many: (items: T[]) => Promise<R[]>,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.pending.push({ item, resolve, reject }) === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 1) {
      const results = await this.many(batch.map((entry) => entry.item)).catch(() => undefined);
      if (results) {
        batch.forEach((entry, index) => entry.resolve(results[index]));
        return;
      }
      // Each alone below: every caller learns its own outcome.
    }
    await Promise.all(batch.map((entry) => this.one(entry.item).then(entry.resolve, entry.reject)));
  }
}
