/**
 * Reads and validates one check (and its conditions) from YAML. The shape of each check is chosen by its key:
 * `select` (objects), `ran`, `ranInOrder`, `all`, `any`, `not`. Regexes, selectors and JSONPaths are compiled
 * here, so evaluation never meets a malformed one.
 */
import { parseJsonPath, JsonPathError } from '../jsonpath/jsonpath';
import { parseLabelSelector, LabelSelectorError } from '../selector/label-selector';
import { escapeRegExp, fillPlaceholders, placeholdersIn } from '../format/template';
import {
  Check,
  CommandPattern,
  Condition,
  CountRule,
  KNOWN_KINDS,
  KnownKind,
  ObjectSelector,
} from '../format/types';
import { Cursor } from './reader';

const CHECK_KEYS = ['select', 'ran', 'ranInOrder', 'all', 'any', 'not'] as const;

/** What check readers need to know about the lab: the names usable as {{placeholders}}. */
export interface CheckScope {
  varNames: ReadonlySet<string>;
  /** Values of the fixed vars, known at load time; captured ones get a stand-in when checking offline. */
  fixedValues?: ReadonlyMap<string, string>;
}

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
  if (kind !== undefined && !KNOWN_KINDS.includes(kind as KnownKind)) {
    kindCursor.report(`unknown kind "${kind}" (known: ${KNOWN_KINDS.join(', ')})`);
  }
  const namespace = readTemplate(cursor.child('namespace'), scope, { optional: true });
  const name = readTemplate(cursor.child('name'), scope, { optional: true });
  const selectorCursor = cursor.child('labelSelector');
  const labelSelector = readTemplate(selectorCursor, scope, { optional: true });
  if (labelSelector !== undefined) {
    try {
      parseLabelSelector(fillPlaceholders(labelSelector, () => 'x'));
    } catch (error) {
      if (!(error instanceof LabelSelectorError)) throw error;
      selectorCursor.report(error.message);
    }
  }
  if (kind === undefined || !KNOWN_KINDS.includes(kind as KnownKind)) return undefined;
  return { kind: kind as KnownKind, namespace, name, labelSelector };
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

const CONDITION_KEYS: Record<Condition['type'], readonly string[]> = {
  field: ['field', 'equals', 'matches', 'atLeast', 'exists'],
  phase: ['phase'],
  ready: ['ready'],
  waitingReason: ['waitingReason'],
  image: ['image', 'container'],
  serviceType: ['serviceType'],
  port: ['port', 'targetPort', 'nodePort', 'protocol'],
  rolloutComplete: ['rolloutComplete'],
  selectsPods: ['selectsPods'],
};

/** Conditions that only make sense for some kinds, so a mistaken pairing is caught at load time. */
const CONDITION_KINDS: Partial<Record<Condition['type'], readonly KnownKind[]>> = {
  phase: ['Pod'],
  ready: ['Pod'],
  waitingReason: ['Pod'],
  image: ['Pod', 'Deployment', 'ReplicaSet'],
  serviceType: ['Service'],
  port: ['Service'],
  rolloutComplete: ['Deployment'],
  selectsPods: ['Service'],
};

function readCondition(cursor: Cursor, scope: CheckScope): Condition | undefined {
  const types = (Object.keys(CONDITION_KEYS) as Condition['type'][]).filter((type) => cursor.has(type));
  if (types.length !== 1) {
    return cursor.report(
      `expected a condition with exactly one of ${Object.keys(CONDITION_KEYS).join(', ')}` +
        (types.length > 1 ? ` (found ${types.join(' and ')})` : ''),
    );
  }
  const type = types[0];
  if (!cursor.mapping(CONDITION_KEYS[type])) return undefined;
  const main = cursor.child(type);
  switch (type) {
    case 'field':
      return readFieldCondition(cursor, scope);
    case 'phase': {
      const phase = main.string();
      return phase === undefined ? undefined : { type, phase };
    }
    case 'ready': {
      const ready = main.boolean();
      return ready === undefined ? undefined : { type, ready };
    }
    case 'waitingReason': {
      const reasons = Array.isArray(main.value) ? main.list(1).map((item) => item.string()) : [main.string()];
      return allDefined(reasons) ? { type, reasons } : undefined;
    }
    case 'image': {
      const image = readTemplate(main, scope);
      const container = cursor.child('container').string({ optional: true });
      return image === undefined ? undefined : { type, image, ...(container ? { container } : {}) };
    }
    case 'serviceType': {
      const serviceType = main.string();
      const known = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
      if (serviceType !== undefined && !known.includes(serviceType)) {
        return main.report(`unknown service type "${serviceType}" (known: ${known.join(', ')})`);
      }
      return serviceType === undefined ? undefined : { type, serviceType };
    }
    case 'port':
      return readPortCondition(cursor);
    case 'rolloutComplete': {
      const complete = main.boolean();
      return complete === undefined ? undefined : { type, complete };
    }
    case 'selectsPods': {
      const selects = main.boolean();
      return selects === undefined ? undefined : { type, selects };
    }
  }
}

function readFieldCondition(cursor: Cursor, scope: CheckScope): Condition | undefined {
  const pathCursor = cursor.child('field');
  const path = pathCursor.string();
  if (path !== undefined) {
    try {
      parseJsonPath(path);
    } catch (error) {
      if (!(error instanceof JsonPathError)) throw error;
      pathCursor.report(error.message);
    }
  }
  const ops = (['equals', 'matches', 'atLeast', 'exists'] as const).filter((op) => cursor.has(op));
  if (ops.length !== 1) {
    return cursor.report('a field condition needs exactly one of equals, matches, atLeast, exists');
  }
  const op = ops[0];
  const valueCursor = cursor.child(op);
  if (path === undefined) return undefined;
  switch (op) {
    case 'equals': {
      const expected = valueCursor.value;
      if (typeof expected === 'string') checkPlaceholders(valueCursor, expected, scope);
      else if (typeof expected === 'object' && expected !== null) {
        return valueCursor.report('expected a string, a number, true, false or null');
      }
      return { type: 'field', path, op, expected };
    }
    case 'matches': {
      const expected = readRegex(valueCursor, scope);
      return expected === undefined ? undefined : { type: 'field', path, op, expected };
    }
    case 'atLeast': {
      const expected = valueCursor.number();
      return expected === undefined ? undefined : { type: 'field', path, op, expected };
    }
    case 'exists': {
      const expected = valueCursor.boolean();
      return expected === undefined ? undefined : { type: 'field', path, op, expected };
    }
  }
}

function readPortCondition(cursor: Cursor): Condition | undefined {
  const port = cursor.child('port').integer(1);
  const targetPort = cursor.child('targetPort').integer(1, { optional: true });
  const nodePort = cursor.child('nodePort').integer(1, { optional: true });
  const protocol = cursor.child('protocol').string({ optional: true });
  if (protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(protocol)) {
    return cursor.child('protocol').report('expected TCP, UDP or SCTP');
  }
  if (port === undefined) return undefined;
  return { type: 'port', port, targetPort, nodePort, protocol };
}

function checkConditionFitsKind(condition: Condition, kind: KnownKind, cursor: Cursor): void {
  const kinds = CONDITION_KINDS[condition.type];
  if (kinds && !kinds.includes(kind)) {
    cursor.report(`condition ${condition.type} applies to ${kinds.join(', ')}, not to ${kind}`);
  }
}

export function readCommandPattern(cursor: Cursor, scope: CheckScope): CommandPattern | undefined {
  if (!cursor.mapping(['command', 'status', 'output', 'example'], ['command'])) return undefined;
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
  };
}

function readRegex(cursor: Cursor, scope: CheckScope): string | undefined {
  const source = readTemplate(cursor, scope);
  if (source === undefined) return undefined;
  try {
    new RegExp(fillPlaceholders(source, () => 'x', escapeRegExp));
  } catch (error) {
    const detail = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    return cursor.report(`bad regex /${source}/: ${detail}`);
  }
  return source;
}

/** A string that may contain {{placeholders}}; each must name a var of the lab. */
export function readTemplate(cursor: Cursor, scope: CheckScope, options: { optional?: boolean } = {}) {
  const text = cursor.value === undefined && options.optional ? undefined : cursor.scalarText();
  if (text !== undefined) checkPlaceholders(cursor, text, scope);
  return text;
}

export function checkPlaceholders(cursor: Cursor, text: string, scope: CheckScope): void {
  for (const name of placeholdersIn(text)) {
    if (!scope.varNames.has(name)) cursor.report(`unknown variable {{${name}}}`);
  }
}

export function allDefined<T>(items: (T | undefined)[]): items is T[] {
  return items.every((item) => item !== undefined);
}
