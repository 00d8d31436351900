/**
 * Reads and validates one check from YAML. The shape of each check is chosen by its key: `select` (objects),
 * `ran`, `ranInOrder`, `all`, `any`, `not`. Regexes, selectors and JSONPaths are compiled here, so evaluation
 * never meets a malformed one.
 */
import { parseRequirements, SelectorSyntaxError } from '../../engine/server/selectors';
import { escapeRegExp, fillPlaceholders } from '../format/template';
import { Check, CommandPattern, CountRule, ObjectSelector } from '../format/types';
import { selectableKind, suggestKind } from '../format/kinds';
import { Cursor } from './reader';
import { checkConditionFitsKind, readCondition, readFileCheck } from './read-condition';
import { allDefined, CheckScope, readRegex, readTemplate } from './read-values';

const CHECK_KEYS = ['select', 'ran', 'ranInOrder', 'file', 'all', 'any', 'not'] as const;

export function readCheck(cursor: Cursor, scope: CheckScope): Check | undefined {
  const present = CHECK_KEYS.filter((key) => cursor.has(key));
  if (present.length !== 1) {
    return cursor.report(
      present.length === 0
        ? `expected a check: a mapping with one of ${CHECK_KEYS.join(', ')}`
        : `a check has exactly one of ${CHECK_KEYS.join(', ')} (found ${present.join(' and ')})`,
    );
  }
  const label = cursor.has('label') ? cursor.child('label').localized() : undefined;
  const withLabel = <T extends Check>(check: T | undefined): T | undefined =>
    check && label ? { ...check, label } : check;

  switch (present[0]) {
    case 'select':
      return withLabel(readObjectCheck(cursor, scope));
    case 'ran': {
      if (!cursor.mapping(['ran', 'label'])) return undefined;
      const pattern = readCommandPattern(cursor.child('ran'), scope);
      return withLabel(pattern && { type: 'ran', pattern });
    }
    case 'ranInOrder': {
      if (!cursor.mapping(['ranInOrder', 'label'])) return undefined;
      const patterns = cursor
        .child('ranInOrder')
        .list(2)
        .map((item) => readCommandPattern(item, scope));
      return withLabel(allDefined(patterns) ? { type: 'ranInOrder', patterns } : undefined);
    }
    case 'file': {
      if (!cursor.mapping(['file', 'label'])) return undefined;
      return withLabel(readFileCheck(cursor.child('file'), scope));
    }
    case 'all':
    case 'any': {
      const type = present[0];
      if (!cursor.mapping([type, 'label'])) return undefined;
      const checks = cursor
        .child(type)
        .list(1)
        .map((item) => readCheck(item, scope));
      return withLabel(allDefined(checks) ? { type, checks } : undefined);
    }
    case 'not': {
      if (!cursor.mapping(['not', 'label'])) return undefined;
      const check = readCheck(cursor.child('not'), scope);
      return withLabel(check && { type: 'not', check });
    }
  }
}

function readObjectCheck(cursor: Cursor, scope: CheckScope): Check | undefined {
  if (!cursor.mapping(['select', 'where', 'count', 'label'], ['select'])) return undefined;
  const select = readSelector(cursor.child('select'), scope);
  const where = cursor
    .child('where')
    .list(1, { optional: true })
    .map((item) => readCondition(item, scope));
  const count = cursor.has('count') ? readCount(cursor.child('count')) : { atLeast: 1 };
  if (!select || !count || !allDefined(where)) return undefined;
  for (const condition of where) checkConditionFitsKind(condition, select.kind, cursor.child('where'));
  return { type: 'objects', select, where, count };
}

export function readSelector(cursor: Cursor, scope: CheckScope): ObjectSelector | undefined {
  if (!cursor.mapping(['kind', 'namespace', 'name', 'labelSelector'], ['kind'])) return undefined;
  const kindCursor = cursor.child('kind');
  const kind = kindCursor.string();
  const info = kind === undefined ? undefined : selectableKind(kind);
  if (kind !== undefined && !info) {
    const suggestion = suggestKind(kind);
    kindCursor.report(
      `unknown kind "${kind}" (${suggestion ? `did you mean ${suggestion}? ` : ''}` +
        'a kind the cluster serves, spelled as in a manifest: Pod, ConfigMap, Job, Ingress, ...)',
    );
  }
  if (info && !info.namespaced && cursor.has('namespace')) {
    cursor.child('namespace').report(`${info.kind} is cluster-scoped: it has no namespace`);
  }
  const namespace = readTemplate(cursor.child('namespace'), scope, { optional: true });
  const name = readTemplate(cursor.child('name'), scope, { optional: true });
  const selectorCursor = cursor.child('labelSelector');
  const labelSelector = readTemplate(selectorCursor, scope, { optional: true });
  if (labelSelector !== undefined) {
    try {
      parseRequirements(fillPlaceholders(labelSelector, () => 'x'));
    } catch (error) {
      if (!(error instanceof SelectorSyntaxError)) throw error;
      selectorCursor.report(`bad label selector "${labelSelector}": ${error.message}`);
    }
  }
  if (kind === undefined || !info) return undefined;
  return { kind: info.kind, namespace, name, labelSelector };
}

function readCount(cursor: Cursor): CountRule | undefined {
  if (cursor.value === 'all') return 'all';
  if (typeof cursor.value === 'number') {
    const equals = cursor.integer(0);
    return equals === undefined ? undefined : { equals };
  }
  if (typeof cursor.value === 'object' && cursor.value !== null && !Array.isArray(cursor.value)) {
    if (!cursor.mapping(['atLeast'], ['atLeast'])) return undefined;
    const atLeast = cursor.child('atLeast').integer(0);
    return atLeast === undefined ? undefined : { atLeast };
  }
  return cursor.report('expected a non-negative integer, { atLeast: N } or all');
}
export function readCommandPattern(cursor: Cursor, scope: CheckScope): CommandPattern | undefined {
  if (!cursor.mapping(['command', 'status', 'output', 'example', 'namespace'], ['command'])) return undefined;
  const namespace = readTemplate(cursor.child('namespace'), scope, { optional: true });
  const command = readRegex(cursor.child('command'), scope);
  const statusCursor = cursor.child('status');
  const status = statusCursor.value ?? 'succeeded';
  if (status !== 'succeeded' && status !== 'failed' && status !== 'any') {
    return statusCursor.report('expected succeeded, failed or any');
  }
  const output = cursor.has('output') ? readRegex(cursor.child('output'), scope) : undefined;
  const exampleCursor = cursor.child('example');
  const example = readTemplate(exampleCursor, scope, { optional: true });
  if (command === undefined || (cursor.has('output') && output === undefined)) return undefined;
  if (example !== undefined) {
    // Fixed vars take their values; captured ones the same stand-in on both sides (`curl ...:{{nodePort}}`).
    const valueOf = (name: string) => scope.fixedValues?.get(name) ?? 'x';
    const regex = new RegExp(fillPlaceholders(command, valueOf, escapeRegExp));
    const line = fillPlaceholders(example, valueOf);
    if (!regex.test(line)) return exampleCursor.report(`does not match the command regex /${command}/`);
  }
  return {
    command,
    status,
    ...(output !== undefined ? { output } : {}),
    ...(example !== undefined ? { example } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}
