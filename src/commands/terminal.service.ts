import { HttpException, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { isDatabaseUnavailable } from '../infra/database/database-errors';
import { JobName } from '../jobs/job.types';
import { CommandRun, CommandRunRepository, QueuedRun } from '../repositories/command-run.repository';
import { EditorBuffersRepository } from '../repositories/editor-buffers.repository';
import { EventRepository } from '../repositories/event.repository';
import { SessionRouter } from '../placement/session-router.service';
import { RunSignalsRepository } from '../repositories/run-signals.repository';
import { SessionJobsRepository } from '../repositories/session-jobs.repository';
import { Admission, SessionMailboxRepository } from '../repositories/session-mailbox.repository';
import { CommandAccepted, HistoryEntry, RejectionCode, SessionSnapshot, sessionRoom } from '../shared/events';
import { RunLedger } from './run-ledger';
import { planRun } from './run-kinds';
import type { AuthUser } from '../services/auth.service';
import { ClusterLookupService } from '../services/cluster-lookup.service';
import { checkCommandLine } from './command-line.policy';
import { LabSessionService } from '../services/lab-session.service';
import { PendingRecords } from './pending-records';
import { ownClientOf } from '../services/session-history';
import { AdmissionService } from '../placement/admission.service';
import { CommandRefsRepository } from '../repositories/command-refs.repository';

export class CommandRejectedError extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const HISTORY_ON_JOIN = 200;
const OWNER_CACHE_SIZE = 20_000;
/** A repeat of a line whose first submit is still on its way waits this long for its acceptance. */
const IN_FLIGHT_REPEAT_WAIT_MS = 3000;
const IN_FLIGHT_REPEAT_POLL_MS = 100;
/** How much of a refused line is kept in history: enough to recognise it, never the whole payload. */
const REJECTED_PREVIEW = 200;

export function toHistoryEntry(run: CommandRun): HistoryEntry {
  return {
    runId: run.id,
    seq: run.seq,
    command: run.command,
    status: run.status,
    exitCode: run.exitCode,
    output: run.output,
    truncated: run.truncated,
    queuedAt: run.queuedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    kind: run.kind,
    job: run.jobNumber !== null && run.pid !== null ? { number: run.jobNumber, pid: run.pid } : undefined,
    ownClient: ownClientOf(run.effects),
  };
}

/** The API side of the terminal: accepts command lines into a session's ordered queue, cancels, replays. */
@Injectable()
export class TerminalService {
  private readonly owners = new Map<string, string>();
  private readonly tails = new Map<string, Promise<void>>();
  private readonly unwritten = new PendingRecords();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: LabSessionService,
    private readonly clusters: ClusterLookupService,
    private readonly runs: CommandRunRepository,
    private readonly mailbox: SessionMailboxRepository,
    private readonly router: SessionRouter,
    private readonly sessionJobs: SessionJobsRepository,
    private readonly signals: RunSignalsRepository,
    private readonly ledger: RunLedger,
    private readonly events: EventRepository,
    private readonly buffers: EditorBuffersRepository,
    private readonly admission: AdmissionService,
    private readonly refs: CommandRefsRepository,
  ) {}

  /**
   * `clientRef` makes a retry idempotent: a second submit of the same reference in the session (within
   * COMMAND_REF_TTL_MS) answers the first one's acceptance instead of running the line again.
   */
  async submit(
    user: AuthUser,
    labSessionId: string,
    command: unknown,
    clientRef?: string,
  ): Promise<CommandAccepted> {
    await this.owned(user, labSessionId);
    const verdict = checkCommandLine(command, this.config.commands);
    if (!verdict.ok) {
      await this.recordRejected(labSessionId, user.id, preview(command), verdict.message).catch(
        () => undefined,
      );
      throw new CommandRejectedError('invalid_line', verdict.message);
    }
    // Where the line's drain goes (the session's worker, or its cluster's Docker host), read meanwhile.
    const target = this.router.targetFor(JobName.CommandRun, labSessionId);
    target.catch(() => undefined);
    if (clientRef) {
      const repeated = await this.claimRef(labSessionId, clientRef);
      if (repeated) return repeated;
    }
    try {
      const accepted = await this.submitClaimed(user, labSessionId, verdict.line, target, clientRef);
      if (clientRef) void this.refs.remember(labSessionId, clientRef, accepted).catch(() => undefined);
      return accepted;
    } catch (error) {
      if (clientRef) void this.refs.release(labSessionId, clientRef).catch(() => undefined);
      throw error;
    }
  }

  /** Admission by load, then the line's number and its place in the mailbox, its record and its job. */
  private async submitClaimed(
    user: AuthUser,
    labSessionId: string,
    line: string,
    target: Promise<string | undefined>,
    clientRef: string | undefined,
  ): Promise<CommandAccepted> {
    // Judged on the commands queue the line's drain joins (its worker's or Docker host's, else the shared one), before
    // the mailbox: a refused line takes no number and leaves no trace but the refusal count.
    const load = await this.admission.check(await target.catch(() => undefined));
    if (!load.ok) {
      throw new CommandRejectedError(
        'unavailable',
        `The lab is busy (${load.reason}); your command was not run. Try again in ${load.retryAfterSeconds} s.`,
        load.retryAfterSeconds,
      );
    }
    const run: QueuedRun = {
      id: randomUUID(),
      labSessionId,
      userId: user.id,
      seq: 0,
      command: line,
      kind: planRun(line).kind,
      queuedAt: new Date(),
    };
    run.seq = await this.inOrder(labSessionId, () => this.admit(run));
    const recording = this.runs
      .recordQueued(run)
      .catch(unlessDatabaseAway)
      .finally(() => this.unwritten.end(labSessionId, run.id));
    const accepted: CommandAccepted = {
      labSessionId,
      runId: run.id,
      seq: run.seq,
      command: run.command,
      kind: run.kind,
      queuedAt: run.queuedAt.toISOString(),
      // Every client of the session sees it; the one that typed the line knows it by its reference.
      ...(clientRef === undefined ? {} : { clientRef }),
    };
    // Announced before its drain is queued, so every client sees it before the command starts.
    this.events.emit(sessionRoom(labSessionId), 'command.accepted', accepted);
    // The record (already on its way) and the job in parallel: the worker writes the whole record
    // when the command ends, whichever lands first. Both are settled before a failure is handled, so
    // a record still on its way cannot land after the command was ended and stay open.
    const [recorded, queued] = await Promise.allSettled([
      recording,
      this.router.queue({ name: JobName.CommandRun, data: { labSessionId, runId: run.id } }, target),
    ]);
    const failure = [recorded, queued].find(
      (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
    );
    if (!failure) return accepted;
    await this.abandon(run);
    if (failure.reason instanceof HttpException) {
      throw new CommandRejectedError('unavailable', failure.reason.message);
    }
    throw new CommandRejectedError(
      'unavailable',
      'The terminal service is briefly unavailable; your command was not run. Try again in a moment.',
    );
  }

  /**
   * Claims a line's client reference; a repeat answers the first submit's acceptance (waiting briefly
   * when that one is still on its way).
   */
  private async claimRef(labSessionId: string, clientRef: string): Promise<CommandAccepted | undefined> {
    const unavailable = () =>
      new CommandRejectedError(
        'unavailable',
        'The terminal service is briefly unavailable; your command was not run. Try again in a moment.',
        1,
      );
    for (let waited = 0; ; waited += IN_FLIGHT_REPEAT_POLL_MS) {
      const claim = await this.refs.claim(labSessionId, clientRef).catch(() => {
        throw unavailable();
      });
      if (claim.claimed) return undefined;
      if ('accepted' in claim) return claim.accepted;
      if (waited >= IN_FLIGHT_REPEAT_WAIT_MS) throw unavailable();
      await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_REPEAT_POLL_MS));
    }
  }

  /** Ctrl-C: a queued command is withdrawn; a running one is told to stop wherever it runs. */
  async cancel(user: AuthUser, labSessionId: string, runId?: string): Promise<number> {
    await this.owned(user, labSessionId);
    const open = (await this.runs.listOpenForSession(labSessionId)).filter(
      // Ctrl-C reaches the foreground; a background job is stopped with kill, or by its run id.
      (run) => (runId ? run.id === runId : run.kind !== 'background'),
    );
    let cancelled = 0;
    for (const run of open) {
      if (run.status === 'queued' && (await this.mailbox.withdraw(labSessionId, run.id))) {
        const ending = { id: run.id, labSessionId, kind: run.kind, exclusive: true };
        if (await this.ledger.end(ending, { kind: 'cancelled' })) cancelled++;
      } else {
        await this.signals.send({ type: 'stop', runId: run.id, reason: 'cancel' });
        cancelled++;
      }
    }
    return cancelled;
  }

  /**
   * Typed input for the session's interactive run: whole lines, or Ctrl-D (`eof`). It travels to the
   * worker running the command; input for a run that is not running any more is dropped there.
   */
  async input(
    user: AuthUser,
    request: { labSessionId: string; runId: string; data?: string; eof?: boolean; edited?: string },
  ): Promise<void> {
    await this.owned(user, request.labSessionId);
    const data = request.data ?? '';
    if (Buffer.byteLength(data) > this.config.commands.maxBlockBytes) {
      throw new CommandRejectedError(
        'invalid_line',
        `Too much input at once: the limit is ${this.config.commands.maxBlockBytes} bytes.`,
      );
    }
    if (data.includes('\u0000') || request.edited?.includes('\u0000'))
      throw new CommandRejectedError('invalid_line', 'The input contains a NUL byte.');
    const { edited } = request;
    if (edited !== undefined && Buffer.byteLength(edited) > this.config.commands.maxBlockBytes)
      throw new CommandRejectedError(
        'invalid_line',
        `Too much text to save: the limit is ${this.config.commands.maxBlockBytes} bytes.`,
      );
    try {
      await this.signals.send({ type: 'input', runId: request.runId, data, eof: request.eof, edited });
    } catch {
      throw new CommandRejectedError(
        'unavailable',
        'The terminal service is briefly unavailable; type it again.',
      );
    }
  }

  async snapshot(user: AuthUser, labSessionId: string): Promise<SessionSnapshot> {
    const { session, access } = await this.sessions.access(user, labSessionId);
    const [history, jobs] = await Promise.all([
      this.runs.recent(labSessionId, HISTORY_ON_JOIN),
      this.sessionJobs.list(labSessionId).catch(() => []),
    ]);
    const waiting = history.find((run) => run.kind === 'interactive' && run.status === 'running');
    // A buffer that cannot be read now is missing from this join only: the next one shows it.
    const editing = waiting ? await this.buffers.find(waiting.id).catch(() => null) : null;
    return {
      labSessionId,
      history: history.map(toHistoryEntry),
      jobs: jobs.map((job) => ({
        runId: job.runId,
        number: job.number,
        pid: job.pid,
        command: job.command,
        startedAt: job.startedAt,
      })),
      waitingForInput: waiting
        ? { runId: waiting.id, inputPrompt: planRun(waiting.command).inputPrompt ?? '' }
        : null,
      editing,
      cluster: await this.clusters.statusEvent(session),
      readOnly: access !== 'owner',
    };
  }

  /**
   * Numbering and posting of one session's commands happen one at a time (per API instance), so a
   * command never reaches the mailbox after one that was numbered later.
   */
  private async inOrder<T>(labSessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(labSessionId) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(labSessionId, tail);
    void tail.then(() => {
      if (this.tails.get(labSessionId) === tail) this.tails.delete(labSessionId);
    });
    return result;
  }

  /**
   * Persists a refused line under the session's next sequence number. If Redis lost the counter,
   * the number collides with the database's and the counter is moved past the last one.
   */
  private async recordRejected(labSessionId: string, userId: string, command: string, error: string) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const seq = await this.mailbox.nextSeq(labSessionId);
      const run = await this.ledger.recordRejected({ labSessionId, userId, seq, command, error });
      if (run) return run;
      await this.mailbox.seedSeq(labSessionId, await this.runs.maxSeq(labSessionId));
    }
    throw new Error(`could not allocate a sequence number in session ${labSessionId}`);
  }

  /**
   * A command accepted but not queued (Redis or the database failed half-way) is taken back from
   * the mailbox and ended, so it neither runs later nor stays open. If a worker took it meanwhile,
   * it runs and ends as usual.
   */
  private async abandon(run: QueuedRun): Promise<void> {
    const withdrawn = await this.mailbox.withdraw(run.labSessionId, run.id).catch(() => false);
    if (!withdrawn) return;
    await this.ledger
      .end(
        { id: run.id, labSessionId: run.labSessionId, kind: run.kind, identity: run, exclusive: true },
        { kind: 'not_run', message: 'the terminal service was briefly unavailable. Try again in a moment.' },
      )
      .catch(() => undefined);
  }

  /** Sessions never change hands, so a confirmed owner is remembered (bounded) to spare a query per command. */
  private async owned(user: AuthUser, labSessionId: string): Promise<void> {
    if (this.owners.get(labSessionId) === user.id) return;
    try {
      await this.sessions.requireOwner(user, labSessionId);
      if (this.owners.size >= OWNER_CACHE_SIZE) this.owners.delete(this.owners.keys().next().value as string);
      this.owners.set(labSessionId, user.id);
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 403) {
        throw new CommandRejectedError('forbidden', error.message);
      }
      if (error instanceof HttpException) throw new CommandRejectedError('not_found', error.message);
      throw error;
    }
  }

  /**
   * The rate check, the sequence number and the post to the mailbox, in one round trip (two when
   * the session's counter must first be seeded from the database).
   */
  private async admit(run: QueuedRun): Promise<number> {
    const rate = {
      key: `${this.config.redisPrefix}:rate:commands:${run.userId}`,
      limit: this.config.commands.ratePerMinute,
      windowSeconds: 60,
    };
    const entry = {
      runId: run.id,
      command: run.command,
      userId: run.userId,
      queuedAt: run.queuedAt.toISOString(),
    };
    let admitted: Admission;
    try {
      admitted = await this.mailbox.admit(run.labSessionId, rate, entry);
      if ('unnumbered' in admitted) {
        // Commands this instance numbered just before the counter was lost may still be on their
        // way to the database; the last number is read once they have landed.
        await this.unwritten.settled(run.labSessionId);
        await this.mailbox.seedSeq(run.labSessionId, await this.runs.maxSeq(run.labSessionId));
        admitted = await this.mailbox.admit(run.labSessionId, rate, entry);
      }
    } catch {
      throw new CommandRejectedError(
        'unavailable',
        'The terminal service is briefly unavailable; your command was not run. Try again in a moment.',
      );
    }
    if ('seq' in admitted) {
      this.unwritten.begin(run.labSessionId, run.id);
      return admitted.seq;
    }
    if ('limited' in admitted) {
      throw new CommandRejectedError(
        'rate_limited',
        `Too many commands: at most ${this.config.commands.ratePerMinute} a minute. Wait ${admitted.resetSeconds} s.`,
        admitted.resetSeconds,
      );
    }
    throw new CommandRejectedError('unavailable', 'The terminal service could not number your command.');
  }
}

/**
 * A queued record the database cannot take now is not needed for the command to run: the worker
 * writes the whole record when the command ends, holding it until the database is back.
 */
function unlessDatabaseAway(error: unknown): void {
  if (!isDatabaseUnavailable(error)) throw error;
}

function preview(command: unknown): string {
  const text = typeof command === 'string' ? command : (JSON.stringify(command) ?? String(command));
  // PostgreSQL text cannot hold NUL; other controls are shown as \u escapes for the record.
  const printable = text.replace(
    /[\u0000-\u001f\u007f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return printable.length > REJECTED_PREVIEW ? `${printable.slice(0, REJECTED_PREVIEW)}…` : printable;
}
