import type { HistoryEntry } from '../labs/evaluation/context';
import type { CommandState } from '../shared/events';

/** A command record as the grader reads it. */
export interface HistoryRow {
  seq: number;
  command: string;
  exitCode: number | null;
  output: string;
  status: CommandState;
}

/** Statuses whose commands the lab's history checks see. */
const GRADED: ReadonlySet<CommandState> = new Set(['completed', 'timed_out', 'cancelled']);
/** Statuses of runs that have not ended yet: read again until they have. */
const OPEN: ReadonlySet<CommandState> = new Set(['queued', 'running']);

/**
 * A session's finished commands in sequence order, kept between gradings and read incrementally.
 * Foreground commands end in sequence order, but a background job ends whenever it stops, after
 * commands numbered later: so besides the rows after the highest number read, each read asks again
 * for the runs that were still open, and an ended one is inserted at its place in the order.
 */
export class SessionHistory {
  /** The highest sequence number read so far, ended or not. */
  lastSeq = 0;
  readonly entries: HistoryEntry[] = [];
  private readonly seqs: number[] = [];
  private readonly open = new Set<number>();

  /** Runs read while they were still open, to be read again. */
  openSeqs(): number[] {
    return [...this.open];
  }

  add(rows: readonly HistoryRow[]): void {
    for (const row of rows) {
      this.open.delete(row.seq);
      if (row.seq > this.lastSeq) this.lastSeq = row.seq;
      if (OPEN.has(row.status)) this.open.add(row.seq);
      else if (GRADED.has(row.status)) this.insert(row);
    }
  }

  private insert(row: HistoryRow): void {
    let at = this.seqs.length;
    while (at > 0 && this.seqs[at - 1] > row.seq) at--;
    if (at > 0 && this.seqs[at - 1] === row.seq) return;
    this.seqs.splice(at, 0, row.seq);
    this.entries.splice(at, 0, { command: row.command, exitCode: row.exitCode, output: row.output });
  }
}
