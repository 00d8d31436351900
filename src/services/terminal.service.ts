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
      await this.runs.createNext({
        labSessionId,
        userId: user.id,
        command: preview(command),
        status: 'rejected',
        error: verdict.message,
      });
      throw new CommandRejectedError('invalid_line', verdict.message);
    }
    await this.checkRate(user.id);
    try {
      const run = await this.runs.createNext({
        labSessionId,
        userId: user.id,
        command: verdict.line,
        status: 'queued',
      });
      await this.mailbox.post(labSessionId, run.seq, run.id);
      await this.jobs.queue({ name: JobName.CommandRun, data: { labSessionId, runId: run.id } });
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

  private async owned(user: AuthUser, labSessionId: string) {
    try {
      return await this.sessions.requireOwner(user, labSessionId);
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
