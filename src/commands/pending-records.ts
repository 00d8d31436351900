/**
 * Per lab session, the queued records this process has numbered but not yet written. A session's
 * counter that Redis lost is seeded from the database's last number; waiting for these first keeps
 * that number from being one a record still on its way already holds.
 */
export class PendingRecords {
  private readonly sessions = new Map<string, Map<string, { written: Promise<void>; done: () => void }>>();

  /** Marks a run as numbered and not yet written. */
  begin(labSessionId: string, runId: string): void {
    let runs = this.sessions.get(labSessionId);
    if (!runs) {
      runs = new Map();
      this.sessions.set(labSessionId, runs);
    }
    let done!: () => void;
    const written = new Promise<void>((resolve) => (done = resolve));
    runs.set(runId, { written, done });
  }

  /** The run's record was written, or will never be: either way nobody needs to wait for it. */
  end(labSessionId: string, runId: string): void {
    const runs = this.sessions.get(labSessionId);
    const pending = runs?.get(runId);
    if (!runs || !pending) return;
    pending.done();
    runs.delete(runId);
    if (runs.size === 0) this.sessions.delete(labSessionId);
  }

  /** Resolves once every run of the session marked so far has ended. */
  async settled(labSessionId: string): Promise<void> {
    const runs = this.sessions.get(labSessionId);
    if (runs) await Promise.all([...runs.values()].map((pending) => pending.written));
  }
}
