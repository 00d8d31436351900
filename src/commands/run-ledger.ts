import { Injectable, Logger } from '@nestjs/common';
import type { RunEffects } from '../clusters/cluster-driver';
import { CommandRunRepository, QueuedRun } from '../repositories/command-run.repository';
import { EventRepository } from '../repositories/event.repository';
import { SessionJobsRepository } from '../repositories/session-jobs.repository';
import { RunKind, sessionRoom } from '../shared/events';
import { heldEndKey, HeldRecords, HeldRecordsFullError } from './held-records';
import { jobNoticeOf } from './job-notices';
import { endStateOf, RunOutcome } from './outcomes';

/** A run being ended: who it is, and (when the caller has it) its identity, so its record is written whole. */
export interface EndingRun {
  id: string;
  labSessionId: string;
  kind: RunKind;
  /** With it the record is written whole (an upsert): it need not have landed yet. */
  identity?: QueuedRun;
  /**
   * The caller holds the run alone (it took it back from the mailbox before it ran): its exit is
   * announced even if the record cannot be written, since nobody else can end it.
   */
  exclusive?: boolean;
}

/** A run's whole record as the ledger writes it; its home version may still be on its way (RunBody). */
type EndResult = Omit<Parameters<CommandRunRepository['finish']>[1], 'homeVersion'> & {
  homeVersion: RunBody['homeVersion'];
};

/** What a run that ran leaves behind. */
export interface RunBody {
  clusterId: string | null;
  startedAt: Date | null;
  output: string;
  outputBytes: number;
  truncated: boolean;
  /**
   * The session's home version after the run, when known (replay shows the files as they were). A promise when
   * the home change is held while the database is away: it settles when that change lands, before this record.
   */
  homeVersion?: number | null | Promise<number | null>;
  /** What the run did, when the driver recorded it (grading reads it with the history). */
  effects?: RunEffects | null;
}

/**
 * The one place a run ends. Whoever ends it — the worker that ran it, Ctrl-C on a queued command,
 * the housekeeping after a worker died — calls `end` with a named outcome; the record's conditional
 * write decides which of several concurrent ends wins (in this process or another), and only the
 * winner removes a background job from the session's table and announces `command.exit`.
 * So every run is ended, and announced, exactly once.
 */
@Injectable()
export class RunLedger {
  private readonly logger = new Logger('RunLedger');
  /** Ends under way in this process: a second end of the same run waits for the first and loses. */
  private readonly ending = new Map<string, Promise<boolean>>();

  constructor(
    private readonly runs: CommandRunRepository,
    private readonly jobs: SessionJobsRepository,
    private readonly events: EventRepository,
    private readonly held: HeldRecords,
  ) {}

  /** Ends `run` with `outcome`; true when this call ended it (and announced it), false when it had ended. */
  end(run: EndingRun, outcome: RunOutcome, body?: RunBody): Promise<boolean> {
    const under = this.ending.get(run.id);
    if (under) return under.then(() => false);
    // Ended here while the database is away: its record waits among the held ones, and it has ended.
    if (this.held.holds(heldEndKey(run.id))) return Promise.resolve(false);
    const ended = this.settle(run, outcome, body).finally(() => this.ending.delete(run.id));
    this.ending.set(run.id, ended);
    return ended;
  }

  /** Records a line refused at admission under number `seq`; null when that number is taken. */
  recordRejected(input: {
    labSessionId: string;
    userId: string;
    seq: number;
    command: string;
    error: string;
  }) {
    return this.runs.create({ ...input, status: 'rejected' });
  }

  private async settle(run: EndingRun, outcome: RunOutcome, body?: RunBody): Promise<boolean> {
    const state = endStateOf(outcome);
    const finishedAt = new Date();
    const durationMs = body?.startedAt ? finishedAt.getTime() - body.startedAt.getTime() : 0;
    let ended: boolean;
    try {
      ended = run.identity
        ? await this.finish(run.identity, {
            clusterId: body?.clusterId ?? null,
            startedAt: body?.startedAt ?? null,
            status: state.status,
            exitCode: state.exitCode,
            output: body?.output ?? '',
            outputBytes: body?.outputBytes ?? 0,
            truncated: body?.truncated ?? false,
            finishedAt,
            durationMs,
            error: state.error,
            homeVersion: body?.homeVersion ?? null,
            effects: body?.effects ?? null,
          })
        : await this.runs.endIfOpen(run.id, state.status, state.exitCode, state.error ?? state.status);
    } catch (error) {
      if (!run.exclusive && !(error instanceof HeldRecordsFullError)) throw error;
      this.logger.warn({
        msg: 'run ended without its record',
        runId: run.id,
        error: error instanceof Error ? error.message : String(error),
      });
      ended = true;
    }
    if (!ended) return false;
    let jobNotice: string | undefined;
    if (run.kind === 'background') {
      const removed = await this.jobs.end(run.labSessionId, run.id).catch(() => null);
      if (removed) jobNotice = jobNoticeOf(removed.job, removed.table, outcome);
    }
    this.events.emit(sessionRoom(run.labSessionId), 'command.exit', {
      labSessionId: run.labSessionId,
      runId: run.id,
      exitCode: state.exitCode,
      status: state.status,
      durationMs,
      truncated: body?.truncated ?? false,
      note: state.note,
      kind: run.kind,
      jobNotice,
    });
    return true;
  }

  /**
   * Writes a run's whole record, or holds it while the database is away (HeldRecords). A held run
   * counts as ended here: the worker that ran it holds it alone (it took it from the mailbox), and
   * the other enders (Ctrl-C on a queued command, housekeeping) need the database too. So its exit is
   * announced at once; if housekeeping ends it first once the database is back, the held write
   * changes nothing.
   */
  private async finish(identity: QueuedRun, result: EndResult) {
    const bytes = result.outputBytes + Buffer.byteLength(identity.command) + 512;
    const outcome = await this.held.write(heldEndKey(identity.id), bytes, async () =>
      this.runs.finish(identity, { ...result, homeVersion: await result.homeVersion }),
    );
    return outcome.held || outcome.value;
  }
}
