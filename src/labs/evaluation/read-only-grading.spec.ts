import { join } from 'node:path';
import { diagnose } from '../diagnostics/diagnose';
import { loadLabs } from '../loader/loader';
import { LabSession } from '../runner/lab-session';
import { runSolution } from '../runner/lab-test';
import { EvaluationContext } from './context';
import { evaluateStep } from './evaluate';
import { SharedReads } from './shared-reads';
import { evaluateStepReusing, RememberedStep } from './step-reuse';

/** Freezes a JSON value and everything in it, so any write to it throws (specs run in strict mode). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * The platform's grading shares one read of each list among all checks of a grading and reuses verdicts
 * between gradings. Both are only sound if evaluation never writes to an object it reads, and if a reused
 * verdict is what evaluating afresh gives: every shipped lab's reference solutions are replayed, and after
 * each step every step and diagnostic is graded both ways, the shared objects frozen.
 */
describe('grading from shared, read-only lists with reused verdicts', () => {
  const labs = loadLabs(join(__dirname, '..', '..', '..', 'labs'));

  it('freezes deeply: a write to a frozen object throws', () => {
    const object = deepFreeze({ metadata: { labels: { app: 'web' } } });
    expect(() => {
      (object.metadata.labels as Record<string, string>).app = 'db';
    }).toThrow(TypeError);
  });

  it.each(labs.map((lab) => [lab.id, lab] as const))(
    '%s: gives the verdicts of a fresh evaluation',
    async (_, lab) => {
      const session = await LabSession.start(lab);
      const remembered = new Map<string, RememberedStep>();
      let reusedSteps = 0;
      const gradeAll = async () => {
        const reads = new SharedReads(async (query) => deepFreeze(await session.context.readObjects(query)));
        const shared: EvaluationContext = {
          ...session.context,
          readObjects: (query) => reads.readObjects(query),
        };
        for (const step of lab.steps) {
          const outcome = await evaluateStepReusing(step, shared, reads, remembered.get(step.id));
          if (outcome.reused) reusedSteps++;
          if (outcome.remembered) remembered.set(step.id, outcome.remembered);
          else remembered.delete(step.id);
          expect(outcome.verdict).toEqual(await evaluateStep(step, session.context));
        }
        expect(await diagnose(lab, shared)).toEqual(await diagnose(lab, session.context));
      };
      try {
        await gradeAll();
        for (const step of lab.steps) {
          await runSolution(step, session);
          await gradeAll();
          // A grading with nothing changed in between: what can be reused is.
          await gradeAll();
        }
      } finally {
        await session.close();
      }
      expect(reusedSteps).toBeGreaterThan(0);
    },
  );
});
