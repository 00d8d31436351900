import { Injectable } from '@nestjs/common';
import type { Cluster, ClusterStatus, Prisma } from '../infra/database/generated/client';
import { DatabaseRepository } from './database.repository';

export type { Cluster, ClusterStatus };

/** Statuses of a cluster that still holds (or is about to hold) resources. */
export const LIVE_CLUSTER_STATUSES: ClusterStatus[] = ['requested', 'provisioning', 'ready'];

@Injectable()
export class ClusterRepository {
  constructor(private readonly db: DatabaseRepository) {}

  create(input: { labSessionId: string; driver: string; snapshot?: string | null }): Promise<Cluster> {
    return this.db.client.cluster.create({
      data: { ...input, snapshotAt: input.snapshot ? new Date() : null },
    });
  }

  findById(id: string): Promise<Cluster | null> {
    return this.db.client.cluster.findUnique({ where: { id } });
  }

  /** The session's newest cluster, live or not. */
  latestForSession(labSessionId: string): Promise<Cluster | null> {
    return this.db.client.cluster.findFirst({ where: { labSessionId }, orderBy: { createdAt: 'desc' } });
  }

  liveForSession(labSessionId: string): Promise<Cluster | null> {
    return this.db.client.cluster.findFirst({
      where: { labSessionId, status: { in: LIVE_CLUSTER_STATUSES } },
      orderBy: { createdAt: 'desc' },
    });
  }

  countLive(filter: { userId?: string } = {}): Promise<number> {
    return this.db.client.cluster.count({
      where: {
        status: { in: LIVE_CLUSTER_STATUSES },
        labSession: filter.userId ? { userId: filter.userId } : undefined,
      },
    });
  }

  listLive(): Promise<Cluster[]> {
    return this.db.client.cluster.findMany({ where: { status: { in: LIVE_CLUSTER_STATUSES } } });
  }

  /** Moves a cluster to `status` only if it is in one of `from`; false when another actor got there first. */
  async transition(
    id: string,
    from: ClusterStatus[],
    status: ClusterStatus,
    extra: Partial<Pick<Cluster, 'error' | 'readyAt' | 'stoppedAt' | 'host'>> & {
      attachState?: Record<string, unknown>;
      snapshot?: string | null;
    } = {},
  ): Promise<boolean> {
    const { attachState, snapshot, ...rest } = extra;
    const { count } = await this.db.client.cluster.updateMany({
      where: { id, status: { in: from } },
      data: {
        ...rest,
        status,
        attachState: attachState as Prisma.InputJsonValue | undefined,
        ...(snapshot !== undefined ? { snapshot, snapshotAt: new Date() } : {}),
      },
    });
    return count === 1;
  }

  /** Clusters still waiting to be provisioned since before `olderThan` (their job may have been lost). */
  listPending(olderThan: Date): Promise<Cluster[]> {
    return this.db.client.cluster.findMany({
      where: { status: { in: ['requested', 'provisioning'] }, createdAt: { lte: olderThan } },
      take: 200,
    });
  }

  async saveSnapshot(id: string, snapshot: string): Promise<void> {
    await this.db.client.cluster.update({ where: { id }, data: { snapshot, snapshotAt: new Date() } });
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
