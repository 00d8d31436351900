import type { ProofEvent } from './authoring-types';
import { applyProofEvent, mergeProofView, ProofProgress, publishBlock } from './proof-state';

const event = (over: Partial<ProofEvent>): ProofEvent => ({
  proofId: 'p1',
  draftId: 'd1',
  revision: 7,
  state: 'running',
  ...over,
});
const step = (index: number, outcome: 'passed' | 'failed' = 'passed') => ({
  id: `s${index}`,
  index,
  total: 3,
  outcome,
});

describe('proof progress', () => {
  it('collects step results in order as they stream in', () => {
    let proof: ProofProgress | undefined;
    proof = applyProofEvent(proof, event({ state: 'queued' }));
    proof = applyProofEvent(proof, event({ step: step(1) }));
    proof = applyProofEvent(proof, event({ step: step(0) }));
    expect(proof.steps.map((s) => s.id)).toEqual(['s0', 's1']);
    expect(proof.total).toBe(3);
    proof = applyProofEvent(proof, event({ state: 'failed', step: step(2, 'failed') }));
    expect(proof.state).toBe('failed');
    // A late 'running' event does not undo the final state.
    expect(applyProofEvent(proof, event({ state: 'running' })).state).toBe('failed');
  });

  it('starts over for a newer proof', () => {
    const first = applyProofEvent(undefined, event({ state: 'failed', step: step(0, 'failed') }));
    const second = applyProofEvent(first, event({ proofId: 'p2', revision: 8, state: 'queued' }));
    expect(second).toEqual({ proofId: 'p2', revision: 8, state: 'queued', steps: [], total: undefined });
  });

  it('merges the fetched proof with events that came first', () => {
    const early = applyProofEvent(undefined, event({ state: 'passed', step: step(2) }));
    const merged = mergeProofView(early, {
      proofId: 'p1',
      draftId: 'd1',
      revision: 7,
      state: 'running',
      steps: [step(0), step(1)],
    });
    expect(merged.state).toBe('passed');
    expect(merged.steps.map((s) => s.index)).toEqual([0, 1, 2]);
  });
});

describe('publishBlock', () => {
  const passed = { proofId: 'p1', revision: 7, state: 'passed' as const, steps: [] };
  it.each([
    [{ revision: 7, unsaved: true, problems: 0, proof: passed }, 'unsaved'],
    [{ revision: 7, unsaved: false, problems: 2, proof: passed }, 'problems'],
    [{ revision: 7, unsaved: false, problems: 0 }, 'noProof'],
    [{ revision: 8, unsaved: false, problems: 0, proof: passed }, 'proofStale'],
    [
      { revision: 7, unsaved: false, problems: 0, proof: { ...passed, state: 'running' as const } },
      'proofRunning',
    ],
    [
      { revision: 7, unsaved: false, problems: 0, proof: { ...passed, state: 'failed' as const } },
      'proofFailed',
    ],
    [{ revision: 7, unsaved: false, problems: 0, proof: passed }, undefined],
  ])('%j → %s', (input, expected) => {
    expect(publishBlock(input)).toBe(expected);
  });
});
