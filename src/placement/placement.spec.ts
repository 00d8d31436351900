import { rendezvousPick } from './placement';

const sessions = Array.from({ length: 3000 }, (_, i) => `session-${i}`);
const workers = ['worker-a', 'worker-b', 'worker-c', 'worker-d'];

function placeAll(live: string[]): Map<string, string | undefined> {
  return new Map(sessions.map((session) => [session, rendezvousPick(session, live)]));
}

describe('rendezvousPick', () => {
  it('has no answer without candidates', () => {
    expect(rendezvousPick('session-1', [])).toBeUndefined();
  });

  it('is stable while the workers stay, whatever the order they are listed in', () => {
    const first = placeAll(workers);
    const again = placeAll([...workers].reverse());
    expect(again).toEqual(first);
    expect(new Set(first.values())).toEqual(new Set(workers));
  });

  it('spreads sessions fairly over the workers', () => {
    const counts = new Map<string, number>();
    for (const worker of placeAll(workers).values()) counts.set(worker!, (counts.get(worker!) ?? 0) + 1);
    // 750 expected each; 3000 draws stay well within ±20 %.
    for (const worker of workers) {
      expect(counts.get(worker)).toBeGreaterThan(600);
      expect(counts.get(worker)).toBeLessThan(900);
    }
  });

  it('on a join, moves only sessions to the newcomer, about 1/(n+1) of them', () => {
    const before = placeAll(workers);
    const after = placeAll([...workers, 'worker-e']);
    const moved = sessions.filter((session) => before.get(session) !== after.get(session));
    for (const session of moved) expect(after.get(session)).toBe('worker-e');
    // 1/5 of 3000 = 600 expected.
    expect(moved.length).toBeGreaterThan(480);
    expect(moved.length).toBeLessThan(720);
  });

  it('on a leave, gives every session of the leaver a live worker and moves no other session', () => {
    const before = placeAll(workers);
    const remaining = workers.filter((worker) => worker !== 'worker-b');
    const after = placeAll(remaining);
    for (const session of sessions) {
      if (before.get(session) === 'worker-b') expect(remaining).toContain(after.get(session));
      else expect(after.get(session)).toBe(before.get(session));
    }
    // The leaver's sessions are spread over the others, not piled on one.
    const heirs = new Set(sessions.filter((s) => before.get(s) === 'worker-b').map((s) => after.get(s)));
    expect(heirs).toEqual(new Set(remaining));
  });
});
