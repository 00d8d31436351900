/**
 * Resolves {{vars}} during one evaluation: fixed values directly, captured values by reading the cluster
 * (first selected object, first value of the field). Results are cached per evaluation so a step's checks
 * see one consistent value and the cluster is read once per var.
 */
import { evaluateJsonPath, JsonPathError, parseJsonPath } from '../../engine/jsonpath';
import { escapeRegExp, fillPlaceholders, placeholdersIn } from '../format/template';
import { Lab, Localized, ObjectSelector } from '../format/types';
import { EvaluationContext, ObjectQuery } from './context';
import { describeSelection, localized } from './phrases';
import { parseRequirements, SelectorSyntaxError } from '../../engine/server/selectors';

export type Resolved = { ok: true; value: string } | { ok: false; reason: Localized };

export class VarResolver {
  private readonly cache = new Map<string, Promise<Resolved>>();

  constructor(
    private readonly vars: Lab['vars'],
    private readonly context: EvaluationContext,
  ) {}

  resolve(name: string): Promise<Resolved> {
    let pending = this.cache.get(name);
    if (!pending) {
      pending = this.compute(name);
      this.cache.set(name, pending);
    }
    return pending;
  }

  /** Fills every placeholder of `text`; `escape` adapts values (e.g. to a regex). */
  async fill(text: string, escape?: (value: string) => string): Promise<Resolved> {
    const values = new Map<string, string>();
    for (const name of placeholdersIn(text)) {
      const resolved = await this.resolve(name);
      if (!resolved.ok) return resolved;
      values.set(name, resolved.value);
    }
    return { ok: true, value: fillPlaceholders(text, (name) => values.get(name) ?? '', escape) };
  }

  fillRegex(source: string): Promise<Resolved> {
    return this.fill(source, escapeRegExp);
  }

  /** The ObjectQuery of a selector with its placeholders filled. */
  async query(
    select: ObjectSelector,
  ): Promise<{ ok: true; query: ObjectQuery } | { ok: false; reason: Localized }> {
    const query: ObjectQuery = { kind: select.kind };
    for (const key of ['namespace', 'name', 'labelSelector'] as const) {
      const raw = select[key];
      if (raw === undefined) continue;
      const filled = await this.fill(raw);
      if (!filled.ok) return filled;
      query[key] = filled.value;
    }
    if (query.labelSelector !== undefined && select.labelSelector !== query.labelSelector) {
      // A captured value can make a selector invalid (e.g. a space); say so instead of letting the read fail.
      try {
        parseRequirements(query.labelSelector);
      } catch (error) {
        if (!(error instanceof SelectorSyntaxError)) throw error;
        const problem = `bad label selector "${query.labelSelector}": ${error.message}`;
        return {
          ok: false,
          reason: localized(`Cannot select objects: ${problem}.`, `无法选择对象：${problem}。`),
        };
      }
    }
    return { ok: true, query };
  }

  private async compute(name: string): Promise<Resolved> {
    const definition = this.vars[name];
    if (!definition) return failure(name, { en: 'it is not defined', 'zh-CN': '该变量未定义' });
    if ('value' in definition) return { ok: true, value: definition.value };
    const selected = await this.query(definition.select);
    if (!selected.ok) return selected;
    const objects = await this.context.readObjects(selected.query);
    const where = describeSelection(selected.query);
    if (objects.length === 0) {
      return failure(name, { en: `there is no ${where.en}`, 'zh-CN': `没有找到${where['zh-CN']}` });
    }
    const field = await this.fill(definition.field);
    if (!field.ok) return field;
    let path;
    try {
      path = parseJsonPath(field.value);
    } catch (error) {
      if (!(error instanceof JsonPathError)) throw error;
      return failure(name, { en: error.message, 'zh-CN': error.message });
    }
    const [value] = evaluateJsonPath(path, objects[0]);
    if (value === undefined || value === null || typeof value === 'object') {
      const object = objects[0].metadata.name;
      return failure(name, {
        en: `${field.value} of ${object} has no value yet`,
        'zh-CN': `${object} 的 ${field.value} 还没有值`,
      });
    }
    return { ok: true, value: String(value) };
  }
}

function failure(name: string, why: Localized): Resolved {
  return {
    ok: false,
    reason: {
      en: `Cannot determine {{${name}}}: ${why.en}.`,
      'zh-CN': `无法确定 {{${name}}}：${why['zh-CN']}。`,
    },
  };
}
