import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { CommandRecordsRepository, DueSession } from '../repositories/command-records.repository';

/**
 * What a trimmed run keeps of its output: the opening characters, which hold the whole answer of most
 * commands (`get`, `apply`, `scale`, `expose`, `rollout undo`); `describe`, `-o yaml` and logs lose their tail.
 */
export const KEPT_OUTPUT_CHARACTERS = 1024;
/** Said after the excerpt, around the output's original length in characters. */
export const TRIM_NOTE: [string, string] = [
  '\n[retention: output trimmed to its first 1024 of ',
  " characters; the course's command-records export holds it whole]\n",
];

/** Seq numbers one batch covers: one short UPDATE along the (lab_session_id, seq) index. */
const BATCH_SEQS = 250;
/** Batches one step may run, so a step never holds up the housekeeping sweep for long. */
const BATCHES_PER_STEP = 4;
/** How often to look for sessions that became due when none are left to trim. */
const SCAN_INTERVAL_MS = 10 * 60_000;
const SESSIONS_PER_SCAN = 100;
const DAY_MS = 24 * 3600_000;

/** The output a trimmed run keeps (what TRIM_RANGE writes in SQL, for tests and the replay's reader). */
export function trimmedOutput(output: string): string {
  if (output.length <= KEPT_OUTPUT_CHARACTERS) return output;
  return output.slice(0, KEPT_OUTPUT_CHARACTERS) + TRIM_NOTE[0] + output.length + TRIM_NOTE[1];
}

/**
 * Retention of command records (RECORDS_RETENTION_DAYS): once a lab session has been idle that long, the
 * outputs of its ended runs are trimmed to their first KEPT_OUTPUT_CHARACTERS characters plus a note. Every
 * other part of the record stays (command, seq, kind, status, exit code, times, home version, effects), and
 * so do step results, grading events and audit events: the gradebook is unchanged, and so is the replay
 * except for the tails of long outputs. A session is trimmed only when its course was exported whole after
 * the session's last activity, and only runs that had ended when that export began, unless
 * RECORDS_TRIM_WITHOUT_EXPORT is set. Housekeeping calls `step` on every sweep; each call does at most a few
 * short batches, so no statement holds many row locks or runs long.
 */
@Injectable()
export class RecordRetentionService {
  private readonly logger = new Logger('RecordRetention');
  private due: DueSession[] = [];
  /** Where the first due session's trimming has got to. */
  private progress: { afterSeq: number; lastSeq: number; trimmed: number } | null = null;
  private lastScan = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly records: CommandRecordsRepository,
  ) {}

  get enabled(): boolean {
    return this.config.records.retentionDays > 0;
  }

  /** One bounded piece of work; returns how many runs it trimmed. */
  async step(now = new Date()): Promise<number> {
    if (!this.enabled) return 0;
    if (this.due.length === 0 && now.getTime() - this.lastScan >= SCAN_INTERVAL_MS) await this.scan(now);
    return this.trimSome(now);
  }

  /** Runs steps until nothing is due (tests, and an operator's one-off catch-up); returns the runs trimmed. */
  async drain(now = new Date()): Promise<number> {
    if (!this.enabled) return 0;
    let total = 0;
    for (;;) {
      if (this.due.length === 0) await this.scan(now);
      if (this.due.length === 0) return total;
      total += await this.trimSome(now);
    }
  }

  private async scan(now: Date): Promise<void> {
    this.lastScan = now.getTime();
    const idleBefore = new Date(now.getTime() - this.config.records.retentionDays * DAY_MS);
    this.due = await this.records.dueSessions(
      idleBefore,
      this.config.records.trimWithoutExport,
      SESSIONS_PER_SCAN,
    );
    // A full page means more are waiting: scan again as soon as these are done.
    if (this.due.length === SESSIONS_PER_SCAN) this.lastScan = 0;
  }

  private async trimSome(now: Date): Promise<number> {
    let trimmed = 0;
    for (let batch = 0; batch < BATCHES_PER_STEP && this.due.length > 0; batch++) {
      const session = this.due[0];
      this.progress ??= { afterSeq: 0, lastSeq: await this.records.maxSeq(session.id), trimmed: 0 };
      const throughSeq = this.progress.afterSeq + BATCH_SEQS;
      const count = await this.records.trimRange({
        labSessionId: session.id,
        afterSeq: this.progress.afterSeq,
        throughSeq,
        keep: KEPT_OUTPUT_CHARACTERS,
        note: TRIM_NOTE,
        at: now,
        endedBefore: session.exportedThrough,
      });
      trimmed += count;
      this.progress.trimmed += count;
      this.progress.afterSeq = throughSeq;
      if (throughSeq >= this.progress.lastSeq) {
        await this.records.markSessionTrimmed(session.id, now);
        this.logger.log({
          msg: 'session outputs trimmed',
          labSessionId: session.id,
          runs: this.progress.trimmed,
        });
        this.due.shift();
        this.progress = null;
      }
    }
    return trimmed;
  }
}
