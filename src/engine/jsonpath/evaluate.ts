import { GoFloat, GoInt, goKind, goSprint, goTypeName, NumberMode, numberOf } from './go-values';
import type { JsonPathNode, ListNode } from './parser';

export interface EvaluateOptions {
  /** How JSON numbers are typed: `float64` for typed objects converted through JSON, `int64` for unstructured ones. */
  numbers?: NumberMode;
  /** kubectl's `--allow-missing-template-keys` (default true): a missing field yields nothing instead of an error. */
  allowMissingKeys?: boolean;
  /**
   * For the lab grader: an index out of range or a step over a value of the wrong type yields nothing, filters also
   * walk objects, and comparing different types is false instead of an error.
   */
  lenient?: boolean;
}

/** A template that fails on the data; `message` is kubectl's text (`array index out of bounds: ...`). */
export class JsonPathExecutionError extends Error {}

/** Runs a parsed template on `data` like client-go's FindResults: one result list per printed node. */
export function findResults(root: ListNode, data: unknown, options: EvaluateOptions = {}): unknown[][] {
  return new Evaluator(options).find(root.nodes, data);
}

/** The values one action's node list selects from `data` (for `--sort-by` and the lab grader). */
export function evaluateList(list: ListNode, data: unknown, options: EvaluateOptions = {}): unknown[] {
  return new Evaluator(options).list([data], list);
}

const fail = (message: string): never => {
  throw new JsonPathExecutionError(message);
};

class Evaluator {
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode: JsonPathNode | undefined;
  private readonly numbers: NumberMode;
  private readonly allowMissing: boolean;
  private readonly lenient: boolean;

  constructor(options: EvaluateOptions) {
    this.numbers = options.numbers ?? 'int64';
    this.allowMissing = options.allowMissingKeys ?? true;
    this.lenient = options.lenient ?? false;
  }

  find(nodes: JsonPathNode[], data: unknown): unknown[][] {
    const full: unknown[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const results = this.walk([data], nodes[i]);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = nodes[i];
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        const body = nodes.slice(i + 1);
        if (results.length > 0) for (const value of results) full.push(...this.find(body, value));
        else this.find(body, null);
        this.inRange--;
        const end = nodes.indexOf(this.lastEndNode as JsonPathNode, i + 1);
        if (end >= 0) i = end;
        continue;
      }
      full.push(results);
    }
    return full;
  }

  list(input: unknown[], list: ListNode): unknown[] {
    let current = input;
    for (const node of list.nodes) current = this.walk(current, node);
    return current;
  }

  private walk(input: unknown[], node: JsonPathNode): unknown[] {
    switch (node.type) {
      case 'list':
        return this.list(input, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.field(input, node.name);
      case 'array':
        return this.array(input, node.params);
      case 'filter':
        return this.filter(input, node);
      case 'int':
        return input.map(() => new GoInt(node.value));
      case 'float':
        return input.map(() => new GoFloat(node.value));
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return input.flatMap((value) => this.children(value));
      case 'recursive':
        return this.recursive(input);
      case 'union':
        return node.lists.flatMap((list) => this.list(input, list));
      case 'identifier':
        return this.identifier(input, node.name);
    }
  }

  private identifier(input: unknown[], name: string): unknown[] {
    if (name === 'range') {
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.inRange > 0) this.endRange++;
      else fail('not in range, nothing to end');
      return [];
    }
    return fail(`unrecognized identifier ${name}`);
  }

  private field(input: unknown[], name: string): unknown[] {
    const results: unknown[] = [];
    for (const value of input) {
      if (goKind(value, this.numbers) === 'map' && Object.hasOwn(value as object, name))
        results.push((value as Record<string, unknown>)[name]);
    }
    if (results.length === 0 && input.length > 0 && !this.allowMissing) fail(`${name} is not found`);
    return results;
  }

  private array(input: unknown[], params: [SliceLike, SliceLike, SliceLike]): unknown[] {
    const result: unknown[] = [];
    for (const value of input) {
      if (value === null || value === undefined) continue;
      if (!Array.isArray(value)) {
        if (this.lenient) continue;
        fail(`${goTypeName(value, this.numbers)} is not array or slice`);
      }
      const items = value as unknown[];
      const length = items.length;
      let start = params[0].known ? params[0].value : 0;
      if (start < 0) start += length;
      let end = params[1].known ? params[1].value : length;
      if (end < 0 || (end === 0 && params[1].derived)) end += length;
      if (end === start) return result;
      if (start >= length || start < 0) {
        if (this.lenient) continue;
        fail(`array index out of bounds: index ${start}, length ${length}`);
      }
      if (end > length || end < 0) {
        if (this.lenient) continue;
        fail(`array index out of bounds: index ${end - 1}, length ${length}`);
      }
      if (start > end) {
        if (this.lenient) continue;
        fail(`starting index ${start} is greater than ending index ${end}`);
      }
      let step = 1;
      if (params[2].known) {
        if (params[2].value <= 0) fail('step must be > 0');
        step = params[2].value;
      }
      for (let i = start; i < end; i += step) result.push(items[i]);
    }
    return result;
  }

  private children(value: unknown): unknown[] {
    switch (goKind(value, this.numbers)) {
      case 'map':
        return Object.values(value as object);
      case 'slice':
        return value as unknown[];
      case 'string':
        return [...new TextEncoder().encode(value as string)];
      default:
        return [];
    }
  }

  private recursive(input: unknown[]): unknown[] {
    const result: unknown[] = [];
    for (const value of input) {
      const children = this.children(value);
      if (children.length === 0) continue;
      result.push(value, ...this.recursive(children));
    }
    return result;
  }

  private filter(input: unknown[], node: Extract<JsonPathNode, { type: 'filter' }>): unknown[] {
    const results: unknown[] = [];
    for (const value of input) {
      let items: unknown[];
      if (Array.isArray(value)) items = value;
      else if (this.lenient)
        items = goKind(value, this.numbers) === 'map' ? Object.values(value as object) : [];
      else
        return fail(
          value === null || value === undefined
            ? '<invalid reflect.Value> is not array or slice and cannot be filtered'
            : `${goSprint(value, this.numbers)} is not array or slice and cannot be filtered`,
        );
      for (const item of items) {
        if (node.operator === 'exists') {
          let found: unknown[] = [];
          try {
            found = this.list([item], node.left);
          } catch (error) {
            if (!(error instanceof JsonPathExecutionError)) throw error;
          }
          if (found.length > 0) results.push(item);
          continue;
        }
        const left = this.single(this.list([item], node.left));
        if (left.length === 0) continue;
        const right = this.single(this.list([item], node.right));
        if (right.length === 0) continue;
        if (this.compare(left[0], right[0], node.operator)) results.push(item);
      }
    }
    return results;
  }

  private single(values: unknown[]): unknown[] {
    if (values.length > 1) fail('can only compare one element at a time');
    return values;
  }

  private compare(left: unknown, right: unknown, operator: string): boolean {
    try {
      return compareGo(left, right, operator, this.numbers);
    } catch (error) {
      if (this.lenient && error instanceof JsonPathExecutionError) return false;
      throw error;
    }
  }
}

type SliceLike = { value: number; known: boolean; derived: boolean };

type Basic = 'bool' | 'int' | 'float' | 'string';

function basicKind(value: unknown, numbers: NumberMode): Basic {
  const kind = goKind(value, numbers);
  if (kind === 'nil' || kind === 'map' || kind === 'slice') return fail('invalid type for comparison');
  return kind;
}

/** text/template's eq/lt and friends, as client-go's filters use them. */
function compareGo(left: unknown, right: unknown, operator: string, numbers: NumberMode): boolean {
  const equal = (): boolean => {
    const k1 = basicKind(left, numbers);
    const k2 = basicKind(right, numbers);
    if (k1 !== k2) return fail('incompatible types for comparison');
    return k1 === 'int' || k1 === 'float' ? numberOf(left) === numberOf(right) : left === right;
  };
  const less = (): boolean => {
    const k1 = basicKind(left, numbers);
    const k2 = basicKind(right, numbers);
    if (k1 !== k2) return fail('incompatible types for comparison');
    if (k1 === 'bool') return fail('invalid type for comparison');
    if (k1 === 'string') return (left as string) < (right as string);
    return numberOf(left) < numberOf(right);
  };
  switch (operator) {
    case '==':
      return equal();
    case '!=':
      return !equal();
    case '<':
      return less();
    case '<=':
      return less() || equal();
    case '>':
      return !(less() || equal());
    case '>=':
      return !less();
    default:
      return fail(`unrecognized filter operator ${operator}`);
  }
}
