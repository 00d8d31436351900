import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { JobName } from '../jobs/job.types';
import { CommandRunRepository } from '../repositories/command-run.repository';
import { RunLedger } from '../commands/run-ledger';
import { SessionJobsRepository } from '../repositories/session-jobs.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { SessionMailboxRepository } from '../repositories/session-mailbox.repository';
import { ClusterMaintenanceService } from './cluster-maintenance.service';
import { CommandRunnerService } from '../commands/command-runner.service';
import { SessionRouter } from '../placement/session-router.service';
import { WORKER_TTL_MS, WorkerDirectoryRepository } from '../placement/worker-directory.repository';
import { RecordRetentionService } from './record-retention.service';

const SWEEP_INTERVAL_MS = 2000;
/** A queued command older than this that is in no mailbox was lost (Redis restarted): post it again. */
const LOST_AFTER_MS = 3000;
/** A cluster requested this long ago and still not ready has probably lost its provisioning job. */
const STUCK_PROVISION_MS = 15_000;
const RECONCILE_INTERVAL_MS = 60_000;
/**
 * A worker silent this long is gone for good: past its TTL, and past the second for which other processes may still
 * list it as live (their cached lists), so nothing is queued for it any more once its queues are emptied.
 */
const GONE_AFTER_MS = WORKER_TTL_MS + 2000;

/**
 * Repairs what crashes and restarts leave behind, from the database's point of view:
 * - a run in flight whose session lock has lapsed belonged to a dead worker: it ends as interrupted;
 * - a queued run missing from its mailbox (Redis lost its data) is posted again and its drain re-queued,
 *   and one still waiting with no drain at work gets its drain queued again;
 * - clusters past their idle expiry or hard deadline are stopped, with a warning shortly before;
 * - a worker whose heartbeat lapsed (killed) has the jobs waiting on its own queues moved to their sessions' new
 *   workers, and its queues removed;
 * - outputs of sessions idle past RECORDS_RETENTION_DAYS are trimmed, a few batches a sweep (RecordRetentionService).
 * One worker at a time sweeps (a short Redis lease); every step is safe to repeat.
 */
@Injectable()
export class HousekeepingService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Housekeeping');
  private readonly identity = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;
  /** 0: reconcile on the first sweep after start-up. */
  private lastReconcile = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: CommandRunRepository,
    private readonly mailbox: SessionMailboxRepository,
    private readonly router: SessionRouter,
    private readonly workers: WorkerDirectoryRepository,
    private readonly redis: RedisRepository,
    private readonly ledger: RunLedger,
    private readonly sessionJobs: SessionJobsRepository,
    private readonly clusters: ClusterMaintenanceService,
    private readonly runner: CommandRunnerService,
    private readonly retention: RecordRetentionService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.runner.abortAll();
  }

  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const key = `${this.config.redisPrefix}:housekeeping`;
      if (!(await this.redis.setIfAbsent(key, this.identity, SWEEP_INTERVAL_MS - 100))) return;
      await this.endOrphanedRuns();
      await this.moveJobsOfGoneWorkers();
      await this.repostLostRuns();
      await this.clusters.requeueStuck(STUCK_PROVISION_MS);
      if (Date.now() - this.lastReconcile > RECONCILE_INTERVAL_MS) {
        this.lastReconcile = Date.now();
        const report = await this.clusters.reconcile();
        if (report.removed.length + report.missing.length > 0)
          this.logger.log({ msg: 'reconciled', ...report });
      }
      await this.clusters.sweep((clusterId) => this.firstWarning(clusterId));
      // Last, and a few short batches at most: trimming old outputs never delays the repairs above.
      await this.retention.step();
    } catch (error) {
      // Redis or the database is down: the next sweep tries again.
      this.logger.warn({
        msg: 'sweep skipped',
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * Runs whose worker died mid-command: a foreground run in flight whose drain lock has lapsed, and
   * a background job whose worker's heartbeat has. They end as interrupted (the ledger tells the client).
   */
  private async endOrphanedRuns(): Promise<void> {
    for (const { labSessionId, runId } of await this.mailbox.inFlight()) {
      if (this.runner.isRunningHere(runId) || (await this.mailbox.isLocked(labSessionId))) continue;
      try {
        const ended = await this.ledger.end(
          // An interactive run holds the drain lock too; its kind only decides what the exit says.
          { id: runId, labSessionId, kind: 'foreground' },
          { kind: 'interrupted', reason: 'worker-died' },
        );
        this.logger.warn({ msg: ended ? 'run interrupted' : 'run in flight had ended', runId, labSessionId });
        await this.mailbox.forgetInFlight(labSessionId, runId);
        // Commands queued behind it still wait in the mailbox.
        await this.router.queue({ name: JobName.CommandRun, data: { labSessionId, runId } });
      } catch (error) {
        // As for background jobs below: one run that cannot be ended now must not hold up the others.
        this.logger.warn({ msg: 'run in flight not ended yet', runId, error: String(error) });
      }
    }
    const alive = new Map<string, boolean>();
    for (const { runId, labSessionId, workerId } of await this.sessionJobs.inFlight()) {
      if (this.runner.isRunningHere(runId)) continue;
      if (!alive.has(workerId)) alive.set(workerId, await this.workers.isAlive(workerId));
      if (alive.get(workerId)) continue;
      try {
        await this.ledger.end(
          { id: runId, labSessionId, kind: 'background' },
          { kind: 'interrupted', reason: 'worker-died' },
        );
        // Ended already (or never recorded): the job is taken out of the table all the same.
        await this.sessionJobs.end(labSessionId, runId);
        this.logger.warn({ msg: 'background job interrupted', runId, labSessionId });
      } catch (error) {
        // One job that cannot be ended now must not hold up the others: the next sweep tries again.
        this.logger.warn({ msg: 'background job not ended yet', runId, error: String(error) });
      }
    }
  }

  /**
   * Workers that died (their heartbeat lapsed): the jobs waiting on their own queues go to their sessions' new
   * workers, then the queues and the directory entry are removed. Their runs in flight end above (interrupted).
   */
  private async moveJobsOfGoneWorkers(): Promise<void> {
    const now = Date.now();
    for (const worker of await this.workers.all()) {
      if (now - worker.at < GONE_AFTER_MS) continue;
      this.workers.forgetCachedList();
      await this.router.moveWaitingOf(worker.workerId);
      await this.router.removeQueuesOf(worker.workerId);
      await this.workers.withdraw(worker.workerId);
      this.logger.warn({ msg: 'gone worker removed', workerId: worker.workerId, lastBeat: worker.at });
    }
  }

  private async repostLostRuns(): Promise<void> {
    const queued = await this.runs.listOpen(['queued'], new Date(Date.now() - LOST_AFTER_MS));
    const waitingBySession = new Map<string, Set<string>>();
    for (const run of queued) {
      let waiting = waitingBySession.get(run.labSessionId);
      if (!waiting) {
        waiting = new Set(await this.mailbox.waiting(run.labSessionId));
        waitingBySession.set(run.labSessionId, waiting);
      }
      // A live drain owns its session; entries it has taken are no longer in the mailbox but not lost.
      if (await this.mailbox.isLocked(run.labSessionId)) continue;
      if (waiting.has(run.id)) {
        // Waiting with no drain at work: its job was lost (Redis lost it, or queueing failed).
        await this.router.queue({
          name: JobName.CommandRun,
          data: { labSessionId: run.labSessionId, runId: run.id },
        });
        continue;
      }
      await this.mailbox.post(run.labSessionId, run.seq, {
        runId: run.id,
        command: run.command,
        userId: run.userId,
      });
      await this.router.queue({
        name: JobName.CommandRun,
        data: { labSessionId: run.labSessionId, runId: run.id },
      });
      this.logger.warn({ msg: 'lost command posted again', runId: run.id, labSessionId: run.labSessionId });
    }
  }

  /** True only the first time a cluster is warned about, so the student sees one warning. */
  private async firstWarning(clusterId: string): Promise<boolean> {
    const key = `${this.config.redisPrefix}:idle-warned:${clusterId}`;
    return this.redis.setIfAbsent(key, '1', this.config.clusters.idleWarningMinutes * 60_000);
  }
}
