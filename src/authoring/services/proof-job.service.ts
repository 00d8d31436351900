import { Injectable, Logger } from '@nestjs/common';
import { JobHandlerProvider, JobName, JobPayloads } from '../../jobs/job.types';
import { EventRepository } from '../../repositories/event.repository';
import type { LabFileMap, ProofStep } from '../../shared/authoring-api';
import { draftRoom, ProofProgress } from '../../shared/events';
import { runProof } from '../proof/run-proof';
import { proofTimeoutMs } from '../proof/proof-settings';
import { DraftRepository } from '../repositories/draft.repository';
import { ProofRepository } from '../repositories/proof.repository';
import { validateLabFiles } from '../validation/validate-lab-files';

/**
 * The worker's side of a proof: loads the draft revision, runs its self-test in a thread bounded to
 * 60 s (run-proof.ts, proof-settings.ts), records and streams each step to the draft's room, then the verdict. A proof that
 * fails for any reason ends as `failed` with a message; the job itself never throws, so the worker
 * goes on with its other jobs.
 */
@Injectable()
export class ProofJobService implements JobHandlerProvider {
  private readonly logger = new Logger('Proofs');
  private readonly timeoutMs = proofTimeoutMs();

  constructor(
    private readonly proofs: ProofRepository,
    private readonly drafts: DraftRepository,
    private readonly events: EventRepository,
  ) {}

  jobHandlers() {
    return { [JobName.LabProve]: (data: JobPayloads[JobName.LabProve]) => this.prove(data.proofId) };
  }

  async prove(proofId: string): Promise<void> {
    const proof = await this.proofs.findById(proofId);
    if (!proof || proof.state === 'passed' || proof.state === 'failed') return;
    const draft = await this.drafts.findById(proof.draftId);
    const base = { proofId, draftId: proof.draftId, revision: proof.revision };
    const emit = (progress: Omit<ProofProgress, keyof typeof base>) =>
      this.events.emit(draftRoom(proof.draftId), 'authoring.proof', { ...base, ...progress });
    const fail = async (message: string) => {
      await this.proofs.setState(proofId, 'failed', message);
      emit({ state: 'failed', message });
    };
    if (!draft) return;
    if (draft.revision !== proof.revision)
      return fail(
        `The draft changed (now revision ${draft.revision}) before this proof ran; prove it again.`,
      );
    const { lab, problems } = validateLabFiles(draft.labId, draft.files as LabFileMap);
    if (!lab) return fail(`The lab does not load: ${problems[0]?.message ?? 'unknown problem'}`);

    await this.proofs.setState(proofId, 'running');
    emit({ state: 'running' });
    const steps: ProofStep[] = [];
    // Steps are recorded in order, one write at a time, while the thread runs on.
    let recorded = Promise.resolve();
    const outcome = await runProof(lab, {
      timeoutMs: this.timeoutMs,
      onStep: (step) => {
        steps.push(step);
        const snapshot = [...steps];
        recorded = recorded.then(() => this.proofs.setSteps(proofId, snapshot)).catch(() => undefined);
        emit({ state: 'running', step });
      },
    });
    await recorded;
    await this.proofs.setSteps(proofId, steps);
    this.logger.log({ msg: 'proof finished', proofId, labId: lab.id, state: outcome.state });
    if (outcome.state === 'passed') {
      await this.proofs.setState(proofId, 'passed');
      emit({ state: 'passed' });
    } else {
      await fail(outcome.message ?? 'The self-test failed.');
    }
  }
}
