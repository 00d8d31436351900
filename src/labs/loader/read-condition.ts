/**
 * Reads the conditions of an object check (`where:`), each a mapping with one main key: field, phase, ready,
 * waitingReason, image, serviceType, port, rolloutComplete, selectsPods.
 */
import { Condition, KnownKind } from '../format/types';
import { Cursor } from './reader';
import {
  allDefined,
  checkPlaceholders,
  CheckScope,
  readJsonPath,
  readRegex,
  readTemplate,
} from './read-values';

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
  const path = readJsonPath(cursor.child('field'));
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

export function checkConditionFitsKind(condition: Condition, kind: KnownKind, cursor: Cursor): void {
  const kinds = CONDITION_KINDS[condition.type];
  if (kinds && !kinds.includes(kind)) {
    cursor.report(`condition ${condition.type} applies to ${kinds.join(', ')}, not to ${kind}`);
  }
}
