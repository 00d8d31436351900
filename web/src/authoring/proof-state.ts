import type { ProofEvent, ProofStepResult, ProofView, ProofState } from './authoring-types';

/** The latest proof of the draft as the page shows it, built from `authoring.proof` events and GET /proofs/:id. */
export interface ProofProgress {
  proofId: string;
  revision: number;
  state: ProofState;
  /** Per-step results in step order (a result replaces an earlier one of the same index). */
  steps: ProofStepResult[];
  total?: number;
  message?: string;
}

export function proofFromView(view: ProofView): ProofProgress {
  return {
    proofId: view.proofId,
    revision: view.revision,
    state: view.state,
    steps: [...view.steps].sort((a, b) => a.index - b.index),
    total: view.steps[0]?.total,
    message: view.message,
  };
}

const FINAL: ProofState[] = ['passed', 'failed'];

/** Folds one event in. A newer proof (another id) replaces the shown one; a final state is never undone. */
export function applyProofEvent(current: ProofProgress | undefined, event: ProofEvent): ProofProgress {
  const base: ProofProgress =
    current && current.proofId === event.proofId
      ? current
      : { proofId: event.proofId, revision: event.revision, state: event.state, steps: [] };
  const state = FINAL.includes(base.state) && !FINAL.includes(event.state) ? base.state : event.state;
  const steps = event.step
    ? [...base.steps.filter((step) => step.index !== event.step?.index), event.step].sort(
        (a, b) => a.index - b.index,
      )
    : base.steps;
  return { ...base, state, steps, total: event.step?.total ?? base.total };
}

/** Merges the fetched view with events that arrived first (the page may learn the id after its first events). */
export function mergeProofView(current: ProofProgress | undefined, view: ProofView): ProofProgress {
  const fetched = proofFromView(view);
  if (!current || current.proofId !== view.proofId) return fetched;
  // Whichever side already knows the final state wins; step results are the union (an event's is newest).
  const state = FINAL.includes(current.state) ? current.state : fetched.state;
  return {
    ...fetched,
    state,
    steps: mergeSteps(fetched.steps, current.steps),
    total: fetched.total ?? current.total,
  };
}

function mergeSteps(a: ProofStepResult[], b: ProofStepResult[]): ProofStepResult[] {
  const byIndex = new Map(a.map((step) => [step.index, step]));
  for (const step of b) byIndex.set(step.index, step);
  return [...byIndex.values()].sort((x, y) => x.index - y.index);
}

export type PublishBlock = 'unsaved' | 'problems' | 'noProof' | 'proofRunning' | 'proofFailed' | 'proofStale';

/** Why "Publish" is disabled, or undefined when the current revision's proof passed. */
export function publishBlock(input: {
  revision: number;
  unsaved: boolean;
  problems: number;
  proof?: ProofProgress;
}): PublishBlock | undefined {
  if (input.unsaved) return 'unsaved';
  if (input.problems > 0) return 'problems';
  const proof = input.proof;
  if (!proof) return 'noProof';
  if (proof.revision !== input.revision) return 'proofStale';
  if (proof.state === 'queued' || proof.state === 'running') return 'proofRunning';
  if (proof.state === 'failed') return 'proofFailed';
  return undefined;
}
