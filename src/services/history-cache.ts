import { SessionHistory } from './session-history';

/**
 * The graders' histories of recently graded sessions, bounded by their total size as well as by their number.
 * A history holds every finished command of its session with its output, so a class that types for hours
 * would otherwise grow a worker without end. Past the bound the least recently graded sessions are dropped;
 * such a session's next grading reads its history again from the command records (SessionHistory reads
 * incrementally, so only that one read is whole).
 */
export class HistoryCache {
  private readonly histories = new Map<string, SessionHistory>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxSessions: number,
  ) {}

  /** The session's history (a new, empty one when none is kept), taken out until `put` returns it. */
  take(labSessionId: string): SessionHistory {
    const kept = this.histories.get(labSessionId);
    if (!kept) return new SessionHistory();
    this.histories.delete(labSessionId);
    this.bytes -= kept.bytes;
    return kept;
  }

  /** Keeps the history as the most recently used, then drops the least recently used past either bound. */
  put(labSessionId: string, history: SessionHistory): void {
    const earlier = this.histories.get(labSessionId);
    if (earlier) {
      this.histories.delete(labSessionId);
      this.bytes -= earlier.bytes;
    }
    this.histories.set(labSessionId, history);
    this.bytes += history.bytes;
    while (
      this.histories.size > 1 &&
      (this.bytes > this.maxBytes || this.histories.size > this.maxSessions)
    ) {
      const [oldest, dropped] = this.histories.entries().next().value as [string, SessionHistory];
      this.histories.delete(oldest);
      this.bytes -= dropped.bytes;
    }
  }

  get size(): { sessions: number; bytes: number } {
    return { sessions: this.histories.size, bytes: this.bytes };
  }
}
