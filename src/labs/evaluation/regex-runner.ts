/**
 * Runs lab authors' regexes so that none can hang the platform. JavaScript regexes backtrack, and a pattern
 * such as `^(a+)+$` takes exponential time on some inputs; a process grading hundreds of students cannot
 * afford one such test. Static "safe regex" checks either reject useful patterns (`(-\S+\s+)*` in lec7 is
 * harmless) or miss polynomial ones. Two ways, chosen per regex:
 * - most lab regexes (no backreferences, no lookarounds) are ones V8's linear-time engine can run: V8 runs them
 *   with its usual backtracking engine and, should one backtrack excessively, runs that match again on the
 *   linear-time engine (V8's `--enable-experimental-regexp-engine-on-excessive-backtracks`). They are tested
 *   directly, in microseconds. A `vm` run costs some 85 µs whatever it tests (its timeout starts a watchdog
 *   thread), and the grader tests every command against every unmet history check: that cost was the largest
 *   share of a worker's CPU under a class's load;
 * - every other regex is tested inside a `node:vm` context with a timeout, which V8 can interrupt even in the
 *   middle of a match. A regex that runs past its budget fails its check with a reason saying so, and is
 *   remembered: later gradings fail it at once instead of spending the budget again. Results are memoised per
 *   (regex, text), so a history that grows by one command costs one short run per pattern, not one per entry.
 *   A text that fails one of the regex's necessary conditions (necessaryConditions) is answered without a run.
 * Texts are cut to TEXT_LIMIT characters first, either way.
 */
import { setFlagsFromString } from 'node:v8';
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

// Process-wide, read when a regex is compiled: the first lets a regex ask for the linear-time engine (the `l` flag,
// refused for a regex that engine cannot run), the second re-runs on that engine a match that backtracks too much.
// Neither changes what any regex matches.
setFlagsFromString('--enable-experimental-regexp-engine');
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** Longest regex source tested directly: the linear engine's time grows with the regex's size times the text's. */
const DIRECT_SOURCE_LIMIT = 500;

/**
 * The regex to test directly, or undefined when it must run in the vm: a regex V8's linear-time engine cannot
 * run (backreferences, lookarounds) would backtrack without bound.
 */
function directRegex(source: string): RegExp | undefined {
  if (source.length > DIRECT_SOURCE_LIMIT) return undefined;
  try {
    new RegExp(source, 'l');
  } catch {
    return undefined;
  }
  return new RegExp(source);
}

/**
 * Regexes V8's linear-time engine can run that every text the regex matches also matches (necessary conditions): a
 * text one of them rejects is answered `false` without a `vm` run. Lab authors write lookaheads to say "a command
 * that starts so and has these flags somewhere" (`^kubectl\s+scale\s(?=.*web)(?=.*--replicas=4)`); each top-level
 * `(?=X)` after a prefix P gives the condition `P X`, and the whole regex with its lookarounds removed gives one more
 * (removing a lookaround only admits more texts). Most commands a student types fail one of them, so the grader's
 * watches, which test every new command against every unmet check, seldom pay for a `vm` run. None for a regex with
 * backreferences (their groups could be among those removed) or a top-level alternation.
 */
export function necessaryConditions(source: string): RegExp[] {
  if (/\\(?:[1-9]|k<)/.test(source)) return [];
  const parts = topLevelParts(source);
  if (!parts) return [];
  const sources = [parts.map((part) => (part.lookaround ? '' : part.text)).join('')];
  parts.forEach((part, index) => {
    if (part.lookaround !== '(?=') return;
    const prefix = parts.slice(0, index).map((before) => (before.lookaround ? '' : before.text));
    const body = stripLookarounds(part.text.slice(3, -1));
    if (body !== undefined) sources.push(`${prefix.join('')}(?:${body})`);
  });
  const conditions: RegExp[] = [];
  for (const condition of sources) {
    const stripped = stripLookarounds(condition);
    if (stripped === undefined || stripped === source) continue;
    const regex = directRegex(stripped);
    if (regex) conditions.push(regex);
  }
  return conditions;
}

/** A piece of a regex source at its top level: an atom, a group, or a lookaround group (`(?=`, `(?!`, `(?<=`, `(?<!`). */
interface Part {
  text: string;
  lookaround?: string;
}

/** The regex source cut into its top-level parts; undefined for a top-level alternation or an unbalanced source. */
function topLevelParts(source: string): Part[] | undefined {
  const parts: Part[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at];
    if (char === '|') return undefined;
    const end =
      char === '('
        ? groupEnd(source, at)
        : char === '['
          ? classEnd(source, at)
          : char === '\\'
            ? at + 2
            : at + 1;
    if (end === undefined || end > source.length) return undefined;
    const text = source.slice(at, end);
    const lookaround = /^\(\?(?:=|!|<=|<!)/.exec(text)?.[0];
    // A quantified lookaround (Annex B allows `(?=a)*`) is not a plain constraint: no conditions from it.
    if (lookaround && /^[*+?{]/.test(source.slice(end))) return undefined;
    parts.push(lookaround ? { text, lookaround } : { text });
    at = end;
  }
  return parts;
}

/** The source with every lookaround group removed, at any depth; undefined when it cannot be cut into groups. */
function stripLookarounds(source: string): string | undefined {
  let out = '';
  let at = 0;
  while (at < source.length) {
    const char = source[at];
    if (char === '\\') {
      out += source.slice(at, at + 2);
      at += 2;
    } else if (char === '[') {
      const end = classEnd(source, at);
      if (end === undefined) return undefined;
      out += source.slice(at, end);
      at = end;
    } else if (/^\(\?(?:=|!|<=|<!)/.test(source.slice(at, at + 4))) {
      const end = groupEnd(source, at);
      if (end === undefined || /^[*+?{]/.test(source.slice(end))) return undefined;
      at = end;
    } else {
      out += char;
      at++;
    }
  }
  return out;
}

/** Index just after the `]` closing the class that starts at `start`. */
function classEnd(source: string, start: number): number | undefined {
  for (let at = start + 1; at < source.length; at++) {
    if (source[at] === '\\') at++;
    else if (source[at] === ']') return at + 1;
  }
  return undefined;
}

/** Index just after the `)` closing the group that starts at `start`. */
function groupEnd(source: string, start: number): number | undefined {
  let depth = 0;
  for (let at = start; at < source.length; at++) {
    const char = source[at];
    if (char === '\\') at++;
    else if (char === '[') {
      const end = classEnd(source, at);
      if (end === undefined) return undefined;
      at = end - 1;
    } else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return at + 1;
  }
  return undefined;
}

const context = createContext({ input: null });
const batch = new Script(
  '(() => { const r = new RegExp(input.source); return input.texts.map((text) => r.test(text)); })()',
);

/**
 * Results of (regex source, text), bounded by the characters of the texts it holds. Two generations: a result is
 * written to the current one, and one found only in the previous one is copied forward; when the current one is
 * full it becomes the previous one and the older is dropped. So a grading that asks again for what it asked for
 * last time (a session's whole history, every grading) keeps hitting, and nothing outlives two generations: a
 * single map cleared when full would make every session re-test its whole history at once.
 */
export class RegexMemo {
  private current = new Map<string, Map<string, boolean>>();
  private previous = new Map<string, Map<string, boolean>>();
  private currentChars = 0;

  /** `generationChars`: the characters one generation holds (the memo holds at most twice that). */
  constructor(private readonly generationChars: number) {}

  get(source: string, text: string): boolean | undefined {
    const hit = this.current.get(source)?.get(text);
    if (hit !== undefined) return hit;
    const earlier = this.previous.get(source)?.get(text);
    if (earlier !== undefined) this.set(source, text, earlier);
    return earlier;
  }

  set(source: string, text: string, answer: boolean): void {
    if (this.currentChars + text.length > this.generationChars) {
      this.previous = this.current;
      this.current = new Map();
      this.currentChars = 0;
    }
    let results = this.current.get(source);
    if (!results) this.current.set(source, (results = new Map()));
    if (!results.has(text)) this.currentChars += text.length;
    results.set(text, answer);
  }

  /** Characters of the texts held, both generations. */
  chars(): number {
    let total = 0;
    for (const generation of [this.current, this.previous])
      for (const results of generation.values()) for (const text of results.keys()) total += text.length;
    return total;
  }
}

/** 16 Mi characters per generation: a class's histories of commands and their outputs, cut to TEXT_LIMIT. */
const memo = new RegexMemo(16 * 1024 * 1024);
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
  const direct = directRegex(source);
  if (direct)
    return {
      source: shown,
      prime: () => undefined,
      test: (text: string) => direct.test(cut(text)),
    };
  const conditions = necessaryConditions(source);
  const excluded = (text: string) => conditions.some((condition) => !condition.test(text));
  const prime = (texts: readonly string[]) => {
    const pending = [...new Set(texts.map(cut))].filter(
      (text) => memo.get(source, text) === undefined && !excluded(text),
    );
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
    pending.forEach((text, index) => memo.set(source, text, answers[index]));
  };
  return {
    source: shown,
    prime,
    test(text: string) {
      const key = cut(text);
      if (excluded(key)) return false;
      const known = memo.get(source, key);
      if (known !== undefined) return known;
      prime([key]);
      return memo.get(source, key) === true;
    },
  };
}

function cut(text: string): string {
  return text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) : text;
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
