/**
 * Reads the conditions of an object check (`where:`), each a mapping with one main key: field, length, phase,
 * ready, waitingReason, image, serviceType, port, rolloutComplete, selectsPods.
 */
import { Condition, FileCheck } from '../format/types';
import { selectableKind } from '../format/kinds';
import { POD_TEMPLATE_KINDS } from '../evaluation/kube';
import { Cursor } from './reader';
import {
  allDefined,
  checkPlaceholders,
  CheckScope,
  readJsonPath,
  readPlainString,
  readRegex,
  readTemplate,
} from './read-values';

const CONDITION_KEYS: Record<Condition['type'], readonly string[]> = {
  field: ['field', 'equals', 'matches', 'atLeast', 'atMost', 'exists'],
  length: ['length'],
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
const CONDITION_KINDS: Partial<Record<Condition['type'], readonly string[]>> = {
  phase: ['Pod'],
  ready: ['Pod'],
  waitingReason: ['Pod'],
  image: ['Pod', ...POD_TEMPLATE_KINDS],
  serviceType: ['Service'],
  port: ['Service'],
  rolloutComplete: ['Deployment'],
  selectsPods: ['Service'],
};

export function readCondition(cursor: Cursor, scope: CheckScope): Condition | undefined {
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
    case 'length':
      return readLengthCondition(main, scope);
    case 'phase': {
      const phase = readPlainString(main);
      return phase === undefined ? undefined : { type, phase };
    }
    case 'ready': {
      const ready = main.boolean();
      return ready === undefined ? undefined : { type, ready };
    }
    case 'waitingReason': {
      const reasons = Array.isArray(main.value)
        ? main.list(1).map((item) => readPlainString(item))
        : [readPlainString(main)];
      return allDefined(reasons) ? { type, reasons } : undefined;
    }
    case 'image': {
      const image = readTemplate(main, scope);
      const container = readTemplate(cursor.child('container'), scope, { optional: true });
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
  const path = readJsonPath(cursor.child('field'), scope);
  const ops = (['equals', 'matches', 'atLeast', 'atMost', 'exists'] as const).filter((op) => cursor.has(op));
  if (ops.length !== 1) {
    return cursor.report('a field condition needs exactly one of equals, matches, atLeast, atMost, exists');
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
    case 'atLeast':
    case 'atMost': {
      const expected = valueCursor.number();
      return expected === undefined ? undefined : { type: 'field', path, op, expected };
    }
    case 'exists': {
      const expected = valueCursor.boolean();
      return expected === undefined ? undefined : { type: 'field', path, op, expected };
    }
  }
}

/**
 * `file: { path: web.yaml, exists: true }`, `file: { path: web.yaml, manifest: { kind: Deployment } }`,
 * `file: { path: web.yaml, field: .spec.replicas, equals: 3 }` (or any field op, or `length: {...}`).
 */
export function readFileCheck(cursor: Cursor, scope: CheckScope): FileCheck | undefined {
  const fieldKeys = CONDITION_KEYS.field;
  if (!cursor.mapping(['path', 'exists', 'manifest', ...fieldKeys, 'length'], ['path'])) return undefined;
  const pathCursor = cursor.child('path');
  const path = readTemplate(pathCursor, scope);
  if (path !== undefined && (path.startsWith('/') || path.split('/').includes('..'))) {
    return pathCursor.report('must be a path inside the home: relative, without ".."');
  }
  // With a field, `exists` is the field's (`field: .spec.replicas, exists: true`); the file must exist then.
  const exists = cursor.has('exists') && !cursor.has('field') ? cursor.child('exists').boolean() : true;
  let manifest: FileCheck['manifest'];
  if (cursor.has('manifest')) {
    const manifestCursor = cursor.child('manifest');
    if (!manifestCursor.mapping(['kind'], ['kind'])) return undefined;
    const kindCursor = manifestCursor.child('kind');
    const kind = readPlainString(kindCursor);
    if (kind !== undefined && !selectableKind(kind)) return kindCursor.report(`unknown kind "${kind}"`);
    manifest = kind === undefined ? undefined : { kind };
    if (!manifest) return undefined;
  }
  let condition: FileCheck['condition'];
  if (cursor.has('field')) condition = readFieldCondition(cursor, scope) as FileCheck['condition'];
  else if (cursor.has('length'))
    condition = readLengthCondition(cursor.child('length'), scope) as FileCheck['condition'];
  else {
    const stray = fieldKeys.filter((key) => key !== 'field' && key !== 'exists' && cursor.has(key));
    if (stray.length > 0) return cursor.child(stray[0]).report('needs a field: JSONPath to compare');
  }
  if ((cursor.has('field') || cursor.has('length')) && !condition) return undefined;
  if (exists === false && (manifest || condition)) {
    return cursor.child('exists').report('exists: false cannot be combined with manifest, field or length');
  }
  if (path === undefined || exists === undefined) return undefined;
  return {
    type: 'file',
    path,
    exists,
    ...(manifest ? { manifest } : {}),
    ...(condition ? { condition } : {}),
  };
}

/** `length: { path: .spec.containers, equals: 2 }` (or atLeast / atMost). */
function readLengthCondition(cursor: Cursor, scope: CheckScope): Condition | undefined {
  const ops = ['equals', 'atLeast', 'atMost'] as const;
  if (!cursor.mapping(['path', ...ops], ['path'])) return undefined;
  const path = readJsonPath(cursor.child('path'), scope);
  const present = ops.filter((op) => cursor.has(op));
  if (present.length !== 1)
    return cursor.report('a length condition needs exactly one of equals, atLeast, atMost');
  const op = present[0];
  const expected = cursor.child(op).integer(0);
  return path === undefined || expected === undefined ? undefined : { type: 'length', path, op, expected };
}

function readPortCondition(cursor: Cursor): Condition | undefined {
  const port = cursor.child('port').integer(1);
  const targetPort = cursor.child('targetPort').integer(1, { optional: true });
  const nodePort = cursor.child('nodePort').integer(1, { optional: true });
  const protocol = readPlainString(cursor.child('protocol'), { optional: true });
  if (protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(protocol)) {
    return cursor.child('protocol').report('expected TCP, UDP or SCTP');
  }
  if (port === undefined) return undefined;
  return { type: 'port', port, targetPort, nodePort, protocol };
}

export function checkConditionFitsKind(condition: Condition, kind: string, cursor: Cursor): void {
  const kinds = CONDITION_KINDS[condition.type];
  if (kinds && !kinds.includes(kind)) {
    cursor.report(`condition ${condition.type} applies to ${kinds.join(', ')}, not to ${kind}`);
  }
}
