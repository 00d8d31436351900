/**
 * The command runner wired as the worker wires it, to a driver (a fake from src/clusters/testing or
 * the embedded engine) and to in-memory repositories: no Redis, no PostgreSQL. Lines are admitted
 * as the API admits them (a record and a mailbox entry, numbered in order); `drain()` is the
 * `command.run` job a worker would take.
 */
import { randomUUID } from 'node:crypto';
import type { ClusterDriver } from '../../clusters/cluster-driver';
import { type AppConfig, parseConfig } from '../../config/app-config';
import type { ClusterRepository } from '../../repositories/cluster.repository';
import type { CommandRunRepository, QueuedRun } from '../../repositories/command-run.repository';
import type { EditorBuffersRepository } from '../../repositories/editor-buffers.repository';
import type { EventRepository } from '../../repositories/event.repository';
import type { LabSession, LabSessionRepository } from '../../repositories/lab-session.repository';
import type { RedisRepository } from '../../repositories/redis.repository';
import type { RunSignalsRepository } from '../../repositories/run-signals.repository';
import type { SessionJobsRepository } from '../../repositories/session-jobs.repository';
import type { SessionMailboxRepository } from '../../repositories/session-mailbox.repository';
import {
  InlineJobRepository,
  InMemoryClusterRepository,
  InMemoryLabSessionRepository,
  InMemoryRedisRepository,
  RecordingEventRepository,
} from '../../repositories/testing/in-memory-repositories';
import { ClusterEpochService } from '../../services/cluster-epoch.service';
import { ClusterLifecycleService } from '../../services/cluster-lifecycle.service';
import { ClusterLookupService } from '../../services/cluster-lookup.service';
import { HomeStoreService } from '../../services/home-store.service';
import type { CourseScheduleRepository } from '../../repositories/course-schedule.repository';
import { LabCatalogService } from '../../services/lab-catalog.service';
import type { HomeRepository } from '../../repositories/home.repository';
import type { LabRepository } from '../../repositories/lab.repository';
import { InMemoryHomeRepository } from '../../repositories/testing/in-memory-home';
import { InMemoryEditorBuffersRepository } from '../../repositories/testing/in-memory-editor-buffers';
import type { FinishedCommand, GradingService } from '../../services/grading.service';
import { CommandRunnerService } from '../command-runner.service';
import type { SessionPlacementService } from '../../placement/session-placement.service';
import type { WorkerPresenceService } from '../../placement/worker-presence.service';
import { HeldRecords } from '../held-records';
import { RunLedger } from '../run-ledger';
import { planRun } from '../run-kinds';
import { InMemoryCommandRunRepository } from './in-memory-runs';
import {
  InMemoryRunSignalsRepository,
  InMemorySessionMailboxRepository,
  InMemoryWorkerJobsRepository,
} from './in-memory-session';
import type { SessionRouter } from '../../placement/session-router.service';

/** Grading as the runner sees it: told about every command that ended. */
export class RecordingGrading implements Pick<
  GradingService,
  'afterCommand' | 'backgroundStarted' | 'requestGrading'
> {
  readonly graded: { labSessionId: string; finished: FinishedCommand }[] = [];
  /** Sessions whose grading was asked for outside a command (after held records were written). */
  readonly requested: string[] = [];

  async requestGrading(labSessionId: string): Promise<void> {
    this.requested.push(labSessionId);
  }
  readonly backgroundStarts: { labSessionId: string; seq: number }[] = [];

  backgroundStarted(labSessionId: string, seq: number): void {
    this.backgroundStarts.push({ labSessionId, seq });
  }

  async afterCommand(labSessionId: string, finished: FinishedCommand): Promise<boolean> {
    this.graded.push({ labSessionId, finished });
    return true;
  }
}

export interface CommandRunnerHarness {
  config: AppConfig;
  /** Records held while the database is away (HeldRecords). */
  held: HeldRecords;
  sessions: InMemoryLabSessionRepository;
  clusters: InMemoryClusterRepository;
  runs: InMemoryCommandRunRepository;
  mailbox: InMemorySessionMailboxRepository;
  jobs: InMemoryWorkerJobsRepository;
  signals: InMemoryRunSignalsRepository;
  events: RecordingEventRepository;
  queue: InlineJobRepository;
  grading: RecordingGrading;
  ledger: RunLedger;
  lifecycle: ClusterLifecycleService;
  runner: CommandRunnerService;
  /** The sessions' stored homes (what the runner hands drivers and stores after a line). */
  homeRows: InMemoryHomeRepository;
  homes: HomeStoreService;
  /** The editor buffers runs have open (what a reloaded page is shown again). */
  buffers: InMemoryEditorBuffersRepository;
  /** A student's lab session. */
  session(): LabSession;
  /** Admits `line` as the API does: numbered, recorded as queued and posted to the mailbox. */
  submit(session: LabSession, line: string): Promise<QueuedRun>;
  /** Ctrl-C as the API handles it: a queued run is withdrawn and ended, a running one is told to stop. */
  cancel(run: QueuedRun): Promise<void>;
  /** What the student types into a running interactive run (whole lines), or Ctrl-D. */
  type(run: QueuedRun, input: { data?: string; eof?: boolean; edited?: string }): Promise<void>;
}

export function commandRunnerHarness(
  driver: ClusterDriver,
  env: Record<string, string> = {},
): CommandRunnerHarness {
  const config = parseConfig(env);
  const sessions = new InMemoryLabSessionRepository();
  const clusters = new InMemoryClusterRepository(sessions);
  const runs = new InMemoryCommandRunRepository();
  const mailbox = new InMemorySessionMailboxRepository();
  const jobs = new InMemoryWorkerJobsRepository();
  const signals = new InMemoryRunSignalsRepository();
  const events = new RecordingEventRepository();
  const queue = new InlineJobRepository();
  const grading = new RecordingGrading();
  const redis = new InMemoryRedisRepository();
  // The in-memory classes implement the methods these services call (checked in their declarations).
  const epochs = new ClusterEpochService(config, redis as unknown as RedisRepository);
  const lifecycle = new ClusterLifecycleService(
    config,
    driver,
    clusters as unknown as ClusterRepository,
    sessions as unknown as LabSessionRepository,
    queue as unknown as SessionRouter,
    events as unknown as EventRepository,
    epochs,
    jobs as unknown as SessionJobsRepository,
    signals as unknown as RunSignalsRepository,
  );
  queue.runWith(lifecycle.jobHandlers());
  const lookup = new ClusterLookupService(
    driver,
    clusters as unknown as ClusterRepository,
    lifecycle,
    epochs,
  );
  const held = new HeldRecords({ retryMs: 10 });
  const ledger = new RunLedger(
    runs as unknown as CommandRunRepository,
    jobs as unknown as SessionJobsRepository,
    events as unknown as EventRepository,
    held,
  );
  const homeRows = new InMemoryHomeRepository();
  const buffers = new InMemoryEditorBuffersRepository();
  // No labs are loaded (onModuleInit reads labs/): sessions start with the default starter files.
  const catalog = new LabCatalogService(
    config,
    undefined as unknown as LabRepository,
    undefined as unknown as CourseScheduleRepository,
  );
  const homes = new HomeStoreService(
    homeRows as unknown as HomeRepository,
    sessions as unknown as LabSessionRepository,
    catalog,
    events as unknown as EventRepository,
  );
  const runner = new CommandRunnerService(
    config,
    driver,
    lookup,
    sessions as unknown as LabSessionRepository,
    runs as unknown as CommandRunRepository,
    mailbox as unknown as SessionMailboxRepository,
    jobs as unknown as SessionJobsRepository,
    signals as unknown as RunSignalsRepository,
    ledger,
    events as unknown as EventRepository,
    grading as unknown as GradingService,
    homes,
    buffers as unknown as EditorBuffersRepository,
    held,
    // One worker, no directory: placement is the worker directory's and SessionRouter's business (their specs).
    { workerId: randomUUID() } as WorkerPresenceService,
    { hold: () => () => undefined } as unknown as SessionPlacementService,
  );
  const seqs = new Map<string, number>();
  return {
    config,
    held,
    sessions,
    clusters,
    runs,
    mailbox,
    jobs,
    signals,
    events,
    queue,
    grading,
    ledger,
    lifecycle,
    runner,
    homeRows,
    homes,
    buffers,
    session: () => sessions.add(),
    async submit(session, line) {
      const seq = (seqs.get(session.id) ?? 0) + 1;
      seqs.set(session.id, seq);
      const run: QueuedRun = {
        id: randomUUID(),
        labSessionId: session.id,
        userId: session.userId,
        seq,
        command: line,
        kind: planRun(line).kind,
        queuedAt: new Date(),
      };
      await runs.recordQueued(run);
      await mailbox.post(session.id, seq, {
        runId: run.id,
        command: run.command,
        userId: run.userId,
        queuedAt: run.queuedAt.toISOString(),
      });
      return run;
    },
    async cancel(run) {
      if (await mailbox.withdraw(run.labSessionId, run.id)) {
        await ledger.end(
          { id: run.id, labSessionId: run.labSessionId, kind: run.kind, exclusive: true },
          { kind: 'cancelled' },
        );
        return;
      }
      await signals.send({ type: 'stop', runId: run.id, reason: 'cancel' });
    },
    type: (run, input) => signals.send({ type: 'input', runId: run.id, ...input }),
  };
}
