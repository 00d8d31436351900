/** Checks over the student's command history: a command was run (and succeeded, or failed, or printed X). */
import { CommandPattern, Localized } from '../format/types';
import { CheckVerdict, EvaluationContext, HistoryEntry } from './context';
import { localized } from './phrases';
import { VarResolver } from './vars';
import { SafeRegex, safeRegex } from './regex-runner';
import { effectiveNamespaces, namespaceOf } from './namespaces';

interface CompiledPattern {
  pattern: CommandPattern;
  command: SafeRegex;
  output?: SafeRegex;
  /** The pattern's example with captured values filled in. */
  example?: string;
  /** The namespace the command must have run in, filled in. */
  namespace?: string;
}

/** The effective namespace of each entry, worked out only when some pattern asks for one. */
function namespacesFor(patterns: CompiledPattern[], history: HistoryEntry[]): string[] | undefined {
  return patterns.some((pattern) => pattern.namespace !== undefined)
    ? effectiveNamespaces(history).namespaces
    : undefined;
}

/** The namespace a further command would run in, after `history`. */
function nextNamespace(history: HistoryEntry[], entry: HistoryEntry): string {
  if (entry.namespace !== undefined) return entry.namespace;
  const context =
    entry.contextNamespace !== undefined
      ? entry.contextNamespace || 'default'
      : effectiveNamespaces(history).after;
  return namespaceOf(entry.command, context);
}

export async function evaluateRan(pattern: CommandPattern, context: EvaluationContext, vars: VarResolver) {
  const compiled = await compile(pattern, vars);
  if ('reason' in compiled) return failed(compiled.reason);
  const { history } = context;
  prime(compiled, history);
  const namespaces = namespacesFor([compiled], history);
  const hit = history.find((entry, index) => matches(compiled, entry, namespaces?.[index]));
  if (hit) return ranVerdict(hit);
  const nearMiss = nearMissOf(history, compiled, namespaces);
  const verdict = notRanVerdict(compiled, nearMiss.text);
  if (context.watchHistory) {
    // What watched() would find, without re-reading the history for every later command: only a hit,
    // or a command that becomes the near miss the reason names (and reads differently), changes it.
    const near = nearMiss.text.en;
    const hasSameCommand = nearMiss.sameCommand;
    context.watchHistory((entry) => {
      const namespace = compiled.namespace === undefined ? undefined : nextNamespace(history, entry);
      if (matches(compiled, entry, namespace)) return true;
      if (hasSameCommand && !compiled.command.test(entry.command.trim())) return false;
      const asNearMiss = nearMissOf([entry], compiled, namespace === undefined ? undefined : [namespace]).text
        .en;
      return asNearMiss !== '' && asNearMiss !== near;
    });
  }
  return verdict;
}

export async function evaluateRanInOrder(
  patterns: CommandPattern[],
  context: EvaluationContext,
  vars: VarResolver,
) {
  const compiled: CompiledPattern[] = [];
  for (const pattern of patterns) {
    const one = await compile(pattern, vars);
    if ('reason' in one) return failed(one.reason);
    prime(one, context.history);
    compiled.push(one);
  }
  return watched(context, (history) =>
    inOrderOutcome(compiled, patterns.length, history, namespacesFor(compiled, history)),
  );
}

/**
 * The verdict over the history; when it does not hold, the context is told which further command would
 * change it (the verdict or its reason): one for which the same function gives a different answer.
 */
function watched(context: EvaluationContext, outcome: (history: HistoryEntry[]) => CheckVerdict) {
  const { history } = context;
  const verdict = outcome(history);
  // A passed check stays passed with the same first hit, whatever comes later.
  if (!verdict.passed && context.watchHistory) {
    const key = verdictKey(verdict);
    context.watchHistory((entry) => verdictKey(outcome([...history, entry])) !== key);
  }
  return verdict;
}

function verdictKey(verdict: CheckVerdict): string {
  return JSON.stringify([verdict.passed, verdict.reason, verdict.matched]);
}

function ranVerdict(hit: HistoryEntry): CheckVerdict {
  return passed(
    localized(
      `Ran \`${hit.command}\` (exit code ${String(hit.exitCode)}).`,
      `已执行 \`${hit.command}\`（退出码 ${String(hit.exitCode)}）。`,
    ),
    [hit.command],
  );
}

function notRanVerdict(compiled: CompiledPattern, nearText: Localized): CheckVerdict {
  const wanted = describePattern(compiled);
  return failed(
    localized(
      `Your history has no command ${wanted.en}.${nearText.en}`,
      `历史记录中没有${wanted['zh-CN']}的命令。${nearText['zh-CN']}`,
    ),
  );
}

function inOrderOutcome(
  compiled: CompiledPattern[],
  count: number,
  history: HistoryEntry[],
  namespaces?: string[],
): CheckVerdict {
  const hits: string[] = [];
  let position = 0;
  for (const [index, pattern] of compiled.entries()) {
    const offset = history
      .slice(position)
      .findIndex((entry, at) => matches(pattern, entry, namespaces?.[position + at]));
    if (offset < 0) {
      const wanted = describePattern(pattern);
      const after =
        index === 0
          ? localized('', '')
          : localized(` after \`${hits[index - 1]}\``, `在 \`${hits[index - 1]}\` 之后`);
      return failed(
        localized(
          `Expected ${count} commands in order; missing step ${index + 1}: a command ${wanted.en}${after.en}.`,
          `需要按顺序执行 ${count} 条命令；缺少第 ${index + 1} 条：${after['zh-CN']}${wanted['zh-CN']}的命令。`,
        ),
      );
    }
    position += offset;
    hits.push(history[position].command);
    position++;
  }
  const shown = hits.map((command) => `\`${command}\``);
  return passed(
    localized(`Ran in order: ${shown.join(', then ')}.`, `已按顺序执行：${shown.join('，然后 ')}。`),
    hits,
  );
}

async function compile(
  pattern: CommandPattern,
  vars: VarResolver,
): Promise<CompiledPattern | { reason: Localized }> {
  const command = await vars.fillRegex(pattern.command);
  if (!command.ok) return { reason: command.reason };
  const compiled: CompiledPattern = { pattern, command: safeRegex(command.value) };
  if (pattern.output !== undefined) {
    const output = await vars.fillRegex(pattern.output);
    if (!output.ok) return { reason: output.reason };
    compiled.output = safeRegex(output.value);
  }
  if (pattern.example !== undefined) {
    const example = await vars.fill(pattern.example);
    if (!example.ok) return { reason: example.reason };
    compiled.example = example.value;
  }
  if (pattern.namespace !== undefined) {
    const namespace = await vars.fill(pattern.namespace);
    if (!namespace.ok) return { reason: namespace.reason };
    compiled.namespace = namespace.value;
  }
  return compiled;
}

/** Tests the whole history in one run per regex (each run has a fixed cost; see regex-runner.ts). */
function prime(compiled: CompiledPattern, history: HistoryEntry[]): void {
  compiled.command.prime(history.map((entry) => entry.command.trim()));
  compiled.output?.prime(history.flatMap((entry) => (entry.output === undefined ? [] : [entry.output])));
}

/** Lab patterns are few and fixed, and a near miss is looked for after every command: each is worked out once. */
const nearMissPrefixes = new Map<string, string | undefined>();

/** The words a near miss starts with; a bare `kubectl` says nothing about which command was meant. */
function nearMissPrefix(compiled: CompiledPattern): string | undefined {
  const source = compiled.pattern.command;
  if (!nearMissPrefixes.has(source)) {
    const prefix = literalPrefix(source);
    nearMissPrefixes.set(source, prefix === 'kubectl' ? undefined : prefix);
  }
  return nearMissPrefixes.get(source);
}

function matches(compiled: CompiledPattern, entry: HistoryEntry, namespace?: string): boolean {
  if (!compiled.command.test(entry.command.trim())) return false;
  if (
    compiled.namespace !== undefined &&
    namespace !== compiled.namespace &&
    !wroteIn(entry, compiled.namespace)
  )
    return false;
  const succeeded = entry.exitCode === 0;
  if (compiled.pattern.status === 'succeeded' && !succeeded) return false;
  if (compiled.pattern.status === 'failed' && succeeded) return false;
  return compiled.output === undefined || (entry.output !== undefined && compiled.output.test(entry.output));
}

/** `kubectl apply -f shop.yaml` whose objects name their namespace ran there too, whatever its -n said. */
function wroteIn(entry: HistoryEntry, namespace: string): boolean {
  return entry.touched?.some((object) => object.namespace === namespace) ?? false;
}

/** The pattern as the student needs it: its example if it has one, else the regex with captured values. */
function describePattern(compiled: CompiledPattern): Localized {
  const { status } = compiled.pattern;
  const statusEn = { succeeded: ' that succeeded', failed: ' that failed', any: '' }[status];
  const statusZh = { succeeded: '且执行成功', failed: '且执行失败', any: '' }[status];
  const outputEn = compiled.output ? ` with output matching /${compiled.output.source}/` : '';
  const outputZh = compiled.output ? `、输出匹配 /${compiled.output.source}/ ` : '';
  const namespaceEn = compiled.namespace !== undefined ? ` in namespace ${compiled.namespace}` : '';
  const namespaceZh = compiled.namespace !== undefined ? `、在命名空间 ${compiled.namespace} 中执行` : '';
  const what = compiled.example
    ? localized(`like \`${compiled.example}\``, `类似 \`${compiled.example}\` `)
    : localized(`matching /${compiled.command.source}/`, `匹配 /${compiled.command.source}/ `);
  return localized(
    `${what.en}${namespaceEn}${statusEn}${outputEn}`,
    `${what['zh-CN']}${namespaceZh}${statusZh}${outputZh}`,
  );
}

/**
 * A command with its whitespace collapsed, as near-miss prefixes are compared; entries never change, so once each.
 * Only commands that collapse to another text are kept here: most are typed with single spaces, and a copy of each
 * (with its place in the map) would stay as long as the history does.
 */
const collapsedCommands = new WeakMap<HistoryEntry, string>();
/** Whitespace that collapsing changes: a run of two, or one that is not a space. */
const UNCOLLAPSED = /\s\s|[^\S ]/;

function collapsedCommand(entry: HistoryEntry): string {
  const trimmed = entry.command.trim();
  if (!UNCOLLAPSED.test(trimmed)) return trimmed;
  let collapsed = collapsedCommands.get(entry);
  if (collapsed === undefined) {
    collapsed = trimmed.replace(/\s+/g, ' ');
    collapsedCommands.set(entry, collapsed);
  }
  return collapsed;
}

/**
 * The most recent command that comes close: one matching the command regex but with the wrong exit code or
 * output, else one starting with the regex's literal beginning (`^kubectl\s+rollout\s+undo` -> `kubectl rollout undo`).
 * Read from the newest entry back, stopping at the first that answers; `sameCommand`: whether any entry
 * matches the command regex (the watcher of an unmet check needs to know).
 */
function nearMissOf(
  history: HistoryEntry[],
  compiled: CompiledPattern,
  namespaces?: string[],
): { text: Localized; sameCommand: boolean } {
  let sameIndex = history.length - 1;
  while (sameIndex >= 0 && !compiled.command.test(history[sameIndex].command.trim())) sameIndex--;
  if (sameIndex >= 0)
    return {
      text: sameCommandMiss(compiled, history[sameIndex], namespaces?.[sameIndex]),
      sameCommand: true,
    };
  const prefix = nearMissPrefix(compiled);
  let similar: HistoryEntry | undefined;
  if (prefix !== undefined)
    for (let index = history.length - 1; index >= 0 && !similar; index--)
      if (collapsedCommand(history[index]).startsWith(prefix)) similar = history[index];
  if (!similar) return { text: localized('', ''), sameCommand: false };
  const code = similar.exitCode === null ? 'did not finish' : `exit code ${similar.exitCode}`;
  const codeZh = similar.exitCode === null ? '没有执行完' : `退出码 ${similar.exitCode}`;
  return {
    text: localized(
      ` Your closest attempt, \`${similar.command}\`, does not have the expected form (${code}).`,
      `最接近的一条 \`${similar.command}\` 形式不符合要求（${codeZh}）。`,
    ),
    sameCommand: false,
  };
}

/** The near miss that matches the command regex: it ran elsewhere, or ended or printed otherwise. */
function sameCommandMiss(
  compiled: CompiledPattern,
  sameCommand: HistoryEntry,
  ranIn: string | undefined,
): Localized {
  if (compiled.namespace !== undefined && ranIn !== compiled.namespace) {
    const where = ranIn === '*' ? 'across all namespaces' : `in namespace ${ranIn}`;
    const whereZh = ranIn === '*' ? '针对所有命名空间' : `在命名空间 ${ranIn} 中`;
    return localized(
      ` The closest one, \`${sameCommand.command}\`, ran ${where}.`,
      `最接近的一条 \`${sameCommand.command}\` 是${whereZh}执行的。`,
    );
  }
  const { command, exitCode } = sameCommand;
  if (exitCode === 0 && compiled.pattern.status !== 'failed') {
    return localized(
      ` The closest one, \`${command}\`, succeeded but its output does not match.`,
      `最接近的一条 \`${command}\` 执行成功，但输出不符合要求。`,
    );
  }
  const code = exitCode === null ? 'did not finish' : `exited with code ${exitCode}`;
  const codeZh = exitCode === null ? '没有执行完' : `退出码为 ${exitCode}`;
  return localized(` The closest one, \`${command}\`, ${code}.`, `最接近的一条 \`${command}\` ${codeZh}。`);
}

/** The plain words a regex anchored with ^ starts with, e.g. `^kubectl\s+scale\s` -> `kubectl scale`. */
export function literalPrefix(source: string): string | undefined {
  if (!source.startsWith('^')) return undefined;
  let prefix = '';
  let index = 1;
  while (index < source.length) {
    const rest = source.slice(index);
    const space = /^\\s[+*]?/.exec(rest);
    if (space) {
      prefix += ' ';
      index += space[0].length;
      continue;
    }
    const quantified = /^[?*+{]/.test(source[index + 1] ?? '');
    if (!/^[A-Za-z0-9_-]/.test(rest) || quantified) break;
    prefix += rest[0];
    index++;
  }
  const words = prefix.trim();
  return words === '' ? undefined : words;
}

function passed(reason: Localized, matched: string[]): CheckVerdict {
  return { passed: true, reason, matched };
}

function failed(reason: Localized): CheckVerdict {
  return { passed: false, reason, matched: [] };
}
