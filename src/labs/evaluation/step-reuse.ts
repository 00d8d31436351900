/**
 * Reusing a step's verdict from one grading to the next. A step whose checks read only objects (no history,
 * no files) can only change its verdict or its reasons when one of the object lists it read changes; when
 * none did, the previous verdict is what evaluating it again would give, and costs nothing.
 *
 * A step that reads the history, a file, or a list without versions (listVersion) is evaluated every time:
 * the history grows with every command, files change without the cluster, and an unversioned list cannot be
 * compared. Reuse is also limited to the same Step object, so a lab reloaded with new checks is evaluated anew.
 */
import type { Step } from '../format/types';
import type { EvaluationContext, KubeObjectJson, ObjectQuery, StepVerdict } from './context';
import { evaluateStep } from './evaluate';
import { listKey, selectFrom, SharedReads } from './shared-reads';

/** What evaluating a step read and concluded: the versions of its lists, keyed by listKey. */
export interface RememberedStep {
  step: Step;
  lists: Map<string, { query: ObjectQuery; version: string }>;
  verdict: StepVerdict;
}

export interface StepOutcome {
  verdict: StepVerdict;
  /** Set when the verdict may be reused by a later grading (pass it back as `previous`). */
  remembered?: RememberedStep;
  /** Whether `previous` was reused instead of evaluating. */
  reused: boolean;
}

/**
 * Evaluates `step` with `context` (its objects served by `reads`), or returns `previous`'s verdict when
 * `previous` is of the same step and every list it read has the same version now.
 */
export async function evaluateStepReusing(
  step: Step,
  context: EvaluationContext,
  reads: SharedReads,
  previous?: RememberedStep,
): Promise<StepOutcome> {
  if (previous && previous.step === step && (await listsUnchanged(previous, reads))) {
    return { verdict: previous.verdict, remembered: previous, reused: true };
  }
  let reusable = true;
  const lists = new Map<string, { query: ObjectQuery; version: string }>();
  // The same context, but it notes what the step reads; anything other than versioned lists rules reuse out.
  const tracking: EvaluationContext = {
    readObjects: async (query: ObjectQuery): Promise<KubeObjectJson[]> => {
      const list = await reads.list(query);
      if (list.version === undefined) reusable = false;
      else
        lists.set(listKey(query), {
          query: { kind: query.kind, namespace: query.namespace },
          version: list.version,
        });
      return selectFrom(list.objects, query);
    },
    get history() {
      reusable = false;
      return context.history;
    },
  };
  const { watchHistory, readFile } = context;
  if (watchHistory) {
    tracking.watchHistory = (watch) => {
      reusable = false;
      watchHistory(watch);
    };
  }
  if (readFile) {
    tracking.readFile = (path) => {
      reusable = false;
      return readFile(path);
    };
  }
  const verdict = await evaluateStep(step, tracking);
  return { verdict, remembered: reusable ? { step, lists, verdict } : undefined, reused: false };
}

async function listsUnchanged(previous: RememberedStep, reads: SharedReads): Promise<boolean> {
  for (const { query, version } of previous.lists.values()) {
    if ((await reads.list(query)).version !== version) return false;
  }
  return true;
}
