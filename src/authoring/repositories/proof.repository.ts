import { Injectable } from '@nestjs/common';
import type { LabProof, Prisma } from '../../infra/database/generated/client';
import { DatabaseRepository } from '../../repositories/database.repository';
import type { ProofState, ProofStep } from '../../shared/authoring-api';

export type { LabProof };

@Injectable()
export class ProofRepository {
  constructor(private readonly db: DatabaseRepository) {}

  create(draftId: string, revision: number): Promise<LabProof> {
    return this.db.client.labProof.create({ data: { draftId, revision } });
  }

  findById(id: string): Promise<LabProof | null> {
    return this.db.client.labProof.findUnique({ where: { id } });
  }

  /** The newest proof of one revision of a draft. */
  latestOf(draftId: string, revision: number): Promise<LabProof | null> {
    return this.db.client.labProof.findFirst({
      where: { draftId, revision },
      orderBy: { createdAt: 'desc' },
    });
  }

  async setState(id: string, state: ProofState, message?: string): Promise<void> {
    const finished = state === 'passed' || state === 'failed';
    await this.db.client.labProof.update({
      where: { id },
      data: { state, message: message ?? null, ...(finished ? { finishedAt: new Date() } : {}) },
    });
  }

  async setSteps(id: string, steps: ProofStep[]): Promise<void> {
    await this.db.client.labProof.update({
      where: { id },
      data: { steps: steps as unknown as Prisma.InputJsonValue },
    });
  }
}
