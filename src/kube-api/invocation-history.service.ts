/**
 * The student's own kubectl in the session's history (issue 20). The listener reports each answered request of a
 * session's Kubernetes API (ApiRequestObserver); an InvocationTracker per session groups them into invocations, and
 * each finished invocation is recorded as a command run — its kubectl line as the server saw it, marked with its
 * origin (RunEffects.origin) — announced to the session's room like a terminal line (so the instructor's live view
 * and a reload show it), and graded as a terminal line is.
 */
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { RunEffects } from '../clusters/cluster-driver';
import { CommandRunRepository, type QueuedRun } from '../repositories/command-run.repository';
import { EventRepository } from '../repositories/event.repository';
import { LabSessionRepository } from '../repositories/lab-session.repository';
import { SessionMailboxRepository } from '../repositories/session-mailbox.repository';
import { GradingService } from '../services/grading.service';
import { historyEntryOf } from '../services/session-history';
import { sessionRoom } from '../shared/events';
import type { ApiRequestObserver, ObservedApiRequest } from './api-request-observer';
import { InvocationTracker, type ApiRequestRecord, type Invocation, type RequestKey } from './invocations';

/** How often quiet invocations are looked for (a line is recorded at most this long after its gap). */
const FLUSH_EVERY_MS = 500;
/** A terminal line's limit (README: at most 4 KiB); a rebuilt line is cut there too. */
const MAX_LINE = 4096;
const SEQ_ATTEMPTS = 5;
const UNIQUE_VIOLATION = '23505';
const OWNERS_KEPT = 20_000;

/** Where an invocation is recorded: the session, its student. */
export interface InvocationTarget {
  labSessionId: string;
  userId: string;
}

@Injectable()
export class InvocationHistoryService implements ApiRequestObserver, OnModuleDestroy {
  private readonly logger = new Logger('OwnKubectlHistory');
  private readonly trackers = new Map<string, InvocationTracker>();
  private readonly owners = new Map<string, string>();
  /** The last read-only line graded per session: the same read again cannot change a grading. */
  private readonly lastRead = new Map<string, string>();
  /** Recording of each session's lines, one after the other, so they are numbered in the order they ran. */
  private readonly tails = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly runs: CommandRunRepository,
    private readonly mailbox: SessionMailboxRepository,
    private readonly sessions: LabSessionRepository,
    private readonly grading: GradingService,
    private readonly events: EventRepository,
  ) {}

  /**
   * A request of a session's API arrived (optional for the listener): until `observe` reports it answered, its
   * invocation stays open, so a write waiting behind terminal commands, a watch or `logs -f` is part of its line
   * rather than a late request. Every request reported here must be reported to `observe` too, refused or not.
   */
  started(labSessionId: string, request: RequestKey & { at: number }): void {
    this.recordAll(labSessionId, this.trackerOf(labSessionId).begin(request, request.at));
    this.schedule();
  }

  /** One answered request of a session's API (the listener calls this; it never throws). */
  observe(labSessionId: string, request: ObservedApiRequest & { summary?: object }): void {
    const record: ApiRequestRecord = { ...request };
    const tracker = this.trackerOf(labSessionId);
    this.recordAll(labSessionId, tracker.add(record));
    this.schedule();
  }

  /** Records what is still open (the process stops). */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const [labSessionId, tracker] of this.trackers) this.recordAll(labSessionId, tracker.flushAll());
    this.trackers.clear();
    await Promise.allSettled([...this.tails.values()]);
  }

  /** Records every invocation that has been quiet long enough now (the timer calls it; tests may). */
  flush(now = Date.now()): Promise<void> {
    let open = 0;
    for (const [labSessionId, tracker] of this.trackers) {
      this.recordAll(labSessionId, tracker.flush(now));
      open += tracker.openCount;
    }
    if (open === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    return Promise.allSettled([...this.tails.values()]).then(() => undefined);
  }

  /**
   * Records one finished invocation as a command run of the session: numbered after the session's other runs,
   * stored whole (status completed, its exit code, no output), announced, and graded as a terminal line is.
   */
  async record(target: InvocationTarget, invocation: Invocation): Promise<{ runId: string; seq: number }> {
    const { labSessionId, userId } = target;
    const command =
      invocation.line.length > MAX_LINE ? `${invocation.line.slice(0, MAX_LINE - 1)}…` : invocation.line;
    const effects: RunEffects = {
      ...invocation.effects,
      contextNamespace: '',
      origin: { client: invocation.client, requests: invocation.requests },
    };
    const startedAt = new Date(invocation.startedAt);
    const finishedAt = new Date(Math.max(invocation.endedAt, invocation.startedAt));
    for (let attempt = 0; attempt < SEQ_ATTEMPTS; attempt++) {
      const seq = await this.nextSeq(labSessionId);
      const run: QueuedRun = {
        id: randomUUID(),
        labSessionId,
        userId,
        seq,
        command,
        kind: 'foreground',
        queuedAt: startedAt,
      };
      try {
        await this.runs.finish(run, {
          clusterId: null,
          startedAt,
          status: 'completed',
          exitCode: invocation.exitCode,
          output: '',
          outputBytes: 0,
          truncated: false,
          finishedAt,
          durationMs: finishedAt.getTime() - startedAt.getTime(),
          effects,
        });
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        // Redis lost the session's counter (or never had it): move it past the last number used, as the terminal does.
        await this.mailbox.seedSeq(labSessionId, await this.runs.maxSeq(labSessionId));
        continue;
      }
      this.announce(run, invocation, effects);
      await this.gradeAfter(run, invocation, effects);
      return { runId: run.id, seq };
    }
    throw new Error(`could not allocate a sequence number in session ${labSessionId}`);
  }

  /**
   * The session's next number. A counter that starts at 1 is either a new session's or one Redis lost (its INCR
   * made it anew): then it is moved past the last number the database holds at once, before a terminal line is
   * numbered from it.
   */
  private async nextSeq(labSessionId: string): Promise<number> {
    const seq = await this.mailbox.nextSeq(labSessionId);
    if (seq !== 1) return seq;
    const last = await this.runs.maxSeq(labSessionId);
    if (last === 0) return seq;
    await this.mailbox.seedSeq(labSessionId, last);
    return this.mailbox.nextSeq(labSessionId);
  }

  /** The same events a terminal line sends, so watching instructors and reloaded terminals show the line. */
  private announce(run: QueuedRun, invocation: Invocation, effects: RunEffects): void {
    const room = sessionRoom(run.labSessionId);
    const ownClient = effects.origin?.client;
    this.events.emit(room, 'command.accepted', {
      labSessionId: run.labSessionId,
      runId: run.id,
      seq: run.seq,
      command: run.command,
      kind: run.kind,
      queuedAt: run.queuedAt.toISOString(),
      ownClient,
    });
    this.events.emit(room, 'command.exit', {
      labSessionId: run.labSessionId,
      runId: run.id,
      exitCode: invocation.exitCode,
      status: 'completed',
      durationMs: Math.max(0, invocation.endedAt - invocation.startedAt),
      truncated: false,
      kind: run.kind,
    });
  }

  /**
   * Grading after the line, as after a terminal line. This process does not know the cluster's state version, so a
   * write is always graded; a read is graded unless it repeats the session's previous read (a client that polls
   * `get pods` every second adds nothing a grading after the first one did not see).
   */
  private async gradeAfter(run: QueuedRun, invocation: Invocation, effects: RunEffects): Promise<void> {
    if (!invocation.mutating) {
      if (this.lastRead.get(run.labSessionId) === run.command) return;
      this.remember(this.lastRead, run.labSessionId, run.command);
    } else this.lastRead.delete(run.labSessionId);
    const entry = historyEntryOf({
      seq: run.seq,
      command: run.command,
      exitCode: invocation.exitCode,
      output: '',
      status: 'completed',
      effects,
    });
    await this.grading.afterCommand(run.labSessionId, { ...entry, seq: run.seq, stateVersion: null });
  }

  /** A session's tracker, kept while the session is in use: it remembers the invocations it has recorded. */
  private trackerOf(labSessionId: string): InvocationTracker {
    let tracker = this.trackers.get(labSessionId);
    if (tracker) return tracker;
    tracker = new InvocationTracker();
    this.trackers.set(labSessionId, tracker);
    if (this.trackers.size > OWNERS_KEPT) {
      // The least recently started session's tracker goes; what it still had open is recorded first.
      const [oldest, dropped] = this.trackers.entries().next().value as [string, InvocationTracker];
      this.trackers.delete(oldest);
      this.recordAll(oldest, dropped.flushAll());
    }
    return tracker;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Records a session's finished invocations in order, after the ones already on their way. */
  private recordAll(labSessionId: string, invocations: Invocation[]): void {
    if (invocations.length === 0) return;
    const previous = this.tails.get(labSessionId) ?? Promise.resolve();
    const tail = previous.then(async () => {
      for (const invocation of invocations) {
        try {
          const userId = await this.ownerOf(labSessionId);
          if (userId === undefined) return;
          await this.record({ labSessionId, userId }, invocation);
        } catch (error) {
          this.logger.warn({
            msg: 'own kubectl line not recorded',
            labSessionId,
            line: invocation.line.slice(0, 200),
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    });
    this.tails.set(labSessionId, tail);
    void tail.then(() => {
      if (this.tails.get(labSessionId) === tail) this.tails.delete(labSessionId);
    });
  }

  /** Sessions never change hands: the student is read once per session (bounded). */
  private async ownerOf(labSessionId: string): Promise<string | undefined> {
    const known = this.owners.get(labSessionId);
    if (known) return known;
    const session = await this.sessions.findById(labSessionId);
    if (!session) return undefined;
    this.remember(this.owners, labSessionId, session.userId);
    return session.userId;
  }

  private remember(map: Map<string, string>, key: string, value: string): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > OWNERS_KEPT) map.delete(map.keys().next().value as string);
  }
}
