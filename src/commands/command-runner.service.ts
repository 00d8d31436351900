import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ClusterDriver, ClusterRef, ExecHome, ExecResult } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { JobHandlerProvider, JobName } from '../jobs/job.types';
import type { ClusterSummary } from '../repositories/cluster.repository';
import { CommandRunRepository, QueuedRun } from '../repositories/command-run.repository';
import { EditorBuffersRepository } from '../repositories/editor-buffers.repository';
import { EventRepository } from '../repositories/event.repository';
import { LabSessionRepository } from '../repositories/lab-session.repository';
import { RunSignal, RunSignalsRepository, StopRequest } from '../repositories/run-signals.repository';
import { SessionJobsRepository } from '../repositories/session-jobs.repository';
import {
  MailboxEntry,
  SessionMailboxRepository,
  TakenEntry,
} from '../repositories/session-mailbox.repository';
import { sessionRoom } from '../shared/events';
import { ClusterLookupService, ClusterUnavailableError } from '../services/cluster-lookup.service';
import { FinishedCommand, GradingService } from '../services/grading.service';
import { HomeStoreService } from '../services/home-store.service';
import { bytesOf } from '../services/home-snapshots';
import { historyEntryOf } from '../services/session-history';
import { PaneEditor } from '../engine/terminal/pane-editor';
import { InputQueue } from './input-queue';
import { runJobControl } from './job-control';
import { heldEndKey, HeldRecords } from './held-records';
import { SessionPlacementService } from '../placement/session-placement.service';
import { WorkerPresenceService } from '../placement/worker-presence.service';
import { endStateOf, RunOutcome } from './outcomes';
import { OutputCapture } from './output-capture';
import { RunLedger, type RunBody } from './run-ledger';
import { limitSeconds, planRun, RunPlan } from './run-kinds';

/** A drain holds its session's lock this long without renewing; a dead worker's lock lapses after it. */
export const SESSION_LOCK_TTL_MS = 10_000;
/**
 * Sessions' activity (which moves their idle expiry) is written for all of them together this
 * often: the expiry is measured in minutes, and one statement for every active session spares a
 * write per command (or a burst of them when many sessions' intervals line up).
 */
const ACTIVITY_FLUSH_MS = 2000;
/**
 * `wait` and `fg` look at the session's job table this often while they wait for jobs another
 * worker runs; a job of this process wakes them as soon as it ends.
 */
export const JOB_WAIT_POLL_MS = 250;

type ExecResultHome = ExecResult['home'];
type StopReason = StopRequest | 'timeout' | 'output-limit' | 'shutdown';

/** A run executing in this process: how to stop it, and where its typed input goes. */
interface LiveRun {
  controller: AbortController;
  input?: InputQueue;
  /** Shows typed input in the run's output, as a terminal echoes what is typed. */
  echo?: (line: string) => void;
  /** Interactive runs: the page's editor pane (kubectl edit). */
  editor?: PaneEditor;
}

/**
 * Runs students' commands in the worker. A session's foreground and interactive runs go strictly one
 * after another in sequence order (its mailbox, drained under its lock); a background run is
 * started in that order and then runs beside the later ones; different sessions run in parallel.
 * Every run ends through the RunLedger.
 */
@Injectable()
export class CommandRunnerService implements JobHandlerProvider, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CommandRunner');
  private readonly running = new Map<string, LiveRun>();
  /** Background runs of this process, by run id, until they have ended. */
  private readonly background = new Map<string, Promise<void>>();
  private readonly active = new Set<string>();
  /** Sessions that ran commands while their records were held: graded again once they are written. */
  private readonly gradeWhenCaughtUp = new Set<string>();
  private activityTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly clusters: ClusterLookupService,
    private readonly sessions: LabSessionRepository,
    private readonly runs: CommandRunRepository,
    private readonly mailbox: SessionMailboxRepository,
    private readonly jobs: SessionJobsRepository,
    private readonly signals: RunSignalsRepository,
    private readonly ledger: RunLedger,
    private readonly events: EventRepository,
    private readonly grading: GradingService,
    private readonly homes: HomeStoreService,
    private readonly buffers: EditorBuffersRepository,
    private readonly held: HeldRecords,
    private readonly presence: WorkerPresenceService,
    private readonly placement: SessionPlacementService,
  ) {}

  jobHandlers() {
    return { [JobName.CommandRun]: ({ labSessionId }: { labSessionId: string }) => this.drain(labSessionId) };
  }

  async onModuleInit(): Promise<void> {
    this.held.onCaughtUp(() => this.gradeHeldSessions());
    this.activityTimer = setInterval(() => void this.recordActivity(), ACTIVITY_FLUSH_MS);
    await this.signals.listen((signal) => this.onSignal(signal));
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.activityTimer);
    this.abortAll();
    // Background runs end (and are recorded) as interrupted; a shutdown does not wait long for them.
    await Promise.race([
      Promise.allSettled([...this.background.values()]),
      new Promise((resolve) => setTimeout(resolve, 5000).unref()),
    ]);
    await this.recordActivity();
  }

  /**
   * This process, as the session job tables name the worker of a background run (its heartbeat is the worker
   * directory's: when it lapses, the run is orphaned).
   */
  get workerId(): string {
    return this.presence.workerId;
  }

  /** Whether this process is executing the run right now. */
  isRunningHere(runId: string): boolean {
    return this.running.has(runId);
  }

  async drain(labSessionId: string): Promise<void> {
    const token = randomUUID();
    // Each take reads, inside its script, the cluster epoch (the runner needs it to trust its cached
    // cluster) and the home's version hint, once it holds the session's lock: one command, not three.
    const alongside = this.alongsideKeys(labSessionId);
    let entry = await this.mailbox.lockAndTakeFirst(labSessionId, token, SESSION_LOCK_TTL_MS, alongside);
    if (!entry) return;
    const renewal = setInterval(
      () => void this.mailbox.renewLock(labSessionId, token, SESSION_LOCK_TTL_MS).catch(() => undefined),
      SESSION_LOCK_TTL_MS / 3,
    );
    let released = false;
    try {
      for (;;) {
        const [epoch, hint] = this.readAlongside(labSessionId, entry);
        await this.execute(labSessionId, entry, epoch, hint).catch((error: Error) =>
          this.failedToRun(labSessionId, entry as MailboxEntry, error),
        );
        entry = await this.mailbox.takeNextOrRelease(labSessionId, token, alongside);
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

  /** The Redis keys each take reads for its run: the cluster epoch, and the home's version hint. */
  private alongsideKeys(labSessionId: string): string[] {
    const epoch = this.clusters.epochKey(labSessionId);
    if (!this.driver.capabilities.homeFiles) return [epoch];
    return [epoch, this.homes.versionHintAlongside.key(labSessionId)];
  }

  /** The epoch and home hint a take read for its entry (or read now, when the mailbox did not). */
  private readAlongside(
    labSessionId: string,
    entry: TakenEntry,
  ): [Promise<string | null>, Promise<number | null> | undefined] {
    const values = entry.alongside;
    if (!values) return [quiet(this.clusters.epochOf(labSessionId)), this.homeHint(labSessionId)];
    const hint = this.driver.capabilities.homeFiles
      ? Promise.resolve(this.homes.versionHintAlongside.from(values[1] ?? null))
      : undefined;
    return [Promise.resolve(values[0] ?? null), hint];
  }

  /**
   * Runs one mailbox entry: to its end for foreground and interactive runs, until it has started
   * for a background one. The hot path reads no Redis key of its own (the cluster epoch came with the
   * take) before executing, and writes the run's record once, when it ends.
   */
  private async execute(
    labSessionId: string,
    entry: MailboxEntry,
    epoch: Promise<string | null>,
    homeHint?: Promise<number | null>,
  ): Promise<void> {
    const run = queuedRunOf(labSessionId, entry) ?? (await this.load(entry.runId));
    if (!run) return;
    const plan = planRun(run.command);
    const ending = { id: run.id, labSessionId, kind: plan.kind, identity: run };
    // Read beside the cluster lookup (usually one Redis key): the home the line runs with.
    const home = plan.jobControl ? undefined : this.homeFor(labSessionId, homeHint);

    let target;
    try {
      target = await this.clusters.readyRef(
        { id: labSessionId, userId: run.userId },
        this.config.clusters.provisionTimeoutSeconds * 1000,
        epoch,
      );
    } catch (error) {
      const message = error instanceof ClusterUnavailableError ? error.message : 'the cluster is unavailable';
      await this.ledger.end(ending, { kind: 'not_run', message: `${message}.` });
      return;
    }

    if (plan.jobControl) return this.runJobControl(run, plan, target.cluster);
    const { capabilities } = this.driver;
    const runsHere = capabilities.interactiveInput || (plan.editorOnly && capabilities.editorPane);
    if (plan.kind === 'interactive' && !runsHere) {
      return this.refuse(
        run,
        target.cluster,
        'kubelab: this cluster backend cannot pass what you type to a running command; paste a heredoc whole (kubectl apply -f - <<EOF … EOF)\n',
      );
    }
    if (plan.kind !== 'background') return this.runToEnd(run, plan, target, home);
    if (!capabilities.backgroundRuns) {
      return this.refuse(
        run,
        target.cluster,
        'kubelab: this cluster backend runs one command at a time: background jobs (&) are not available\n',
      );
    }

    const startedAt = new Date();
    const job = await this.jobs.start(
      labSessionId,
      { runId: run.id, command: plan.text, workerId: this.workerId, startedAt: startedAt.toISOString() },
      this.config.commands.backgroundJobsPerSession,
    );
    if ('full' in job) {
      const limit = this.config.commands.backgroundJobsPerSession;
      return this.refuse(
        run,
        target.cluster,
        `kubelab: at most ${limit} background job${limit === 1 ? '' : 's'} can run at once in a lab session; type jobs to list them and kill %N to stop one\n`,
      );
    }
    await this.recordStart(run, { job, clusterId: target.cluster.id, startedAt });
    // A running job is in the graded history (`kubectl port-forward ... &` is graded while it forwards).
    await this.afterStart(labSessionId, run, target.ref);
    // The job outlives this drain: it keeps the session (and its cluster) on this worker until it ends.
    const release = this.placement.hold(labSessionId, this.workerId);
    const started = this.runToEnd(run, plan, target, home, { job, startedAt }).catch((error: Error) =>
      this.logger.error({ msg: 'background run failed', runId: run.id, error: error.message }),
    );
    this.background.set(run.id, started);
    void started.finally(() => {
      this.background.delete(run.id);
      release();
    });
  }

  /** Runs a line on the cluster to its end and ends the run with how it went. */
  private async runToEnd(
    run: QueuedRun,
    plan: RunPlan,
    target: { cluster: ClusterSummary; ref: ClusterRef },
    homeRead: Promise<ExecHome | undefined> | undefined,
    background?: { job: { number: number; pid: number }; startedAt: Date },
  ): Promise<void> {
    const labSessionId = run.labSessionId;
    const startedAt = background?.startedAt ?? new Date();
    const controller = new AbortController();
    const live: LiveRun = { controller };
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
    if (plan.kind === 'interactive') {
      live.input = new InputQueue(this.config.commands.maxBlockBytes);
      live.echo = (line) => capture.sink.stdout(`${plan.inputPrompt ?? ''}${line}\n`);
      live.editor = new PaneEditor((file) => {
        const buffer = { labSessionId, runId: run.id, name: file.name, text: file.text };
        // Kept until it is closed, so that a page that reloads meanwhile shows it again (session.join).
        this.remember(this.buffers.open(buffer, limitSeconds(plan.limit, this.config.commands)));
        this.events.emit(sessionRoom(labSessionId), 'command.editor', buffer);
      });
      await this.recordStart(run, { clusterId: target.cluster.id, startedAt }).catch((error: Error) =>
        this.logger.warn({ msg: 'start not recorded', runId: run.id, error: error.message }),
      );
    }
    // Registered before the start is announced: typed input and Ctrl-C may follow at once.
    this.running.set(run.id, live);
    this.events.emit(sessionRoom(labSessionId), 'command.started', {
      labSessionId,
      runId: run.id,
      startedAt: startedAt.toISOString(),
      kind: plan.kind,
      job: background?.job,
      inputPrompt: live.input ? (plan.inputPrompt ?? '') : undefined,
    });
    const limit = limitSeconds(plan.limit, this.config.commands);
    const timer = setTimeout(() => controller.abort('timeout' satisfies StopReason), limit * 1000);
    let exitCode: number;
    let effects: ExecResult['effects'];
    const home = await homeRead;
    let homeVersion: RunBody['homeVersion'] = home?.version ?? null;
    try {
      // A job runs as in a subshell: variables it sets do not reach the session's later lines.
      const options =
        background || home || live.editor
          ? { background: background ? true : undefined, home, editor: live.editor }
          : undefined;
      const result = await this.driver.exec(
        target.ref,
        plan.text,
        capture.sink,
        controller.signal,
        live.input,
        options,
      );
      exitCode = result.exitCode;
      effects = result.effects;
      if (result.home && home) homeVersion = (await this.storeHome(run, home.version, result.home)).version;
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      this.logger.error({ msg: 'command failed inside the driver', runId: run.id, error: failure });
      capture.sink.stderr('error: the lab terminal failed to run this command; please try again.\n');
      exitCode = 1;
    } finally {
      clearTimeout(timer);
      this.running.delete(run.id);
      if (live.editor?.opened) this.remember(this.buffers.close(run.id));
    }
    capture.flush();

    const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : undefined;
    const outcome = outcomeOf(reason, exitCode, limit, plan);
    // The record is written (once, whole) before the exit is announced, so a client that reloads
    // right after the exit finds the command complete in its history.
    await this.ledger.end({ id: run.id, labSessionId, kind: plan.kind, identity: run }, outcome, {
      clusterId: target.cluster.id,
      startedAt,
      output: capture.output,
      outputBytes: capture.bytes,
      truncated: capture.truncated,
      homeVersion,
      effects,
    });
    await this.afterCommand(labSessionId, target.cluster, target.ref, {
      ...historyEntryOf({
        seq: run.seq,
        command: run.command,
        exitCode: endStateOf(outcome).exitCode,
        output: capture.output,
        status: endStateOf(outcome).status,
        effects,
      }),
      seq: run.seq,
    });
  }

  /**
   * Running an entry failed outside the command (the database refused the record, say): the run ends
   * as not run, saying so, and the session's later commands still run.
   */
  private async failedToRun(labSessionId: string, entry: MailboxEntry, error: Error): Promise<void> {
    this.logger.error({ msg: 'command not run', runId: entry.runId, error: error.message });
    const run = queuedRunOf(labSessionId, entry);
    await this.ledger
      .end(
        {
          id: entry.runId,
          labSessionId,
          kind: run?.kind ?? 'foreground',
          identity: run ?? undefined,
        },
        { kind: 'not_run', message: 'the lab terminal failed to start this command; please try again.' },
      )
      .catch((failure: Error) =>
        this.logger.error({ msg: 'run not ended', runId: entry.runId, error: failure.message }),
      );
  }

  /** A line the platform will not run as asked: it ends at once with exit 1 and says why. */
  private async refuse(run: QueuedRun, cluster: ClusterSummary, message: string): Promise<void> {
    const startedAt = new Date();
    const room = sessionRoom(run.labSessionId);
    const ids = { labSessionId: run.labSessionId, runId: run.id };
    this.events.emit(room, 'command.started', {
      ...ids,
      startedAt: startedAt.toISOString(),
      kind: 'foreground',
    });
    this.events.emit(room, 'command.output', { ...ids, stream: 'stderr', data: message });
    await this.ledger.end(
      { id: run.id, labSessionId: run.labSessionId, kind: 'foreground', identity: run },
      { kind: 'completed', exitCode: 1 },
      {
        clusterId: cluster.id,
        startedAt,
        output: message,
        outputBytes: Buffer.byteLength(message),
        truncated: false,
      },
    );
  }

  /**
   * `jobs`, `kill`, `wait`, `fg`…: answered from the session's job table, whichever worker runs its
   * jobs. `wait` and `fg` go on until their jobs have ended, under the limit of a lasting run;
   * Ctrl-C stops `wait`, and reaches the job itself (SIGINT) after `fg`.
   */
  private async runJobControl(run: QueuedRun, plan: RunPlan, cluster: ClusterSummary): Promise<void> {
    const startedAt = new Date();
    const labSessionId = run.labSessionId;
    const table = await this.jobs.list(labSessionId);
    const result = runJobControl(plan.text, table);
    const waits = result.waitFor;
    const controller = new AbortController();
    // Registered before the start is announced: Ctrl-C may follow at once.
    if (waits) this.running.set(run.id, { controller });
    this.events.emit(sessionRoom(labSessionId), 'command.started', {
      labSessionId,
      runId: run.id,
      startedAt: startedAt.toISOString(),
      kind: 'foreground',
    });
    await Promise.all(
      result.stop.map(({ runId, signal }) => this.signals.send({ type: 'stop', runId, reason: signal })),
    );
    let output = '';
    for (const [stream, data] of [
      ['stdout', result.stdout],
      ['stderr', result.stderr],
    ] as const) {
      if (!data) continue;
      output += data;
      this.events.emit(sessionRoom(labSessionId), 'command.output', {
        labSessionId,
        runId: run.id,
        stream,
        data,
      });
    }
    let outcome: RunOutcome = { kind: 'completed', exitCode: result.exitCode };
    if (waits) {
      const limit = limitSeconds('lasting', this.config.commands);
      const timer = setTimeout(() => controller.abort('timeout' satisfies StopReason), limit * 1000);
      try {
        await this.untilJobsEnd(labSessionId, waits.runIds, controller.signal);
      } finally {
        clearTimeout(timer);
        this.running.delete(run.id);
      }
      const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : undefined;
      if (reason === undefined && waits.lastJobStatus) {
        const last = await this.runs.findById(waits.runIds[waits.runIds.length - 1]).catch(() => null);
        outcome = { kind: 'completed', exitCode: last?.exitCode ?? result.exitCode };
      } else if (reason !== undefined) {
        // Ctrl-C after `fg` interrupts the job in the foreground, as the terminal's SIGINT would.
        if (reason === 'cancel' && waits.foreground)
          await this.signals.send({ type: 'stop', runId: waits.foreground.runId, reason: 'INT' });
        outcome = outcomeOf(reason, result.exitCode, limit, { ...plan, limit: 'lasting' });
      }
    }
    await this.ledger.end({ id: run.id, labSessionId, kind: 'foreground', identity: run }, outcome, {
      clusterId: cluster.id,
      startedAt,
      output,
      outputBytes: Buffer.byteLength(output),
      truncated: false,
    });
  }

  /** Waits until none of `runIds` is in the session's job table any more, or `signal` aborts. */
  private async untilJobsEnd(labSessionId: string, runIds: string[], signal: AbortSignal): Promise<void> {
    const waited = new Set(runIds);
    while (!signal.aborted) {
      const open = (await this.jobs.list(labSessionId)).filter((job) => waited.has(job.runId));
      if (open.length === 0 || signal.aborted) return;
      const here = open.flatMap((job) => this.background.get(job.runId) ?? []);
      await Promise.race([pause(JOB_WAIT_POLL_MS, signal), ...here]);
    }
  }

  private onSignal(signal: RunSignal): void {
    const live = this.running.get(signal.runId);
    if (!live) return;
    if (signal.type === 'stop') {
      live.controller.abort(signal.reason satisfies StopReason);
      return;
    }
    if (!live.input) return;
    if (signal.edited !== undefined && live.editor?.closed(signal.edited))
      this.remember(this.buffers.close(signal.runId));
    if (signal.data) {
      const { accepted, overflow } = live.input.push(signal.data);
      for (const line of accepted) live.echo?.(line);
      if (overflow) live.echo?.('[input ended: more was typed than one command may read]');
    }
    if (signal.eof) live.input.end();
  }

  /** A write about an open editor buffer: a failure only costs showing it after a reload, so it is logged. */
  private remember(write: Promise<void>): void {
    write.catch((error: Error) =>
      this.logger.warn({ msg: 'editor buffer not stored', error: error.message }),
    );
  }

  /** The session's home for the driver, when it takes one; a home that cannot be read is left out. */
  private homeFor(
    labSessionId: string,
    hint?: Promise<number | null>,
  ): Promise<ExecHome | undefined> | undefined {
    if (!this.driver.capabilities.homeFiles) return undefined;
    return this.homes.execHome(labSessionId, hint).catch((error: Error) => {
      this.logger.warn({ msg: 'home not read', labSessionId, error: error.message });
      return undefined;
    });
  }

  /** The home's version hint for the next take's run, when the driver takes a home (never rejects). */
  private homeHint(labSessionId: string): Promise<number | null> | undefined {
    return this.driver.capabilities.homeFiles ? this.homes.versionHint(labSessionId) : undefined;
  }

  /**
   * Stores the home a run changed before its record is written, so the record links the version. A
   * failure is logged: the driver keeps the files and hands them back with the next change.
   */
  private async storeHome(
    run: QueuedRun,
    base: number,
    after: NonNullable<ExecResultHome>,
  ): Promise<{ version: RunBody['homeVersion'] }> {
    // While the database is away the change is held (the driver keeps the files meanwhile), and so is the
    // run's record, behind it: the record gets the version the change lands as. The version is then a
    // promise, wrapped in an object so that the exit does not wait for the database.
    return this.held
      .write(
        `home:${run.id}`,
        () => bytesOf(after) + 512,
        () => this.homes.recordRun(run.labSessionId, run.id, base, after),
      )
      .then((outcome) => ({
        version: outcome.held ? outcome.written.then((version) => version ?? null) : outcome.value,
      }))
      .catch((error: Error) => {
        this.logger.warn({ msg: 'home not stored', runId: run.id, error: error.message });
        return { version: null };
      });
  }

  /**
   * Records a lasting run as running, or holds the record while the database is away (HeldRecords):
   * the run goes on either way, and its end is held behind its start.
   */
  private async recordStart(run: QueuedRun, start: Parameters<CommandRunRepository['startLasting']>[1]) {
    const bytes = Buffer.byteLength(run.command) + 512;
    await this.held.write(`run-start:${run.id}`, bytes, () => this.runs.startLasting(run, start));
  }

  /** A mailbox entry without its command (re-posted from the database): read it back. */
  private async load(runId: string): Promise<QueuedRun | null> {
    // Ended here while the database was away, its record still held: housekeeping found the queued
    // record and posted it again, but it has run.
    if (this.held.holds(heldEndKey(runId))) return null;
    const run = await this.runs.findById(runId);
    return run && run.status === 'queued' ? run : null;
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
      // Held while the database is away; only the cluster's newest snapshot is kept meanwhile.
      this.held
        .write(
          `snapshot:${cluster.id}`,
          () => (snapshot ? snapshot.data.length : 0),
          () => this.clusters.saveSnapshot(cluster, snapshot),
          { replace: true },
        )
        .catch((error: Error) =>
          this.logger.warn({ msg: 'snapshot not saved', clusterId: cluster.id, error: error.message }),
        ),
      this.grading.afterCommand(labSessionId, { ...ran, stateVersion: snapshot?.version ?? null }),
    ];
    this.active.add(labSessionId);
    // Grading reads the history from the database: while records are held it fails, so the session
    // is graded again once they are written.
    if (this.held.size > 0) this.gradeWhenCaughtUp.add(labSessionId);
    await Promise.all(work);
  }

  private gradeHeldSessions(): void {
    const sessions = [...this.gradeWhenCaughtUp];
    this.gradeWhenCaughtUp.clear();
    for (const labSessionId of sessions) {
      this.grading
        .requestGrading(labSessionId, 'command')
        .catch((error: Error) =>
          this.logger.warn({ msg: 'grading not requested', labSessionId, error: error.message }),
        );
    }
  }

  /**
   * A background job has started: grading hears of it as of a command, running (no exit code), so a check
   * that a later command completes (`curl localhost:8080` after `kubectl port-forward ... &`) sees it.
   */
  private async afterStart(labSessionId: string, run: QueuedRun, ref: ClusterRef): Promise<void> {
    const snapshot = await this.driver.snapshot(ref).catch(() => null);
    await this.grading
      .afterCommand(labSessionId, {
        command: run.command,
        exitCode: null,
        output: '',
        running: true,
        seq: run.seq,
        stateVersion: snapshot?.version ?? null,
      })
      .catch((error: Error) =>
        this.logger.warn({ msg: 'grading not requested', labSessionId, error: error.message }),
      );
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

  /** Stops what runs here (graceful shutdown): those commands end as interrupted, not stuck. */
  abortAll(): void {
    for (const live of this.running.values()) live.controller.abort('shutdown' satisfies StopReason);
  }
}

/** How a run ended, from why it was stopped (if it was) and the exit code the command returned. */
function outcomeOf(
  reason: StopReason | undefined,
  exitCode: number,
  limit: number,
  plan: RunPlan,
): RunOutcome {
  switch (reason) {
    case undefined:
      return { kind: 'completed', exitCode };
    case 'cancel':
      return { kind: 'cancelled' };
    case 'TERM':
    case 'KILL':
    case 'INT':
    case 'HUP':
      return { kind: 'terminated', signal: reason };
    case 'timeout':
      return { kind: 'timed_out', limitSeconds: limit, what: plan.limit };
    case 'output-limit':
      return { kind: 'completed', exitCode, stoppedForOutput: true };
    case 'shutdown':
      return { kind: 'interrupted', reason: 'worker-shutdown' };
    case 'cluster-ended':
      return { kind: 'interrupted', reason: 'cluster-ended' };
  }
}

/** Waits `ms`, or less when `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
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
  return {
    id: runId,
    labSessionId,
    userId,
    seq,
    command,
    kind: planRun(command).kind,
    queuedAt: new Date(queuedAt),
  };
}
