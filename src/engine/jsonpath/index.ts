/**
 * The engine's one JSONPath library, kubectl's dialect (k8s.io/client-go/util/jsonpath): templates with text and
 * `{...}` actions, fields (`.a`, `.a\.b`, `['a']`), `..` recursive descent, `*`, indexes and slices
 * (`[0]`, `[-1]`, `[1:3:2]`), unions (`[0,2]`, `['a','b']`), filters (`[?(@.type=="Ready")]`), `range`/`end`,
 * string, number and bool literals. kubectl's printers (`-o jsonpath`, custom columns, `--sort-by`) and the lab
 * grader (one expression at a time: ./expression.ts) use it.
 */
import { EvaluateOptions, evaluateList, findResults } from './evaluate';
import { goFloat, goJson, goKind, NumberMode, numberOf } from './go-values';
import { ListNode, parseTemplate } from './parser';

export { evaluateList, findResults, JsonPathExecutionError } from './evaluate';
export type { EvaluateOptions } from './evaluate';
export { goFloat, goJson, goQuote, goSharpV, goSprint, GoInt, GoFloat } from './go-values';
export type { NumberMode } from './go-values';
export { JsonPathSyntaxError, parseTemplate } from './parser';
export { evaluateJsonPath, JsonPathError, parseJsonPath, selectsMany } from './expression';
export type { JsonPath } from './expression';
export type { JsonPathNode, ListNode } from './parser';

/** Renders a template like kubectl's JSONPathPrinter: results of one action joined by spaces, JSON for objects. */
export function executeTemplate(
  template: string | ListNode,
  data: unknown,
  options: EvaluateOptions = {},
): string {
  const root = typeof template === 'string' ? parseTemplate(template) : template;
  return findResults(root, data, options)
    .map((results) => results.map((value) => printValue(value, options.numbers ?? 'int64')).join(' '))
    .join('');
}

function printValue(value: unknown, numbers: NumberMode): string {
  const kind = goKind(value, numbers);
  if (kind === 'map' || kind === 'slice' || kind === 'nil') return goJson(value, numbers);
  if (kind === 'int') return String(numberOf(value));
  if (kind === 'float') return goFloat(numberOf(value));
  return String(value);
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/s;

/**
 * kubectl's RelaxedJSONPathExpression (custom columns): `metadata.name`, `.metadata.name`, `{metadata.name}` and
 * `{.metadata.name}` all become `{.metadata.name}`; undefined when the expression has braces elsewhere.
 */
export function relaxedJsonPath(expression: string): string | undefined {
  if (expression === '') return '';
  const match = RELAXED.exec(expression);
  if (!match) return undefined;
  return `{.${match[1] ?? match[2]}}`;
}

/** The values a single expression (`.a.b`, `{.a.b}`, `a.b`) selects, through the relaxed form. */
export function selectValues(expression: string, data: unknown, options: EvaluateOptions = {}): unknown[] {
  const relaxed = relaxedJsonPath(expression.trim()) ?? expression;
  const root = parseTemplate(relaxed);
  return root.nodes.length === 0 ? [] : evaluateList(root.nodes[0] as ListNode, data, options);
}
