import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClusterDriver } from '../clusters/cluster-driver';
import { CLUSTER_DRIVER } from '../clusters/cluster-driver.provider';
import { JobItem, JobName, labSessionOf } from '../jobs/job.types';
import { ClusterRepository } from '../repositories/cluster.repository';
import { JobRepository } from '../repositories/job.repository';
import { SessionPlacementService } from './session-placement.service';

/**
 * Where a lab session's jobs go: the one way every job of a session is queued, so none can miss its worker.
 * - Clusters that live in a worker's memory (`clustersLiveIn: 'process'`, the embedded engine): every job of the
 *   session (commands, gradings, provisioning, stopping) goes to the queues of the worker the session is placed on.
 * - Clusters that live on a Docker host (`'host'`): a session's commands go to the queue of the workers beside its
 *   cluster's host, the rest to the shared queues (any worker reaches the host).
 * Jobs of no session (lab authoring) and jobs queued while no worker is live go to the shared queues.
 */
@Injectable()
export class SessionRouter {
  private readonly logger = new Logger('SessionRouter');

  constructor(
    @Inject(CLUSTER_DRIVER) private readonly driver: ClusterDriver,
    private readonly jobs: JobRepository,
    private readonly placement: SessionPlacementService,
    private readonly clusters: ClusterRepository,
  ) {}

  /**
   * The queue target of a job (a worker id or a host id; undefined: the shared queue). A caller on a hot path may
   * start it early, beside its own Redis reads, and hand it to `queue`.
   */
  targetOf(item: JobItem): Promise<string | undefined> {
    return this.targetFor(item.name, labSessionOf(item));
  }

  /** As targetOf, for a job of the session about to be made (the terminal starts it before the run has an id). */
  targetFor(name: JobName, labSessionId: string | undefined): Promise<string | undefined> {
    if (!labSessionId) return Promise.resolve(undefined);
    if (this.driver.capabilities.clustersLiveIn === 'host') {
      return name === JobName.CommandRun ? this.hostOf(labSessionId) : Promise.resolve(undefined);
    }
    return this.placement.workerFor(labSessionId);
  }

  async queue(item: JobItem, target: Promise<string | undefined> = this.targetOf(item)): Promise<void> {
    await this.jobs.queue(item, await target);
  }

  /**
   * Moves the jobs still waiting on a worker's own queues to their sessions' workers now (the worker left or died and
   * is out of the directory, so placement picks another). Answers how many moved. A drain that is lost on the way (a
   * crash between removal and queueing) is queued again by housekeeping: the mailbox holds the commands.
   */
  async moveWaitingOf(workerId: string): Promise<number> {
    const moved = await this.jobs.takeWaiting(workerId, (item) => this.queue(item));
    if (moved > 0) this.logger.log({ msg: 'waiting jobs moved', from: workerId, moved });
    return moved;
  }

  /** Deletes a gone worker's own queues (after its waiting jobs moved). */
  removeQueuesOf(workerId: string): Promise<void> {
    return this.jobs.removeQueuesOf(workerId);
  }

  /** The host whose workers run the session's commands, when its cluster is ready there. */
  private async hostOf(labSessionId: string): Promise<string | undefined> {
    const cluster = await this.clusters.liveForSession(labSessionId);
    return cluster?.status === 'ready' && cluster.host ? cluster.host : undefined;
  }
}
