import { Injectable } from '@nestjs/common';
import { SessionPlacementService } from '../placement/session-placement.service';
import { WorkerDirectoryRepository } from '../placement/worker-directory.repository';

/** A worker's internal relay: where it serves the Kubernetes API of the clusters it runs, and its shared secret. */
export interface RelayAddress {
  workerId: string;
  url: string;
  secret: string;
}

/**
 * Which worker serves which session's Kubernetes API: the worker the session is placed on (SessionPlacementService),
 * whose relay its heartbeat announces (WorkerDirectoryRepository). So the API and the terminal's commands meet the
 * same in-memory cluster, and a session's watches see its commands' writes.
 */
@Injectable()
export class RelayDirectoryRepository {
  constructor(
    private readonly workers: WorkerDirectoryRepository,
    private readonly placement: SessionPlacementService,
  ) {}

  /** The relay of the session's worker; undefined when no live worker serves the API. */
  async relayFor(labSessionId: string): Promise<RelayAddress | undefined> {
    const [live, workerId] = await Promise.all([this.workers.live(), this.placement.workerFor(labSessionId)]);
    const relay = live.find((worker) => worker.workerId === workerId)?.relay;
    return relay && workerId ? { workerId, ...relay } : undefined;
  }

  /**
   * The session's relay did not answer: the list of live workers is read afresh next time (a worker that died is
   * then out of it once its heartbeat lapses, and its sessions are placed on another).
   */
  async forget(labSessionId: string, workerId: string): Promise<void> {
    void labSessionId;
    void workerId;
    this.workers.forgetCachedList();
  }
}
