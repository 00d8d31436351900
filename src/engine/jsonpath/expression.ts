/**
 * One JSONPath expression (not a template), as lab checks and vars use it; the engine's kubectl JSONPath library
 * applied to one expression:
 * `.a.b`, `..name`, `['key.with.dots']`, `.a\.b`, `[0]`, `[-1]`, `[1:3]`, `[*]`, `.*`, unions `[0,2]` and filters
 * such as `[?(@.type=="Ready")]` or `[?(@.port>=8000)]`. Accepts the kubectl spellings `{.spec.replicas}` and
 * `$.spec.replicas` too. Two differences from kubectl suit grading: a quoted key in brackets is one key even with
 * dots in it (kubectl would split it), and evaluation is lenient (an index out of range, a step over a value of
 * the wrong type or a comparison of different types selects nothing instead of failing). Parsing happens once at
 * load time so a typo is reported with the lab file, not discovered while grading.
 */
import { evaluateList, JsonPathExecutionError } from './evaluate';
import { JsonPathNode, JsonPathSyntaxError, ListNode, parseTemplate } from './parser';

export class JsonPathError extends Error {}

export interface JsonPath {
  source: string;
  /** The parsed action (one list of kubectl JSONPath nodes). */
  action: ListNode;
}

const OPERATORS = new Set(['exists', '==', '!=', '<', '<=', '>', '>=']);

export function parseJsonPath(source: string): JsonPath {
  let text = source.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  if (text === '') throw new JsonPathError('empty JSONPath');
  if (!text.startsWith('.') && !text.startsWith('[')) {
    throw new JsonPathError(`JSONPath must start with "." or "[" (got "${source}")`);
  }
  let root: ListNode;
  try {
    root = parseTemplate(`{${quotedKeysAsFields(text)}}`);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError)
      throw new JsonPathError(`bad JSONPath "${source}": ${error.message}`);
    throw error;
  }
  if (root.nodes.length !== 1 || root.nodes[0].type !== 'list')
    throw new JsonPathError(`bad JSONPath "${source}": one expression expected`);
  const problem = findProblem(root.nodes[0]);
  if (problem) throw new JsonPathError(`bad JSONPath "${source}": ${problem}`);
  return { source, action: root.nodes[0] };
}

/** Every value the path reaches in `root` (missing keys and out-of-range indexes yield nothing). */
export function evaluateJsonPath(path: JsonPath, root: unknown): unknown[] {
  try {
    return evaluateList(path.action, root, { lenient: true });
  } catch (error) {
    if (error instanceof JsonPathExecutionError) return [];
    throw error;
  }
}

/**
 * Whether the path can select several values: it has a wildcard, `..`, a filter, a union or a slice. A path
 * without any (`.spec.containers`, `.items[0]`) names one value at most.
 */
export function selectsMany(path: JsonPath): boolean {
  return path.action.nodes.some(
    (node) =>
      node.type === 'wildcard' ||
      node.type === 'recursive' ||
      node.type === 'filter' ||
      node.type === 'union' ||
      (node.type === 'array' && !node.params[1].derived),
  );
}

/** `['a.b']` and `["a.b"]` (one quoted key, no union) become `.a\.b`, so the dots stay in the key. */
function quotedKeysAsFields(text: string): string {
  return text.replace(/\[\s*(['"])([^'"]*)\1\s*\]/g, (_match, _quote, key: string) =>
    key === '' ? "['']" : '.' + key.replace(/[\\ \t.,[\]$@{}]/g, (c) => '\\' + c),
  );
}

/** What kubectl would only report while evaluating: identifiers, unknown operators, empty field names. */
function findProblem(node: JsonPathNode): string | undefined {
  switch (node.type) {
    case 'list':
      for (const child of node.nodes) {
        const problem = findProblem(child);
        if (problem) return problem;
      }
      return undefined;
    case 'identifier':
      return `unexpected word "${node.name}" (quote strings in filters: "${node.name}")`;
    case 'field':
      return node.name === '' ? 'expected a field name after "."' : undefined;
    case 'union':
      return node.lists.map(findProblem).find((p) => p !== undefined);
    case 'filter':
      if (!OPERATORS.has(node.operator)) return `unrecognized filter operator ${node.operator}`;
      return findProblem(node.left) ?? findProblem(node.right);
    default:
      return undefined;
  }
}
