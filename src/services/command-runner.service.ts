import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ClusterDriver, ClusterRef } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { JobHandlerProvider, JobName } from '../jobs/job.types';
import type { ClusterSummary } from '../repositories/cluster.repository';
import { CommandRunRepository, CommandStatus } from '../repositories/command-run.repository';
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
const TOUCH_INTERVAL_MS = 30_000;

type StopReason = 'cancel' | 'timeout' | 'output-limit' | 'shutdown';

/**
 * Runs students' commands in the worker. A session's commands run strictly one after another in
 * sequence order (its mailbox, drained under its lock); different sessions run in parallel.
 */
@Injectable()
export class CommandRunnerService implements JobHandlerProvider, OnModuleInit {
  private readonly logger = new Logger('CommandRunner');
  private readonly running = new Map<string, AbortController>();
  private readonly lastTouched = new Map<string, number>();

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
    await this.mailbox.onCancel((runId) => this.running.get(runId)?.abort('cancel' satisfies StopReason));
  }

  /** Whether this process is executing the run right now. */
  isRunningHere(runId: string): boolean {
    return this.running.has(runId);
  }

  async drain(labSessionId: string): Promise<void> {
    const token = randomUUID();
    if (!(await this.mailbox.tryLock(labSessionId, token, SESSION_LOCK_TTL_MS))) return;
    const renewal = setInterval(
      () => void this.mailbox.renewLock(labSessionId, token, SESSION_LOCK_TTL_MS).catch(() => undefined),
      SESSION_LOCK_TTL_MS / 3,
    );
    let released = false;
    try {
      for (;;) {
        const entry = await this.mailbox.takeNextOrRelease(labSessionId, token);
        // An empty mailbox released the lock with it: a command posted from now on is drained by its own job.
        if (!entry) {
          released = true;
          return;
        }
        await this.execute(labSessionId, entry);
      }
    } finally {
      clearInterval(renewal);
      if (!released) await this.mailbox.unlock(labSessionId, token).catch(() => undefined);
    }
  }

  /**
   * Runs one command. The hot path reads one row (the session's cluster) before executing; the
   * bookkeeping writes happen alongside the command and after its exit has been announced.
   */
  private async execute(labSessionId: string, entry: MailboxEntry): Promise<void> {
    const run: { runId: string; command: string; userId: string; seq?: number } | null =
      entry.command !== undefined && entry.userId !== undefined
        ? { runId: entry.runId, command: entry.command, userId: entry.userId, seq: entry.seq }
        : await this.load(entry.runId);
    if (!run) return;
    const session = { id: labSessionId, userId: run.userId };

    let target;
    try {
      target = await this.clusters.readyRef(session, this.config.clusters.provisionTimeoutSeconds * 1000);
    } catch (error) {
      const message = error instanceof ClusterUnavailableError ? error.message : 'the cluster is unavailable';
      if (await this.runs.endIfOpen(run.runId, 'interrupted', 1, message)) {
        this.announceExit(labSessionId, run.runId, {
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
    // Recorded as running before anything runs: if this worker dies, the run is then seen as
    // interrupted rather than lost and run again.
    if (!(await this.runs.start(run.runId, target.cluster.id, startedAt))) return;
    this.events.emit(sessionRoom(labSessionId), 'command.started', {
      labSessionId,
      runId: run.runId,
      startedAt: startedAt.toISOString(),
    });

    const controller = new AbortController();
    this.running.set(run.runId, controller);
    const timer = setTimeout(
      () => controller.abort('timeout' satisfies StopReason),
      this.config.commands.timeoutSeconds * 1000,
    );
    const capture = new OutputCapture(
      this.config.commands.maxOutputBytes,
      (stream, data) =>
        this.events.emit(sessionRoom(labSessionId), 'command.output', {
          labSessionId,
          runId: run.runId,
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
      this.logger.error({ msg: 'command failed inside the driver', runId: run.runId, error: failure });
      capture.sink.stderr('error: the lab terminal failed to run this command; please try again.\n');
      exitCode = 1;
    } finally {
      clearTimeout(timer);
      this.running.delete(run.runId);
    }
    capture.flush();

    const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : undefined;
    const { status, note } = this.outcome(reason);
    if (status === 'cancelled') exitCode = 130;
    if (status === 'timed_out') exitCode = 124;
    const finishedAt = new Date();
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    // The record is written before the exit is announced, so a client that reloads right after
    // the exit finds the command complete in its history.
    await this.runs.finish(run.runId, {
      status,
      exitCode,
      output: capture.output,
      outputBytes: capture.bytes,
      truncated: capture.truncated,
      finishedAt,
      durationMs,
      error: failure,
    });
    this.announceExit(labSessionId, run.runId, {
      exitCode,
      status,
      durationMs,
      truncated: capture.truncated,
      note,
    });
    await this.afterCommand(labSessionId, target.cluster, target.ref, {
      seq: run.seq,
      command: run.command,
      exitCode,
      output: capture.output,
    });
  }

  /** A mailbox entry without its command (posted before an upgrade, or re-posted): read it back. */
  private async load(
    runId: string,
  ): Promise<{ runId: string; command: string; userId: string; seq: number } | null> {
    const run = await this.runs.findById(runId);
    return run && run.status === 'queued'
      ? { runId, command: run.command, userId: run.userId, seq: run.seq }
      : null;
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
    const now = Date.now();
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
    // Activity is recorded at most every half minute per session: the idle expiry is measured in minutes.
    if (now - (this.lastTouched.get(labSessionId) ?? 0) > TOUCH_INTERVAL_MS) {
      this.lastTouched.set(labSessionId, now);
      const idle = new Date(now + this.config.clusters.idleMinutes * 60_000);
      work.push(this.sessions.touch(labSessionId, new Date(now), idle));
    }
    await Promise.all(work);
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
