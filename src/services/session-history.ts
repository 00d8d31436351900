import type { RunEffects } from '../clusters/cluster-driver';
import type { HistoryEntry } from '../labs/evaluation/context';
import type { CommandState, RunKind } from '../shared/events';
import type { TouchedObject } from '../engine/kubectl/effects';
import { SeqList } from './seq-list';

/** A command record as the grader reads it. */
export interface HistoryRow {
  seq: number;
  command: string;
  exitCode: number | null;
  output: string;
  status: CommandState;
  /** Absent in older callers: taken as foreground. */
  kind?: RunKind;
  /** What the command did as the driver recorded it; null for drivers that cannot tell and older records. */
  effects?: RunEffects | null;
}

/** Statuses whose commands the lab's history checks see. */
const GRADED: ReadonlySet<CommandState> = new Set(['completed', 'timed_out', 'cancelled']);
/** Statuses of runs that have not ended yet: read again until they have. */
const OPEN: ReadonlySet<CommandState> = new Set(['queued', 'running']);

/**
 * A session's commands in sequence order as the checks see them, kept between gradings and read
 * incrementally. Foreground commands end in sequence order, but a background job ends whenever it stops,
 * after commands numbered later: so besides the rows after the highest number read, each read asks again
 * for the runs that were still open. A background job that is running is in the history already (as
 * running, without an exit code: `kubectl port-forward ... &` is graded while it forwards), and is replaced
 * by its ended record once it has one; other open runs enter when they end, each at its place in the order.
 */
export class SessionHistory {
  /** The highest sequence number read so far, ended or not. */
  lastSeq = 0;
  readonly entries: HistoryEntry[] = [];
  /** About what the entries hold in memory (their texts and a fixed overhead each), for HistoryCache's bound. */
  bytes = 0;
  /**
   * How many times an entry was placed before others, replaced or removed: while it stays the same, the history
   * has only grown at its end since (step reuse, HistoryMark).
   */
  rewrites = 0;
  /** The run number of each entry (same index as entries). */
  private readonly seqs = new SeqList();
  /**
   * What the entries of runs read while running added to `bytes`: only those are replaced (by their ended record)
   * or removed, so only theirs is taken off again.
   */
  private readonly runningSizes = new Map<number, number>();
  private readonly open = new Set<number>();
  /**
   * Texts of recent entries: a command or output equal to one of them is kept as that same string. Students type
   * the same few commands again and again, and `kubectl get pods` prints the same table until something changes,
   * but every row read from the database is a string of its own.
   */
  private recentTexts = new Map<string, string>();
  /**
   * The latest entry of each recent command: an entry equal to it in every field is kept as that same object. Three
   * commands in four of a class re-read something unchanged (`kubectl get pods` printing the same table), and over
   * a long session the entry objects, not their texts, became most of what a history holds. Entries are never
   * changed once placed, so one object can stand at several places.
   */
  private recentEntries = new Map<string, HistoryEntry>();
  /** Recent lists of touched objects by their text, shared the same way (a command repeated with other arguments). */
  private recentTouched = new Map<string, TouchedObject[]>();

  /** Runs read while they were still open, to be read again. */
  openSeqs(): number[] {
    return [...this.open];
  }

  add(rows: readonly HistoryRow[]): void {
    for (const row of rows) {
      this.open.delete(row.seq);
      if (row.seq > this.lastSeq) this.lastSeq = row.seq;
      if (OPEN.has(row.status)) {
        this.open.add(row.seq);
        if (row.status === 'running' && row.kind === 'background') this.put(row, true);
      } else if (GRADED.has(row.status)) this.put(row, false);
      else this.drop(row.seq);
    }
  }

  /** Inserts the row's entry at its place, replacing the entry of the same run read earlier. */
  private put(row: HistoryRow, running: boolean): void {
    let at = this.seqs.length;
    while (at > 0 && this.seqs.at(at - 1) > row.seq) at--;
    const { entry, size } = this.keep(historyEntryOf(row, running));
    this.bytes += size;
    const replaces = at > 0 && this.seqs.at(at - 1) === row.seq;
    if (at < this.seqs.length || replaces) this.rewrites++;
    if (replaces) this.forgetSize(row.seq);
    if (running) this.runningSizes.set(row.seq, size);
    if (replaces) {
      this.entries[at - 1] = entry;
      return;
    }
    this.seqs.insert(at, row.seq);
    if (at === this.entries.length) this.entries.push(entry);
    else this.entries.splice(at, 0, entry);
  }

  private forgetSize(seq: number): void {
    this.bytes -= this.runningSizes.get(seq) ?? 0;
    this.runningSizes.delete(seq);
  }

  /** The object to keep for `entry` (a recent equal one, or `entry` with its parts shared) and what it adds in memory. */
  private keep(entry: HistoryEntry): { entry: HistoryEntry; size: number } {
    const command = this.shared(entry.command);
    entry.command = command.text;
    let size = SLOT_BYTES + command.bytes;
    if (entry.output !== undefined) {
      const output = this.shared(entry.output);
      entry.output = output.text;
      size += output.bytes;
    }
    if (entry.touched) {
      const touched = this.sharedTouched(entry.touched);
      entry.touched = touched.list;
      size += touched.bytes;
    }
    const recent = this.recentEntries.get(entry.command);
    if (recent && sameEntry(recent, entry)) return { entry: recent, size };
    if (this.recentEntries.size >= RECENT_TEXTS) this.recentEntries = new Map();
    this.recentEntries.set(entry.command, entry);
    return { entry, size: size + ENTRY_BYTES };
  }

  private sharedTouched(list: TouchedObject[]): { list: TouchedObject[]; bytes: number } {
    if (list.length === 0) return { list: NOTHING_TOUCHED, bytes: 0 };
    const key = JSON.stringify(list);
    const known = this.recentTouched.get(key);
    if (known) return { list: known, bytes: 0 };
    if (this.recentTouched.size >= RECENT_TEXTS) this.recentTouched = new Map();
    this.recentTouched.set(key, list);
    return { list, bytes: TOUCHED_BYTES * list.length };
  }

  /** The string to keep for `text`, and what it costs in memory: nothing more when a recent entry holds it. */
  private shared(text: string): { text: string; bytes: number } {
    const known = this.recentTexts.get(text);
    if (known !== undefined) return { text: known, bytes: 0 };
    if (this.recentTexts.size >= RECENT_TEXTS) this.recentTexts = new Map();
    this.recentTexts.set(text, text);
    return { text, bytes: 2 * text.length };
  }

  /** A run seen running that ended in a state the checks do not see (interrupted): it leaves the history. */
  private drop(seq: number): void {
    const at = this.seqs.lastIndexOf(seq);
    if (at < 0) return;
    this.forgetSize(seq);
    this.rewrites++;
    this.seqs.removeAt(at);
    this.entries.splice(at, 1);
  }
}

/** What an entry object and its fields cost V8, about; its texts count two bytes a character (when not shared). */
const ENTRY_BYTES = 100;
/** What a place in the history costs whatever its entry: the slot of the entry and its number. */
const SLOT_BYTES = 12;
/** The touched list of the many commands that touch nothing. */
const NOTHING_TOUCHED = Object.freeze([]) as unknown as TouchedObject[];

/** Whether two entries (their texts already shared) say the same in every field. */
function sameEntry(a: HistoryEntry, b: HistoryEntry): boolean {
  return (
    a.command === b.command &&
    a.exitCode === b.exitCode &&
    a.output === b.output &&
    a.contextNamespace === b.contextNamespace &&
    a.namespace === b.namespace &&
    a.touched === b.touched &&
    a.running === b.running
  );
}
/** What each object an entry touched costs. */
const TOUCHED_BYTES = 80;
/** How many distinct recent texts a history looks among for one to share. */
const RECENT_TEXTS = 64;

/**
 * The grader's entry of a record: the recorded namespaces and objects when the driver gave them. A line from the
 * student's own kubectl (effects.origin) has no output the platform saw, so output conditions never match it, and no
 * terminal context namespace: the terminal's context is left as the terminal's own lines set it.
 */
export function historyEntryOf(row: HistoryRow, running = false): HistoryEntry {
  const own = row.effects?.origin !== undefined;
  const effects = row.effects;
  // Every field set at once, absent ones undefined: one shape for all entries, with no property store of its own.
  const entry: HistoryEntry = {
    command: row.command,
    exitCode: running ? null : row.exitCode,
    output: own ? undefined : row.output,
    contextNamespace: effects && !own ? effects.contextNamespace : undefined,
    namespace: effects?.namespace,
    touched: effects ? effects.touched : undefined,
    running: running ? true : undefined,
  };
  return entry;
}

/** The client of a run that came through the session's Kubernetes API (RunEffects.origin); undefined for the terminal's. */
export function ownClientOf(effects: unknown): string | undefined {
  if (typeof effects !== 'object' || effects === null) return undefined;
  const origin = (effects as { origin?: unknown }).origin;
  if (typeof origin !== 'object' || origin === null) return undefined;
  const client = (origin as { client?: unknown }).client;
  return typeof client === 'string' ? client : undefined;
}
