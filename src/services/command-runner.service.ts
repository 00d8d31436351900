import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ClusterDriver, ClusterRef } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { JobHandlerProvider, JobName } from '../jobs/job.types';
import type { ClusterSummary } from '../repositories/cluster.repository';
import { CommandRunRepository, CommandStatus, QueuedRun } from '../repositories/command-run.repository';
import { EventRepository } from '../repositories/event.repository';
import { JobRepository } from '../repositories/job.repository';
import { LabSessionRepository } from '../repositories/lab-session.repository';
import { MailboxEntry, SessionMailboxRepository } from '../repositories/session-mailbox.repository';
import { sessionRoom } from '../shared/events';
import { ClusterService, ClusterUnavailableError } from './cluster.service';
import { FinishedCommand, GradingService } from './grading.service';
import { OutputCapture } from './output-capture';

/** A drain holds its session's lock this long without renewing; a dead worker's lock lapses after it. */
export const SESSION_LOCK_TTL_MS = 10_000;
/**
 * Sessions' activity (which moves their idle expiry) is written for all of them together this
 * often: the expiry is measured in minutes, and one statement for every active session spares a
 * write per command (or a burst of them when many sessions' intervals line up).
 */
const ACTIVITY_FLUSH_MS = 2000;

type StopReason = 'cancel' | 'timeout' | 'output-limit' | 'shutdown';

/**
 * Runs students' commands in the worker. A session's commands run strictly one after another in
 * sequence order (its mailbox, drained under its lock); different sessions run in parallel.
 */
@Injectable()
export class CommandRunnerService implements JobHandlerProvider, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CommandRunner');
  private readonly running = new Map<string, AbortController>();
  private readonly active = new Set<string>();
  private activityTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly clusters: ClusterService,
    private readonly sessions: LabSessionRepository,
    private readonly runs: CommandRunRepository,
    private readonly mailbox: SessionMailboxRepository,
    private readonly jobs: JobRepository,
    private readonly events: EventRepository,
    private readonly grading: GradingService,
  ) {}

  jobHandlers() {
    return { [JobName.CommandRun]: ({ labSessionId }: { labSessionId: string }) => this.drain(labSessionId) };
  }

  async onModuleInit(): Promise<void> {
    this.activityTimer = setInterval(() => void this.recordActivity(), ACTIVITY_FLUSH_MS);
    await this.mailbox.onCancel((runId) => this.running.get(runId)?.abort('cancel' satisfies StopReason));
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.activityTimer);
    await this.recordActivity();
  }

  /** Whether this process is executing the run right now. */
  isRunningHere(runId: string): boolean {
    return this.running.has(runId);
  }

  async drain(labSessionId: string): Promise<void> {
    const token = randomUUID();
    // Each take is paired with a read of the cluster epoch issued in the same tick: auto-pipelining
    // sends both in one write, and the runner needs the epoch to trust its cached cluster.
    let epoch = quiet(this.clusters.epochOf(labSessionId));
    let entry = await this.mailbox.lockAndTakeFirst(labSessionId, token, SESSION_LOCK_TTL_MS);
    if (!entry) return;
    const renewal = setInterval(
      () => void this.mailbox.renewLock(labSessionId, token, SESSION_LOCK_TTL_MS).catch(() => undefined),
      SESSION_LOCK_TTL_MS / 3,
    );
    let released = false;
    try {
      for (;;) {
        await this.execute(labSessionId, entry, epoch);
        epoch = quiet(this.clusters.epochOf(labSessionId));
        entry = await this.mailbox.takeNextOrRelease(labSessionId, token);
        // An empty mailbox released the lock with it: a command posted from now on is drained by its own job.
        if (!entry) {
          released = true;
          return;
        }
      }
    } finally {
      clearInterval(renewal);
      if (!released) await this.mailbox.unlock(labSessionId, token).catch(() => undefined);
    }
  }

  /**
   * Runs one command. The hot path reads one Redis key (the cluster epoch) before executing and
   * writes the run's record once, when it ends; the rest happens after its exit has been announced.
   */
  private async execute(
    labSessionId: string,
    entry: MailboxEntry,
    epoch: Promise<string | null>,
  ): Promise<void> {
    const run = queuedRunOf(labSessionId, entry) ?? (await this.load(entry.runId));
    if (!run) return;
    const session = { id: labSessionId, userId: run.userId };

    let target;
    try {
      target = await this.clusters.readyRef(
        session,
        this.config.clusters.provisionTimeoutSeconds * 1000,
        epoch,
      );
    } catch (error) {
      const message = error instanceof ClusterUnavailableError ? error.message : 'the cluster is unavailable';
      if (await this.runs.endIfOpen(run.id, 'interrupted', 1, message)) {
        this.announceExit(labSessionId, run.id, {
          exitCode: 1,
          status: 'interrupted',
          durationMs: 0,
          truncated: false,
          note: `Not run: ${message}.`,
        });
      }
      return;
    }

    const startedAt = new Date();
    this.events.emit(sessionRoom(labSessionId), 'command.started', {
      labSessionId,
      runId: run.id,
      startedAt: startedAt.toISOString(),
    });
    const controller = new AbortController();
    this.running.set(run.id, controller);
    const timer = setTimeout(
      () => controller.abort('timeout' satisfies StopReason),
      this.config.commands.timeoutSeconds * 1000,
    );
    const capture = new OutputCapture(
      this.config.commands.maxOutputBytes,
      (stream, data) =>
        this.events.emit(sessionRoom(labSessionId), 'command.output', {
          labSessionId,
          runId: run.id,
          stream,
          data,
        }),
      () => controller.abort('output-limit' satisfies StopReason),
    );
    let exitCode: number;
    let failure: string | undefined;
    try {
      exitCode = (await this.driver.exec(target.ref, run.command, capture.sink, controller.signal)).exitCode;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      this.logger.error({ msg: 'command failed inside the driver', runId: run.id, error: failure });
      capture.sink.stderr('error: the lab terminal failed to run this command; please try again.\n');
      exitCode = 1;
    } finally {
      clearTimeout(timer);
      this.running.delete(run.id);
    }
    capture.flush();

    const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : undefined;
    const { status, note } = this.outcome(reason);
    if (status === 'cancelled') exitCode = 130;
    if (status === 'timed_out') exitCode = 124;
    const finishedAt = new Date();
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    // The record is written (once, whole) before the exit is announced, so a client that reloads
    // right after the exit finds the command complete in its history.
    const recorded = await this.runs.finish(run, {
      clusterId: target.cluster.id,
      startedAt,
      status,
      exitCode,
      output: capture.output,
      outputBytes: capture.bytes,
      truncated: capture.truncated,
      finishedAt,
      durationMs,
      error: failure,
    });
    // Not recorded: the housekeeping already ended the run (its lock had lapsed) and said so.
    if (recorded) {
      this.announceExit(labSessionId, run.id, {
        exitCode,
        status,
        durationMs,
        truncated: capture.truncated,
        note,
      });
    }
    await this.afterCommand(labSessionId, target.cluster, target.ref, {
      seq: run.seq,
      command: run.command,
      exitCode,
      output: capture.output,
    });
  }

  /** A mailbox entry without its command (re-posted from the database): read it back. */
  private async load(runId: string): Promise<QueuedRun | null> {
    const run = await this.runs.findById(runId);
    return run && run.status === 'queued' ? run : null;
  }

  private outcome(reason: StopReason | undefined): { status: CommandStatus; note?: string } {
    switch (reason) {
      case 'cancel':
        return { status: 'cancelled', note: '^C' };
      case 'timeout':
        return {
          status: 'timed_out',
          note: `Stopped after ${this.config.commands.timeoutSeconds} s, the time limit for one command.`,
        };
      case 'output-limit':
        return {
          status: 'completed',
          note: 'Output truncated: the command printed more than the limit and was stopped.',
        };
      case 'shutdown':
        return { status: 'interrupted', note: 'Interrupted: the worker is shutting down.' };
      default:
        return { status: 'completed' };
    }
  }

  private async afterCommand(
    labSessionId: string,
    cluster: ClusterSummary,
    ref: ClusterRef,
    ran: Omit<FinishedCommand, 'stateVersion'>,
  ): Promise<void> {
    // The state after the command, taken once: saving it and deciding on grading both use it.
    const snapshot = await this.driver.snapshot(ref).catch(() => null);
    const work: Promise<unknown>[] = [
      this.clusters
        .saveSnapshot(cluster, snapshot)
        .catch((error: Error) =>
          this.logger.warn({ msg: 'snapshot not saved', clusterId: cluster.id, error: error.message }),
        ),
      this.grading.afterCommand(labSessionId, { ...ran, stateVersion: snapshot?.version ?? null }),
    ];
    this.active.add(labSessionId);
    await Promise.all(work);
  }

  private async recordActivity(): Promise<void> {
    if (this.active.size === 0) return;
    const ids = [...this.active];
    this.active.clear();
    const now = Date.now();
    const idle = new Date(now + this.config.clusters.idleMinutes * 60_000);
    await this.sessions.touch(ids, new Date(now), idle).catch((error: Error) => {
      // The database is briefly away: keep them for the next round.
      for (const id of ids) this.active.add(id);
      this.logger.warn({ msg: 'activity not recorded', sessions: ids.length, error: error.message });
    });
  }

  private announceExit(
    labSessionId: string,
    runId: string,
    result: {
      exitCode: number;
      status: CommandStatus;
      durationMs: number;
      truncated: boolean;
      note?: string;
    },
  ): void {
    this.events.emit(sessionRoom(labSessionId), 'command.exit', { labSessionId, runId, ...result });
  }

  /** Stops what runs here (graceful shutdown): those commands end as interrupted, not stuck. */
  abortAll(): void {
    for (const controller of this.running.values()) controller.abort('shutdown' satisfies StopReason);
  }
}

/** A read started early that the caller may never await: its failure surfaces where it is awaited. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The run an entry describes, when it carries everything its record needs. */
function queuedRunOf(labSessionId: string, entry: MailboxEntry): QueuedRun | null {
  const { runId, seq, command, userId, queuedAt } = entry;
  if (seq === undefined || command === undefined || userId === undefined || queuedAt === undefined)
    return null;
  return { id: runId, labSessionId, userId, seq, command, queuedAt: new Date(queuedAt) };
}
