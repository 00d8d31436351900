/**
 * Evaluates checks against cluster state and command history. Every verdict carries a reason in each
 * language, so the student sees what is expected and what the cluster shows instead.
 */
import { Check, CountRule, Lab, Localized, ObjectCheck, Step } from '../format/types';
import { CheckVerdict, EvaluationContext, KubeObjectJson, StepVerdict } from './context';
import { ConditionEnv, ConditionResult, evaluateCondition } from './conditions';
import { evaluateRan, evaluateRanInOrder } from './history';
import { describeConditions, describeCount, describeSelection, listNames, localized } from './phrases';
import { VarResolver } from './vars';
import { fillConditions } from './fill-condition';
import { evaluateFile } from './file-check';
import { RegexBudgetError } from './regex-runner';

export async function evaluateStep(step: Step, context: EvaluationContext): Promise<StepVerdict> {
  const vars = new VarResolver(step.vars, context);
  const checks: CheckVerdict[] = [];
  for (const check of step.checks) checks.push(await evaluateCheckWith(check, { context, vars }));
  return { stepId: step.id, passed: checks.every((check) => check.passed), points: step.points, checks };
}

/** One check on its own; `vars` are the lab's vars its {{placeholders}} refer to. */
export function evaluateCheck(
  check: Check,
  context: EvaluationContext,
  vars: Lab['vars'] = {},
): Promise<CheckVerdict> {
  return evaluateCheckWith(check, { context, vars: new VarResolver(vars, context) });
}

export async function evaluateCheckWith(check: Check, env: ConditionEnv): Promise<CheckVerdict> {
  let verdict: CheckVerdict;
  try {
    verdict = await evaluateUnlabelled(check, env);
  } catch (error) {
    // A lab regex that ran past its budget fails its own check; the rest of the grading goes on.
    if (!(error instanceof RegexBudgetError)) throw error;
    verdict = { passed: false, reason: error.reason, matched: [] };
  }
  if (!check.label) return verdict;
  return { ...verdict, label: await fillLocalized(check.label, env.vars) };
}

/** A text with its {{vars}} filled where they can be (a var not yet captured stays as written). */
async function fillLocalized(text: Localized, vars: VarResolver): Promise<Localized> {
  const filled = { ...text };
  for (const language of Object.keys(text) as (keyof Localized)[]) {
    const result = await vars.fill(text[language]);
    if (result.ok) filled[language] = result.value;
  }
  return filled;
}

async function evaluateUnlabelled(check: Check, env: ConditionEnv): Promise<CheckVerdict> {
  switch (check.type) {
    case 'objects':
      return evaluateObjects(check, env);
    case 'ran':
      return evaluateRan(check.pattern, env.context, env.vars);
    case 'ranInOrder':
      return evaluateRanInOrder(check.patterns, env.context, env.vars);
    case 'file':
      return evaluateFile(check, env);
    case 'all':
    case 'any': {
      const children: CheckVerdict[] = [];
      for (const child of check.checks) children.push(await evaluateCheckWith(child, env));
      return combine(check.type, children);
    }
    case 'not': {
      const inner = await evaluateCheckWith(check.check, env);
      return {
        passed: !inner.passed,
        reason: inner.passed
          ? localized(
              `This must not be the case, but it is: ${inner.reason.en}`,
              `不应出现这种情况，但现在是：${inner.reason['zh-CN']}`,
            )
          : localized(
              `As required, this is not the case: ${inner.reason.en}`,
              `符合要求，没有出现：${inner.reason['zh-CN']}`,
            ),
        matched: inner.passed ? [] : inner.matched,
        children: [inner],
      };
    }
  }
}

function combine(type: 'all' | 'any', children: CheckVerdict[]): CheckVerdict {
  const passed =
    type === 'all' ? children.every((child) => child.passed) : children.some((child) => child.passed);
  const matched = [...new Set(children.filter((child) => child.passed).flatMap((child) => child.matched))];
  const relevant = children.filter((child) => child.passed === passed);
  const reasons = (relevant.length > 0 ? relevant : children).map((child) => child.reason);
  const en = reasons.map((reason) => reason.en).join(' ');
  const zh = reasons.map((reason) => reason['zh-CN']).join('');
  if (type === 'any' && !passed) {
    return {
      passed,
      matched,
      children,
      reason: localized(`None of these holds: ${en}`, `以下条件都不成立：${zh}`),
    };
  }
  return { passed, matched, children, reason: localized(en, zh) };
}

async function evaluateObjects(unfilled: ObjectCheck, env: ConditionEnv): Promise<CheckVerdict> {
  const selected = await env.vars.query(unfilled.select);
  if (!selected.ok) return { passed: false, reason: selected.reason, matched: [] };
  const filled = await fillConditions(unfilled.where, env.vars);
  if (!filled.ok) return { passed: false, reason: filled.reason, matched: [] };
  const check: ObjectCheck = { ...unfilled, where: filled.conditions };
  const objects = await env.context.readObjects(selected.query);
  const satisfying: KubeObjectJson[] = [];
  const misses: { name: string; actual: ConditionResult['actual'] }[] = [];
  for (const object of objects) {
    const miss = await firstUnmet(check, object, env);
    if (miss) misses.push({ name: object.metadata.name, actual: miss.actual });
    else satisfying.push(object);
  }
  const passed = countSatisfied(check.count, satisfying.length, objects.length);
  const where = describeSelection(selected.query);
  const conditions = check.where.length > 0 ? describeConditions(check.where) : undefined;
  const withEn = conditions ? ` with ${conditions.en}` : '';
  const withZh = conditions ? `满足「${conditions['zh-CN']}」` : '';
  const names = satisfying.map((object) => object.metadata.name);
  if (passed) {
    const shown = names.length > 0 ? listNames(names) : undefined;
    return {
      passed,
      matched: names,
      reason: localized(
        `${where.en}: found ${satisfying.length}${withEn}${shown ? ` (${shown.en})` : ''}.`,
        `${where['zh-CN']}：有 ${satisfying.length} 个${withZh}${shown ? `（${shown['zh-CN']}）` : ''}。`,
      ),
    };
  }
  const count = describeCount(check.count);
  const foundEn = objects.length === 0 ? 'found none' : `found ${satisfying.length} of ${objects.length}`;
  const foundZh =
    objects.length === 0 ? '一个也没有找到' : `${objects.length} 个中有 ${satisfying.length} 个符合`;
  const details = misses.slice(0, 3);
  const detailEn = details.map((miss) => `${miss.name}: ${miss.actual.en}`).join('; ');
  const detailZh = details.map((miss) => `${miss.name}：${miss.actual['zh-CN']}`).join('；');
  return {
    passed,
    matched: names,
    reason: localized(
      `${where.en}: expected ${count.en}${withEn}, ${foundEn}${detailEn ? ` (${detailEn})` : ''}.`,
      `${where['zh-CN']}：期望${count['zh-CN']}${withZh}，${foundZh}${detailZh ? `（${detailZh}）` : ''}。`,
    ),
  };
}

async function firstUnmet(check: ObjectCheck, object: KubeObjectJson, env: ConditionEnv) {
  for (const condition of check.where) {
    const result = await evaluateCondition(condition, object, env);
    if (!result.ok) return result;
  }
  return undefined;
}

function countSatisfied(rule: CountRule, satisfying: number, selected: number): boolean {
  if (rule === 'all') return selected > 0 && satisfying === selected;
  if ('equals' in rule) return satisfying === rule.equals;
  return satisfying >= rule.atLeast;
}
