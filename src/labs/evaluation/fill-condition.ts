/**
 * Fills the {{vars}} of a check's conditions once per evaluation, before any object is looked at: the
 * conditions are then evaluated and described with real values, so a failure reason reads
 * "image jocatalin/kubernetes-bootcamp:v2", not "image {{image}}".
 */
import { Condition } from '../format/types';
import { Localized } from '../format/types';
import { VarResolver } from './vars';

export type Filled = { ok: true; conditions: Condition[] } | { ok: false; reason: Localized };

export async function fillConditions(conditions: Condition[], vars: VarResolver): Promise<Filled> {
  const filled: Condition[] = [];
  for (const condition of conditions) {
    const one = await fillCondition(condition, vars);
    if ('reason' in one) return { ok: false, reason: one.reason };
    filled.push(one);
  }
  return { ok: true, conditions: filled };
}

async function fillCondition(
  condition: Condition,
  vars: VarResolver,
): Promise<Condition | { reason: Localized }> {
  const strings: Record<string, string> = {};
  const fill = async (key: string, text: string | undefined, regex = false) => {
    if (text === undefined) return undefined;
    const result = regex ? await vars.fillRegex(text) : await vars.fill(text);
    if (!result.ok) return result.reason;
    strings[key] = result.value;
    return undefined;
  };
  const problems: (Localized | undefined)[] = [];
  switch (condition.type) {
    case 'field':
      problems.push(await fill('path', condition.path));
      if (condition.op === 'matches') problems.push(await fill('expected', condition.expected, true));
      if (condition.op === 'equals' && typeof condition.expected === 'string') {
        problems.push(await fill('expected', condition.expected));
      }
      break;
    case 'length':
      problems.push(await fill('path', condition.path));
      break;
    case 'image':
      problems.push(await fill('image', condition.image), await fill('container', condition.container));
      break;
    default:
      return condition;
  }
  const problem = problems.find((reason) => reason !== undefined);
  return problem ? { reason: problem } : ({ ...condition, ...strings } as Condition);
}
