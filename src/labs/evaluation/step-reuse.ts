/**
 * Reusing a step's verdict (or the lab's diagnostics) from one grading to the next. A step whose checks read only objects (no history,
 * no files) can only change its verdict or its reasons when one of the object lists it read changes; when
 * none did, the previous verdict is what evaluating it again would give, and costs nothing.
 *
 * A step that also reads the history is reused the same way when the history has only grown, by commands none
 * of its checks' watches (EvaluationContext.watchHistory) says would change a verdict or a reason: the test the
 * platform already trusts to skip a grading after such a command. Its watches are handed on to the new
 * grading. Without that, a step over the history cost every grading a pass over every command the session ever
 * ran: in a 30-minute soak at a command a second, the grader's work per command grew until the worker fell
 * behind.
 *
 * A step that reads a file, or a list without versions (listVersion), is evaluated every time: files change
 * without the cluster, and an unversioned list cannot be compared. Reuse is also limited to the same Step object,
 * so a lab reloaded with new checks is evaluated anew.
 */
import type { Step } from '../format/types';
import type { EvaluationContext, HistoryWatch, KubeObjectJson, ObjectQuery, StepVerdict } from './context';
import { evaluateStep } from './evaluate';
import { listKey, selectFrom, SharedReads } from './shared-reads';

/** What evaluating a step read and concluded: the versions of its lists, keyed by listKey. */
/** What evaluating something (a step, a lab's diagnostics) read and concluded; `key` is what was evaluated. */
export interface Remembered<V> {
  key: object;
  lists: Map<string, { query: ObjectQuery; version: string }>;
  verdict: V;
  /** When it read the history: which history, and the watches its checks that do not hold left. */
  history?: { mark: HistoryMark; watches: HistoryWatch[] };
}

export type RememberedStep = Remembered<StepVerdict>;

/**
 * Which history a grading's context.history is, so a later grading can tell whether its own only grew: the
 * log it was read from (the same object while the platform keeps it), how many times an entry of that log was
 * inserted before others, replaced or removed (`rewrites`), and how many entries the context holds.
 */
export interface HistoryMark {
  log: object;
  rewrites: number;
  length: number;
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
 * `previous` is of the same step, every list it read has the same version now, and the history it read (as
 * `historyMark` tells) has only grown by commands none of its watches is concerned with.
 */
export async function evaluateStepReusing(
  step: Step,
  context: EvaluationContext,
  reads: SharedReads,
  previous?: RememberedStep,
  historyMark?: HistoryMark,
): Promise<StepOutcome> {
  const { value, remembered, reused } = await evaluateReusing(
    step,
    (tracking) => evaluateStep(step, tracking),
    context,
    reads,
    previous,
    historyMark,
  );
  return { verdict: value, remembered, reused };
}

/**
 * evaluateStepReusing for any evaluation of `key` over a context (a lab's diagnostics are one): `evaluate` must read
 * everything through the context it is given.
 */
export async function evaluateReusing<V>(
  key: object,
  evaluate: (context: EvaluationContext) => Promise<V>,
  context: EvaluationContext,
  reads: SharedReads,
  previous?: Remembered<V>,
  historyMark?: HistoryMark,
): Promise<{ value: V; remembered?: Remembered<V>; reused: boolean }> {
  if (
    previous &&
    previous.key === key &&
    onlyUnwatchedGrowth(previous, context, historyMark) &&
    (await listsUnchanged(previous, reads))
  ) {
    if (!previous.history) return { value: previous.verdict, remembered: previous, reused: true };
    // The watches still tell what would change this verdict: this grading's caller must hear them too.
    for (const watch of previous.history.watches) context.watchHistory?.(watch);
    const remembered = { ...previous, history: { ...previous.history, mark: historyMark! } };
    return { value: previous.verdict, remembered, reused: true };
  }
  let reusable = true;
  let readHistory = false;
  const watches: HistoryWatch[] = [];
  const lists = new Map<string, { query: ObjectQuery; version: string }>();
  // The same context, but it notes what is read: versioned lists, and the history when a mark says which it is,
  // keep reuse possible; a file, an unversioned list or an unmarked history rules it out.
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
      readHistory = true;
      // Without a mark a later grading cannot tell whether the history only grew.
      if (!historyMark) reusable = false;
      return context.history;
    },
  };
  const { watchHistory, readFile } = context;
  if (watchHistory || historyMark) {
    tracking.watchHistory = (watch) => {
      watches.push(watch);
      watchHistory?.(watch);
    };
  }
  if (readFile) {
    tracking.readFile = (path) => {
      reusable = false;
      return readFile(path);
    };
  }
  const value = await evaluate(tracking);
  if (!reusable) return { value, reused: false };
  const remembered: Remembered<V> = { key, lists, verdict: value };
  if (readHistory) remembered.history = { mark: historyMark!, watches };
  return { value, remembered, reused: false };
}

/**
 * Whether the history the step read then (if it read one) is this context's history cut to its former length,
 * followed by commands none of the step's watches is concerned with.
 */
function onlyUnwatchedGrowth(
  previous: Remembered<unknown>,
  context: EvaluationContext,
  mark: HistoryMark | undefined,
): boolean {
  if (!previous.history) return true;
  const then = previous.history.mark;
  if (!mark || mark.log !== then.log || mark.rewrites !== then.rewrites || mark.length < then.length)
    return false;
  const { history } = context;
  for (let i = then.length; i < mark.length; i++)
    if (previous.history.watches.some((watch) => watch(history[i]))) return false;
  return true;
}

async function listsUnchanged(previous: Remembered<unknown>, reads: SharedReads): Promise<boolean> {
  for (const { query, version } of previous.lists.values()) {
    if ((await reads.list(query)).version !== version) return false;
  }
  return true;
}
