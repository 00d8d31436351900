/** Checks over the student's command history: a command was run (and succeeded, or failed, or printed X). */
import { CommandPattern, Localized } from '../format/types';
import { CheckVerdict, HistoryEntry } from './context';
import { localized } from './phrases';
import { VarResolver } from './vars';

interface CompiledPattern {
  pattern: CommandPattern;
  command: RegExp;
  output?: RegExp;
}

export async function evaluateRan(pattern: CommandPattern, history: HistoryEntry[], vars: VarResolver) {
  const compiled = await compile(pattern, vars);
  if ('reason' in compiled) return failed(compiled.reason);
  const hit = history.find((entry) => matches(compiled, entry));
  if (hit) {
    return passed(
      localized(
        `Ran \`${hit.command}\` (exit code ${String(hit.exitCode)}).`,
        `已执行 \`${hit.command}\`（退出码 ${String(hit.exitCode)}）。`,
      ),
      [hit.command],
    );
  }
  const wanted = describePattern(pattern);
  const near = [...history].reverse().find((entry) => compiled.command.test(entry.command));
  const nearText = near ? describeNearMiss(near, pattern) : localized('', '');
  return failed(
    localized(
      `Your history has no command ${wanted.en}.${nearText.en}`,
      `历史记录中没有${wanted['zh-CN']}的命令。${nearText['zh-CN']}`,
    ),
  );
}

export async function evaluateRanInOrder(
  patterns: CommandPattern[],
  history: HistoryEntry[],
  vars: VarResolver,
) {
  const compiled: CompiledPattern[] = [];
  for (const pattern of patterns) {
    const one = await compile(pattern, vars);
    if ('reason' in one) return failed(one.reason);
    compiled.push(one);
  }
  const hits: string[] = [];
  let position = 0;
  for (const [index, pattern] of compiled.entries()) {
    const offset = history.slice(position).findIndex((entry) => matches(pattern, entry));
    if (offset < 0) {
      const wanted = describePattern(pattern.pattern);
      const after =
        index === 0
          ? localized('', '')
          : localized(` after \`${hits[index - 1]}\``, `在 \`${hits[index - 1]}\` 之后`);
      return failed(
        localized(
          `Expected ${patterns.length} commands in order; missing step ${index + 1}: a command ${wanted.en}${after.en}.`,
          `需要按顺序执行 ${patterns.length} 条命令；缺少第 ${index + 1} 条：${after['zh-CN']}${wanted['zh-CN']}的命令。`,
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
  if (pattern.output === undefined) return { pattern, command: new RegExp(command.value) };
  const output = await vars.fillRegex(pattern.output);
  if (!output.ok) return { reason: output.reason };
  return { pattern, command: new RegExp(command.value), output: new RegExp(output.value) };
}

function matches(compiled: CompiledPattern, entry: HistoryEntry): boolean {
  if (!compiled.command.test(entry.command.trim())) return false;
  const succeeded = entry.exitCode === 0;
  if (compiled.pattern.status === 'succeeded' && !succeeded) return false;
  if (compiled.pattern.status === 'failed' && succeeded) return false;
  return compiled.output === undefined || (entry.output !== undefined && compiled.output.test(entry.output));
}

function describePattern(pattern: CommandPattern): Localized {
  const statusEn = { succeeded: ' that succeeded', failed: ' that failed', any: '' }[pattern.status];
  const statusZh = { succeeded: '且执行成功', failed: '且执行失败', any: '' }[pattern.status];
  const outputEn = pattern.output ? ` with output matching /${pattern.output}/` : '';
  const outputZh = pattern.output ? `、输出匹配 /${pattern.output}/ ` : '';
  return localized(
    `matching /${pattern.command}/${statusEn}${outputEn}`,
    `匹配 /${pattern.command}/ ${statusZh}${outputZh}`,
  );
}

function describeNearMiss(entry: HistoryEntry, pattern: CommandPattern): Localized {
  if (entry.exitCode === 0 && pattern.status !== 'failed') {
    return localized(
      ` The closest one, \`${entry.command}\`, succeeded but its output does not match.`,
      `最接近的一条 \`${entry.command}\` 执行成功，但输出不符合要求。`,
    );
  }
  const code = entry.exitCode === null ? 'did not finish' : `exited with code ${entry.exitCode}`;
  const codeZh = entry.exitCode === null ? '没有执行完' : `退出码为 ${entry.exitCode}`;
  return localized(
    ` The closest one, \`${entry.command}\`, ${code}.`,
    `最接近的一条 \`${entry.command}\` ${codeZh}。`,
  );
}

function passed(reason: Localized, matched: string[]): CheckVerdict {
  return { passed: true, reason, matched };
}

function failed(reason: Localized): CheckVerdict {
  return { passed: false, reason, matched: [] };
}
