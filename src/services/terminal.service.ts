import { HttpException, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { JobName } from '../jobs/job.types';
import { CommandRun, CommandRunRepository } from '../repositories/command-run.repository';
import { EventRepository } from '../repositories/event.repository';
import { JobRepository } from '../repositories/job.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { SessionMailboxRepository } from '../repositories/session-mailbox.repository';
import { CommandAccepted, HistoryEntry, RejectionCode, SessionSnapshot, sessionRoom } from '../shared/events';
import type { AuthUser } from './auth.service';
import { ClusterService } from './cluster.service';
import { checkCommandLine } from './command-line.policy';
import { LabSessionService } from './lab-session.service';

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
  };
}

/** The API side of the terminal: accepts command lines into a session's ordered queue, cancels, replays. */
@Injectable()
export class TerminalService {
  private readonly owners = new Map<string, string>();
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: LabSessionService,
    private readonly clusters: ClusterService,
    private readonly runs: CommandRunRepository,
    private readonly mailbox: SessionMailboxRepository,
    private readonly jobs: JobRepository,
    private readonly redis: RedisRepository,
    private readonly events: EventRepository,
  ) {}

  async submit(user: AuthUser, labSessionId: string, command: unknown): Promise<CommandAccepted> {
    await this.owned(user, labSessionId);
    const verdict = checkCommandLine(command, this.config.commands.maxLineBytes);
    if (!verdict.ok) {
      await this.record(labSessionId, user.id, preview(command), 'rejected', verdict.message).catch(
        () => undefined,
      );
      throw new CommandRejectedError('invalid_line', verdict.message);
    }
    await this.checkRate(user.id);
    try {
      const run = await this.inOrder(labSessionId, async () => {
        const recorded = await this.record(labSessionId, user.id, verdict.line, 'queued');
        await this.mailbox.post(labSessionId, recorded.seq, {
          runId: recorded.id,
          command: recorded.command,
          userId: user.id,
        });
        return recorded;
      });
      await this.jobs.queue(
        { name: JobName.CommandRun, data: { labSessionId, runId: run.id } },
        await this.clusters.hostOf(labSessionId),
      );
      const accepted: CommandAccepted = {
        labSessionId,
        runId: run.id,
        seq: run.seq,
        command: run.command,
        queuedAt: run.queuedAt.toISOString(),
      };
      this.events.emit(sessionRoom(labSessionId), 'command.accepted', accepted);
      return accepted;
    } catch (error) {
      if (error instanceof HttpException) throw new CommandRejectedError('unavailable', error.message);
      throw new CommandRejectedError(
        'unavailable',
        'The terminal service is briefly unavailable; your command was not run. Try again in a moment.',
      );
    }
  }

  /** Ctrl-C: a queued command is withdrawn; a running one is told to stop wherever it runs. */
  async cancel(user: AuthUser, labSessionId: string, runId?: string): Promise<number> {
    await this.owned(user, labSessionId);
    const open = (await this.runs.listOpenForSession(labSessionId)).filter(
      (run) => !runId || run.id === runId,
    );
    let cancelled = 0;
    for (const run of open) {
      if (run.status === 'queued' && (await this.mailbox.withdraw(labSessionId, run.id))) {
        if (await this.runs.endIfOpen(run.id, 'cancelled', 130, 'cancelled before it started')) {
          this.events.emit(sessionRoom(labSessionId), 'command.exit', {
            labSessionId,
            runId: run.id,
            exitCode: 130,
            status: 'cancelled',
            durationMs: 0,
            truncated: false,
            note: '^C',
          });
          cancelled++;
        }
      } else {
        await this.mailbox.requestCancel(run.id);
        cancelled++;
      }
    }
    return cancelled;
  }

  async snapshot(user: AuthUser, labSessionId: string): Promise<SessionSnapshot> {
    const { session, access } = await this.sessions.access(user, labSessionId);
    const history = await this.runs.recent(labSessionId, HISTORY_ON_JOIN);
    return {
      labSessionId,
      history: history.map(toHistoryEntry),
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
   * Persists the command under the session's next sequence number. The counter lives in Redis; if
   * Redis lost it (a restart), the number collides with the database's and is moved past the last one.
   */
  private async record(
    labSessionId: string,
    userId: string,
    command: string,
    status: 'queued' | 'rejected',
    error?: string,
  ) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const seq = await this.mailbox.nextSeq(labSessionId);
      const run = await this.runs.create({ labSessionId, userId, seq, command, status, error });
      if (run) return run;
      await this.mailbox.raiseSeq(labSessionId, await this.runs.maxSeq(labSessionId));
    }
    throw new Error(`could not allocate a sequence number in session ${labSessionId}`);
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

  private async checkRate(userId: string): Promise<void> {
    let hit: { count: number; resetSeconds: number };
    try {
      hit = await this.redis.hit(`${this.config.redisPrefix}:rate:commands:${userId}`, 60);
    } catch {
      throw new CommandRejectedError(
        'unavailable',
        'The terminal service is briefly unavailable; try again in a moment.',
      );
    }
    if (hit.count > this.config.commands.ratePerMinute) {
      throw new CommandRejectedError(
        'rate_limited',
        `Too many commands: at most ${this.config.commands.ratePerMinute} a minute. Wait ${hit.resetSeconds} s.`,
        hit.resetSeconds,
      );
    }
  }
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
