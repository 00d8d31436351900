import { CommandError } from '../context';

/**
 * The subset of kubectl's JSONPath templates students use: literal text, `{.a.b[0].c}`, `[*]`, `['key']`,
 * `{range .items[*]}...{end}`, and string literals such as `{"\n"}`. Missing keys print nothing
 * (kubectl's default --allow-missing-template-keys=true). Several results of one expression are joined by spaces.
 */
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'path'; steps: Step[] }
  | { kind: 'range'; steps: Step[]; body: Node[] };
type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' };

export function renderJsonPath(template: string, data: unknown): string {
  const nodes = parseTemplate(template);
  return render(nodes, [data]);
}

/** The values one JSONPath expression selects (`.a.b` or `{.a.b}`), for `--sort-by`. */
export function selectJsonPath(expression: string, data: unknown): unknown[] {
  const trimmed = expression.trim();
  const inner = trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed.slice(1, -1) : trimmed;
  return evaluate(parsePath(inner), [data]);
}

function render(nodes: Node[], scope: unknown[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'path') out += evaluate(node.steps, scope).map(printValue).join(' ');
    else for (const item of evaluate(node.steps, scope)) out += render(node.body, [item]);
  }
  return out;
}

function evaluate(steps: Step[], scope: unknown[]): unknown[] {
  let current = scope;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'field') {
        if (value !== null && typeof value === 'object' && !Array.isArray(value) && step.name in value)
          next.push((value as Record<string, unknown>)[step.name]);
      } else if (Array.isArray(value)) {
        if (step.kind === 'all') next.push(...value);
        else {
          const index = step.index < 0 ? value.length + step.index : step.index;
          if (index >= 0 && index < value.length) next.push(value[index]);
          else
            throw new CommandError(
              `error executing jsonpath: array index out of bounds: index ${step.index}, length ${value.length}`,
            );
        }
      } else if (step.kind === 'all' && value !== null && typeof value === 'object') {
        next.push(...Object.values(value));
      }
    }
    current = next;
  }
  return current;
}

function printValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: { body: Node[] }[] = [{ body: root }];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      stack[stack.length - 1].body.push({ kind: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1].body.push({ kind: 'text', text: template.slice(i, open) });
    const close = findClose(template, open);
    const expr = template.slice(open + 1, close).trim();
    i = close + 1;
    const body = stack[stack.length - 1].body;
    if (expr === 'end') {
      if (stack.length === 1) throw new CommandError('error parsing jsonpath: not in range, nothing to end');
      stack.pop();
    } else if (expr.startsWith('range ')) {
      const node: Node = { kind: 'range', steps: parsePath(expr.slice(6).trim()), body: [] };
      body.push(node);
      stack.push(node);
    } else if (/^"(?:[^"\\]|\\.)*"$/.test(expr)) {
      body.push({ kind: 'text', text: JSON.parse(expr) as string });
    } else if (/^'[^']*'$/.test(expr)) {
      body.push({ kind: 'text', text: expr.slice(1, -1) });
    } else {
      body.push({ kind: 'path', steps: parsePath(expr) });
    }
  }
  if (stack.length > 1) throw new CommandError('error parsing jsonpath: unclosed action');
  return root;
}

function findClose(template: string, open: number): number {
  let quote: string | null = null;
  for (let j = open + 1; j < template.length; j++) {
    const c = template[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return j;
  }
  throw new CommandError(`error parsing jsonpath ${template}: unclosed action`);
}

function parsePath(expr: string): Step[] {
  const steps: Step[] = [];
  let rest = expr === '@' || expr === '$' ? '' : expr.replace(/^[@$]/, '');
  if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = '.' + rest;
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    if ((match = /^\.([A-Za-z0-9_-]+)/.exec(rest))) steps.push({ kind: 'field', name: match[1] });
    else if ((match = /^\[\*\]/.exec(rest)) || (match = /^\.\*/.exec(rest))) steps.push({ kind: 'all' });
    else if ((match = /^\[(-?\d+)\]/.exec(rest))) steps.push({ kind: 'index', index: Number(match[1]) });
    else if ((match = /^\[['"]([^'"]+)['"]\]/.exec(rest))) steps.push({ kind: 'field', name: match[1] });
    else if ((match = /^\.$/.exec(rest))) break;
    else
      throw new CommandError(
        `error parsing jsonpath {${expr}}: unrecognized character in action: ${rest.slice(0, 12)}`,
      );
    rest = rest.slice(match[0].length);
  }
  return steps;
}
