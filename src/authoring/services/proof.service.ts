import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { JobName } from '../../jobs/job.types';
import { EventRepository } from '../../repositories/event.repository';
import { JobRepository } from '../../repositories/job.repository';
import type { AuthUser } from '../../services/auth.service';
import type { LabFileMap, Proof, ProofStep } from '../../shared/authoring-api';
import { draftRoom } from '../../shared/events';
import { LabProof, ProofRepository } from '../repositories/proof.repository';
import { validateLabFiles } from '../validation/validate-lab-files';
import { AuthoringAccessService } from './authoring-access.service';

export function proofView(proof: LabProof): Proof {
  return {
    proofId: proof.id,
    draftId: proof.draftId,
    revision: proof.revision,
    state: proof.state,
    steps: proof.steps as unknown as ProofStep[],
    ...(proof.message ? { message: proof.message } : {}),
  };
}

/** Asking for a proof of a draft's current revision (the worker runs it: ProofJobService) and reading it. */
@Injectable()
export class ProofService {
  constructor(
    private readonly access: AuthoringAccessService,
    private readonly proofs: ProofRepository,
    private readonly jobs: JobRepository,
    private readonly events: EventRepository,
  ) {}

  async request(user: AuthUser, draftId: string): Promise<{ proofId: string }> {
    const draft = await this.access.draftFor(user, draftId);
    // A lab that does not load has nothing to prove: the author sees why at once, no job is queued.
    const { problems } = validateLabFiles(draft.labId, draft.files as LabFileMap);
    if (problems.length > 0)
      throw new BadRequestException({
        statusCode: 400,
        code: 'draft_invalid',
        message: 'Fix the problems of the draft before proving it.',
        problems,
      });
    const proof = await this.proofs.create(draft.id, draft.revision);
    await this.jobs.queue({ name: JobName.LabProve, data: { proofId: proof.id } });
    this.events.emit(draftRoom(draft.id), 'authoring.proof', {
      proofId: proof.id,
      draftId: draft.id,
      revision: draft.revision,
      state: 'queued',
    });
    return { proofId: proof.id };
  }

  async get(user: AuthUser, proofId: string): Promise<Proof> {
    const proof = UUID.test(proofId) ? await this.proofs.findById(proofId) : null;
    if (!proof) throw new NotFoundException('Proof not found.');
    await this.access.draftFor(user, proof.draftId).catch(() => {
      throw new NotFoundException('Proof not found.');
    });
    return proofView(proof);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
