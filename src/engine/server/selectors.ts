import type { ResourceName } from '../api/resources';
import { badRequest } from '../api/status-error';
import type { KubeObject, LabelSelector } from '../api/types';

export interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!' | '=' | '!=';
  values: string[];
}

export type Selector = Requirement[];

function matchesRequirement(req: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels![req.key] : undefined;
  switch (req.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case 'in':
      return has && req.values.includes(value!);
    case '!=':
    case 'notin':
      return !has || !req.values.includes(value!);
  }
}

export function matchesSelector(selector: Selector, labels: Record<string, string> | undefined): boolean {
  return selector.every((req) => matchesRequirement(req, labels));
}

const SELECTOR_OPS: Record<string, string> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/** A metav1.LabelSelector (deployment/RS spec.selector): empty matches everything. */
export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  // for-in rather than Object.entries: controllers match every pod against every selector on each pass, and the
  // entries' arrays were a good part of what they allocated. Selectors are plain JSON (no inherited keys).
  const matchLabels = selector.matchLabels;
  if (matchLabels) for (const k in matchLabels) if (labels?.[k] !== matchLabels[k]) return false;
  for (const expr of selector.matchExpressions ?? []) {
    const op = SELECTOR_OPS[expr.operator] as Requirement['op'];
    if (!matchesRequirement({ key: expr.key, op, values: expr.values ?? [] }, labels)) return false;
  }
  return true;
}

/** `app=x,pod-template-hash=y` as kubectl prints a selector (matchLabels sorted by key). */
export function formatLabelSelector(selector: LabelSelector): string {
  const parts = Object.keys(selector.matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${selector.matchLabels![k]}`);
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export class SelectorSyntaxError extends Error {}

/** Tokenizer and parser for the label selector grammar of apimachinery `labels.Parse`. */
export function parseRequirements(input: string): Selector {
  const tokens = input.match(/\s*(!=|==|=|!|,|\(|\)|[^\s!=,()]+)/g)?.map((t) => t.trim()) ?? [];
  if (tokens.join('') !== input.replace(/\s+/g, ''))
    throw new SelectorSyntaxError(`unable to parse requirement`);
  const reqs: Selector = [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const identifier = (what: string): string => {
    const t = next();
    if (t === undefined || ['!=', '==', '=', '!', ',', '(', ')'].includes(t))
      throw new SelectorSyntaxError(`found '${t ?? ''}', expected: ${what}`);
    return t;
  };
  const checkKey = (key: string) => {
    if (!KEY.test(key) || key.split('/').pop()!.length > 63)
      throw new SelectorSyntaxError(`invalid label key "${key}"`);
  };
  const checkValue = (value: string) => {
    if (!VALUE.test(value) || value.length > 63)
      throw new SelectorSyntaxError(`invalid label value: "${value}"`);
  };
  while (i < tokens.length) {
    if (peek() === '!') {
      next();
      const key = identifier('identifier');
      checkKey(key);
      reqs.push({ key, op: '!', values: [] });
    } else {
      const key = identifier('identifier');
      checkKey(key);
      const op = peek();
      if (op === undefined || op === ',') {
        reqs.push({ key, op: 'exists', values: [] });
      } else if (op === '=' || op === '==' || op === '!=') {
        next();
        const v = peek() === undefined || peek() === ',' ? '' : identifier('identifier');
        checkValue(v);
        reqs.push({ key, op: op === '!=' ? '!=' : '=', values: [v] });
      } else if (op === 'in' || op === 'notin') {
        next();
        if (next() !== '(') throw new SelectorSyntaxError(`found '${tokens[i - 1] ?? ''}', expected: '('`);
        const values: string[] = [];
        while (peek() !== ')') {
          if (peek() === undefined) throw new SelectorSyntaxError(`found '', expected: ')'`);
          if (peek() === ',') {
            next();
            continue;
          }
          const v = identifier('identifier');
          checkValue(v);
          values.push(v);
        }
        next();
        reqs.push({ key, op, values });
      } else {
        throw new SelectorSyntaxError(`found '${op}', expected: '=', '!=', '==', 'in', notin'`);
      }
    }
    if (i < tokens.length) {
      const sep = next();
      if (sep !== ',') throw new SelectorSyntaxError(`found '${sep}', expected: ',' or 'end of string'`);
      if (i >= tokens.length) throw new SelectorSyntaxError(`found '', expected: identifier after ','`);
    }
  }
  return reqs;
}

const FIELDS: Partial<Record<ResourceName, Record<string, (o: KubeObject) => string | undefined>>> = {
  pods: {
    'spec.nodeName': (o) => (o.spec as { nodeName?: string }).nodeName ?? '',
    'spec.restartPolicy': (o) => (o.spec as { restartPolicy?: string }).restartPolicy,
    'spec.schedulerName': (o) => (o.spec as { schedulerName?: string }).schedulerName,
    'spec.serviceAccountName': (o) => (o.spec as { serviceAccountName?: string }).serviceAccountName,
    'spec.hostNetwork': (o) => String((o.spec as { hostNetwork?: boolean }).hostNetwork ?? false),
    'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase ?? '',
    'status.podIP': (o) => (o.status as { podIP?: string } | undefined)?.podIP ?? '',
    'status.nominatedNodeName': () => '',
  },
  events: {
    'involvedObject.kind': (o) => (o as unknown as { involvedObject: { kind: string } }).involvedObject.kind,
    'involvedObject.namespace': (o) =>
      (o as unknown as { involvedObject: { namespace?: string } }).involvedObject.namespace ?? '',
    'involvedObject.name': (o) => (o as unknown as { involvedObject: { name: string } }).involvedObject.name,
    'involvedObject.uid': (o) =>
      (o as unknown as { involvedObject: { uid?: string } }).involvedObject.uid ?? '',
    'involvedObject.apiVersion': (o) =>
      (o as unknown as { involvedObject: { apiVersion?: string } }).involvedObject.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) =>
      (o as unknown as { involvedObject: { resourceVersion?: string } }).involvedObject.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) =>
      (o as unknown as { involvedObject: { fieldPath?: string } }).involvedObject.fieldPath ?? '',
    reason: (o) => (o as unknown as { reason: string }).reason,
    reportingComponent: (o) => (o as unknown as { reportingComponent: string }).reportingComponent,
    source: (o) => (o as unknown as { source: { component: string } }).source.component,
    type: (o) => (o as unknown as { type: string }).type,
  },
  replicasets: {
    'status.replicas': (o) => String((o.status as { replicas?: number } | undefined)?.replicas ?? 0),
  },
  namespaces: { 'status.phase': (o) => (o.status as { phase?: string }).phase },
  nodes: {
    'spec.unschedulable': (o) => String((o.spec as { unschedulable?: boolean }).unschedulable ?? false),
  },
};

export interface FieldRequirement {
  get: (o: KubeObject) => string | undefined;
  negate: boolean;
  value: string;
}

function describeSelectors(resource: ResourceName, group: string, label: string, field: string): string {
  return `Unable to find "${group}/v1, Resource=${resource}" that match label selector "${label}", field selector "${field}"`;
}

export function parseLabelSelector(
  resource: ResourceName,
  group: string,
  input: string,
  field = '',
): Selector {
  try {
    return parseRequirements(input);
  } catch (error) {
    if (!(error instanceof SelectorSyntaxError)) throw error;
    throw badRequest(`${describeSelectors(resource, group, input, field)}: ${error.message}`);
  }
}

/** Field selectors as the API server accepts them: `a=b`, `a==b`, `a!=b`, comma-joined, per-resource fields. */
export function parseFieldSelector(
  resource: ResourceName,
  group: string,
  input: string,
  label = '',
): FieldRequirement[] {
  const known = {
    'metadata.name': (o: KubeObject) => o.metadata.name,
    'metadata.namespace': (o: KubeObject) => o.metadata.namespace ?? '',
    ...(FIELDS[resource] ?? {}),
  };
  const out: FieldRequirement[] = [];
  for (const part of input.split(',')) {
    const term = part.trim();
    if (term === '') continue;
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!m)
      throw badRequest(
        `${describeSelectors(resource, group, label, input)}: invalid selector: '${term}'; can't understand '${term}'`,
      );
    const key = m[1].trim();
    const get = (known as Record<string, (o: KubeObject) => string | undefined>)[key];
    if (!get) {
      const extra = Object.keys(FIELDS[resource] ?? {});
      const list = extra.length ? '' : `: only "metadata.name", "metadata.namespace"`;
      throw badRequest(
        `${describeSelectors(resource, group, label, input)}: field label not supported: ${key}${list}`,
      );
    }
    out.push({ get, negate: m[2] === '!=', value: m[3].trim() });
  }
  return out;
}

export function matchesFields(reqs: FieldRequirement[], obj: KubeObject): boolean {
  return reqs.every((r) => ((r.get(obj) ?? '') === r.value) !== r.negate);
}

/** metav1.ParseToLabelSelector: `=`/`==` go to matchLabels, the rest to matchExpressions. Throws SelectorSyntaxError. */
export function parseToLabelSelector(input: string): LabelSelector {
  const selector: LabelSelector = {};
  const ops = { in: 'In', notin: 'NotIn', '!=': 'NotIn', exists: 'Exists', '!': 'DoesNotExist' } as const;
  for (const req of parseRequirements(input)) {
    if (req.op === '=') selector.matchLabels = { ...selector.matchLabels, [req.key]: req.values[0] };
    else {
      const operator = ops[req.op];
      const expression: NonNullable<LabelSelector['matchExpressions']>[number] = { key: req.key, operator };
      if (operator === 'In' || operator === 'NotIn') expression.values = [...req.values];
      selector.matchExpressions = [...(selector.matchExpressions ?? []), expression];
    }
  }
  return selector;
}
