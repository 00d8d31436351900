import { Injectable } from '@nestjs/common';
import type { KubeApiCertificate, KubeApiToken } from '../infra/database/generated/client';
import type { JobName, JobPayloads } from '../jobs/job.types';
import { DatabaseRepository } from '../repositories/database.repository';

/** Why a cluster stops when its session ends (its time limit, or the lab finished), as its record keeps it. */
const SESSION_END_REASONS: JobPayloads[JobName.ClusterStop]['reason'][] = ['deadline', 'finished'];

export type { KubeApiCertificate, KubeApiToken };
export type KubeApiTokenRole = KubeApiToken['role'];

/** Kubernetes API tokens (ids and whom they are for, never a secret) and the listener's certificate. */
@Injectable()
export class KubeApiTokenRepository {
  constructor(private readonly db: DatabaseRepository) {}

  findById(id: string): Promise<KubeApiToken | null> {
    return this.db.client.kubeApiToken.findUnique({ where: { id } });
  }

  /** The user's token of the session that is not revoked, newest first. */
  current(labSessionId: string, userId: string, role: KubeApiTokenRole): Promise<KubeApiToken | null> {
    return this.db.client.kubeApiToken.findFirst({
      where: { labSessionId, userId, role, revokedAt: null },
      orderBy: { createdAt: 'desc' },
    });
  }

  /**
   * Whether the session ended at or after `since`: a cluster of it was stopped because the session reached its
   * time limit or the lab finished. (A session goes on after that with a new cluster and a new time limit, so the
   * session's status alone cannot say it.)
   */
  async sessionEndedSince(labSessionId: string, since: Date): Promise<boolean> {
    const stopped = await this.db.client.cluster.findFirst({
      where: { labSessionId, error: { in: SESSION_END_REASONS }, stoppedAt: { gte: since } },
      select: { id: true },
    });
    return stopped !== null;
  }

  /** Revokes the user's tokens of the session and makes a new one, in one transaction. */
  async replace(labSessionId: string, userId: string, role: KubeApiTokenRole): Promise<KubeApiToken> {
    const [, created] = await this.db.client.$transaction([
      this.db.client.kubeApiToken.updateMany({
        where: { labSessionId, userId, role, revokedAt: null },
        data: { revokedAt: new Date() },
      }),
      this.db.client.kubeApiToken.create({ data: { labSessionId, userId, role } }),
    ]);
    return created;
  }

  findCertificate(id: string): Promise<KubeApiCertificate | null> {
    return this.db.client.kubeApiCertificate.findUnique({ where: { id } });
  }

  /** Keeps the first certificate written under `id`: API processes starting together all end up with it. */
  async keepFirstCertificate(
    certificate: Omit<KubeApiCertificate, 'createdAt'>,
  ): Promise<KubeApiCertificate> {
    await this.db.client.kubeApiCertificate.createMany({ data: [certificate], skipDuplicates: true });
    return (await this.findCertificate(certificate.id)) as KubeApiCertificate;
  }
}
