import { Injectable } from '@nestjs/common';
import type { ClusterRef } from '../clusters/cluster-driver';
import type { Cluster, ClusterStatus, Prisma } from '../infra/database/generated/client';
import { DatabaseRepository, SqlStatement } from './database.repository';

export type { Cluster, ClusterStatus };

/** A cluster row without its snapshot text (tens of KiB), which the hot path rarely needs. */
export type ClusterSummary = Omit<Cluster, 'snapshot'>;
const WITHOUT_SNAPSHOT = { snapshot: false } as const;
const SAVE_SNAPSHOT: SqlStatement = {
  name: 'cluster.save-snapshot',
  text: 'UPDATE clusters SET snapshot = $2, snapshot_version = $3, snapshot_at = $4 WHERE id = $1',
};

/** Statuses of a cluster that still holds (or is about to hold) resources. */
export const LIVE_CLUSTER_STATUSES: ClusterStatus[] = ['requested', 'provisioning', 'ready'];

@Injectable()
export class ClusterRepository {
  constructor(private readonly db: DatabaseRepository) {}

  create(input: {
    labSessionId: string;
    driver: string;
    snapshot?: string | null;
    snapshotVersion?: string | null;
  }): Promise<Cluster> {
    return this.db.client.cluster.create({
      data: { ...input, snapshotAt: input.snapshot ? new Date() : null },
    });
  }

  findById(id: string): Promise<Cluster | null> {
    return this.db.client.cluster.findUnique({ where: { id } });
  }

  findSummary(id: string): Promise<ClusterSummary | null> {
    return this.db.client.cluster.findUnique({ where: { id }, omit: WITHOUT_SNAPSHOT });
  }

  /** The session's newest cluster, live or not. */
  latestForSession(labSessionId: string): Promise<ClusterSummary | null> {
    return this.db.client.cluster.findFirst({
      where: { labSessionId },
      orderBy: { createdAt: 'desc' },
      omit: WITHOUT_SNAPSHOT,
    });
  }

  liveForSession(labSessionId: string): Promise<ClusterSummary | null> {
    return this.db.client.cluster.findFirst({
      where: { labSessionId, status: { in: LIVE_CLUSTER_STATUSES } },
      orderBy: { createdAt: 'desc' },
      omit: WITHOUT_SNAPSHOT,
    });
  }

  /** What a driver needs to reach the cluster of this record; its snapshot is read only if the driver asks. */
  refOf(cluster: ClusterSummary): ClusterRef {
    return {
      clusterId: cluster.id,
      attachState: (cluster.attachState ?? {}) as Record<string, unknown>,
      snapshotVersion: cluster.snapshotVersion,
      loadSnapshot: () => this.loadSnapshot(cluster.id),
    };
  }

  async loadSnapshot(id: string): Promise<string | null> {
    const row = await this.db.client.cluster.findUnique({ where: { id }, select: { snapshot: true } });
    return row?.snapshot ?? null;
  }

  countLive(filter: { userId?: string } = {}): Promise<number> {
    return this.db.client.cluster.count({
      where: {
        status: { in: LIVE_CLUSTER_STATUSES },
        labSession: filter.userId ? { userId: filter.userId } : undefined,
      },
    });
  }

  /** Every live cluster, without its snapshot (reconciling reads them all at once). */
  listLive(): Promise<ClusterSummary[]> {
    return this.db.client.cluster.findMany({
      where: { status: { in: LIVE_CLUSTER_STATUSES } },
      omit: WITHOUT_SNAPSHOT,
    });
  }

  /** Moves a cluster to `status` only if it is in one of `from`; false when another actor got there first. */
  async transition(
    id: string,
    from: ClusterStatus[],
    status: ClusterStatus,
    extra: Partial<Pick<Cluster, 'error' | 'readyAt' | 'stoppedAt' | 'host'>> & {
      attachState?: Record<string, unknown>;
      snapshot?: { data: string; version: string };
    } = {},
  ): Promise<boolean> {
    const { attachState, snapshot, ...rest } = extra;
    const { count } = await this.db.client.cluster.updateMany({
      where: { id, status: { in: from } },
      data: {
        ...rest,
        status,
        attachState: attachState as Prisma.InputJsonValue | undefined,
        ...(snapshot
          ? { snapshot: snapshot.data, snapshotVersion: snapshot.version, snapshotAt: new Date() }
          : {}),
      },
    });
    return count === 1;
  }

  /** Clusters still waiting to be provisioned since before `olderThan` (their job may have been lost). */
  listPending(olderThan: Date): Promise<ClusterSummary[]> {
    return this.db.client.cluster.findMany({
      where: { status: { in: ['requested', 'provisioning'] }, createdAt: { lte: olderThan } },
      take: 200,
      omit: WITHOUT_SNAPSHOT,
    });
  }

  /** Runs after every command that changed a cluster: plain SQL, and the text is not read back. */
  async saveSnapshot(id: string, snapshot: { data: string; version: string }): Promise<void> {
    await this.db.sql(SAVE_SNAPSHOT, [id, snapshot.data, snapshot.version, new Date()]);
  }

  /** Live clusters whose session has gone idle or passed its hard deadline. */
  listExpiring(
    before: Date,
  ): Promise<(Cluster & { idleExpiresAt: Date | null; hardDeadlineAt: Date | null })[]> {
    return this.db.client.cluster
      .findMany({
        where: {
          status: 'ready',
          labSession: { OR: [{ idleExpiresAt: { lte: before } }, { hardDeadlineAt: { lte: before } }] },
        },
        include: { labSession: { select: { idleExpiresAt: true, hardDeadlineAt: true } } },
        omit: WITHOUT_SNAPSHOT,
      })
      .then((rows) =>
        rows.map(({ labSession, ...cluster }) => ({
          ...cluster,
          idleExpiresAt: labSession.idleExpiresAt,
          hardDeadlineAt: labSession.hardDeadlineAt,
        })),
      );
  }
}
