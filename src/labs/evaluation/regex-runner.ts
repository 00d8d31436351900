/**
 * Runs lab authors' regexes so that none can hang the platform. JavaScript regexes backtrack, and a pattern
 * such as `^(a+)+$` takes exponential time on some inputs; a process grading hundreds of students cannot
 * afford one such test. Static "safe regex" checks either reject useful patterns (`(-\S+\s+)*` in lec7 is
 * harmless) or miss polynomial ones, so instead every test runs inside a `node:vm` context with a timeout,
 * which V8 can interrupt even in the middle of a match. A regex that runs past its budget fails its check
 * with a reason saying so, and is remembered: later gradings fail it at once instead of spending the budget
 * again. Texts are cut to TEXT_LIMIT characters first. Results are memoised per (regex, text), so a history
 * that grows by one command costs one short run per pattern, not one per entry.
 */
import { Script, createContext } from 'node:vm';
import { Localized } from '../format/types';
import { localized } from './phrases';

/**
 * Wall time one regex may spend on one batch of texts. Generous, because it is wall time: on a busy machine a
 * garbage collection or a descheduled process stretches a linear match over 64 KiB to tens of milliseconds,
 * and a regex remembered as too slow stays ungraded; a backtracking one runs for seconds or more.
 */
export const REGEX_BUDGET_MS = 1000;
/** Longest text a regex is tested against (a command line, an output, a field value). */
export const TEXT_LIMIT = 64 * 1024;
/** Longest regex source a lab may use (after {{vars}} are filled). */
export const REGEX_SOURCE_LIMIT = 2000;

/** A regex test ran past its budget: the check that asked fails with `reason`. */
export class RegexBudgetError extends Error {
  constructor(
    readonly source: string,
    readonly reason: Localized,
  ) {
    super(reason.en);
    this.name = 'RegexBudgetError';
  }
}

const context = createContext({ input: null });
const batch = new Script(
  '(() => { const r = new RegExp(input.source); return input.texts.map((text) => r.test(text)); })()',
);

/** source -> text -> result; bounded by the characters it holds. */
const memo = new Map<string, Map<string, boolean>>();
let memoChars = 0;
const MEMO_CHARS_LIMIT = 32 * 1024 * 1024;
const tooSlow = new Set<string>();

export interface SafeRegex {
  /** As RegExp.source shows it (`/` escaped), for messages. */
  readonly source: string;
  /** Throws RegexBudgetError when the regex runs past its budget. */
  test(text: string): boolean;
  /** Tests several texts in one run (cheaper than one run each); later test() calls hit the memo. */
  prime(texts: readonly string[]): void;
}

/** A safe regex for `source`; throws SyntaxError like `new RegExp` for a bad one. */
export function safeRegex(source: string): SafeRegex {
  const { source: shown } = new RegExp(source);
  const results = memoFor(source);
  const prime = (texts: readonly string[]) => {
    const pending = [...new Set(texts.map(cut))].filter((text) => !results.has(text));
    if (pending.length === 0) return;
    if (tooSlow.has(source)) throw budgetError(source);
    let answers: boolean[];
    try {
      (context as { input: unknown }).input = { source, texts: pending };
      answers = batch.runInContext(context, { timeout: REGEX_BUDGET_MS }) as boolean[];
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
      tooSlow.add(source);
      throw budgetError(source);
    } finally {
      (context as { input: unknown }).input = null;
    }
    pending.forEach((text, index) => remember(results, text, answers[index]));
  };
  return {
    source: shown,
    prime,
    test(text: string) {
      const key = cut(text);
      if (!results.has(key)) prime([key]);
      return results.get(key) === true;
    },
  };
}

function cut(text: string): string {
  return text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) : text;
}

function memoFor(source: string): Map<string, boolean> {
  let results = memo.get(source);
  if (!results) {
    results = new Map();
    memo.set(source, results);
  }
  return results;
}

function remember(results: Map<string, boolean>, text: string, answer: boolean): void {
  if (memoChars + text.length > MEMO_CHARS_LIMIT) {
    // Forget everything; regexes in use keep their own (now detached) results until they are dropped.
    memo.clear();
    memoChars = 0;
  }
  results.set(text, answer);
  memoChars += text.length;
}

function budgetError(source: string): RegexBudgetError {
  const shown = source.length > 80 ? `${source.slice(0, 77)}...` : source;
  return new RegexBudgetError(
    source,
    localized(
      `The lab's regex /${shown}/ took longer than ${REGEX_BUDGET_MS} ms and was stopped; this check cannot be graded (tell the lab's author).`,
      `实验中的正则表达式 /${shown}/ 运行超过 ${REGEX_BUDGET_MS} 毫秒，已被中止；此检查无法评分（请告知实验作者）。`,
    ),
  );
}
