/**
 * LimitRange defaulting and validation (core/v1 SetDefaults_LimitRangeItem and ValidateLimitRange of v1.30),
 * with the real field-error texts.
 */
import type { LimitRange, LimitRangeItem } from '../api/policy-types';
import { canonicalQuantity, compareQuantity, parseQuantity, QUANTITY_REGEX_MESSAGE } from '../api/quantity';
import type { Quantity } from '../api/quantity';
import type { StatusCause } from '../api/status-error';
import { invalidValue, isQualifiedName, quote, required } from './validation';

type ResourceMap = Record<string, string>;
const MAPS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;
const STANDARD_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);
/** Resource names a Pod or Container limit may name without a `/` (IsStandardContainerResourceName). */
const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** Keys in sorted order: Go serializes maps sorted, so the stored object reads the same. */
function sortedMap(map: ResourceMap): ResourceMap {
  return Object.fromEntries(
    Object.keys(map)
      .sort()
      .map((k) => [k, map[k]]),
  );
}

/**
 * For Container limits, a missing default limit is the max, a missing default request the default limit, else
 * the min. Quantities are rewritten canonically, as the API server serializes them.
 */
export function defaultLimitRange(lr: LimitRange): void {
  lr.spec ??= {};
  lr.spec.limits ??= [];
  for (const item of Array.isArray(lr.spec.limits) ? lr.spec.limits : []) {
    if (!item || typeof item !== 'object') continue;
    for (const key of MAPS) {
      const map = item[key];
      if (!map || typeof map !== 'object') continue;
      for (const k of Object.keys(map)) map[k] = canonicalQuantity(String(map[k]));
    }
    if (item.type !== 'Container') continue;
    const limits: ResourceMap = { ...(item.default ?? {}) };
    for (const [k, v] of Object.entries(item.max ?? {})) limits[k] ??= v;
    const requests: ResourceMap = { ...(item.defaultRequest ?? {}) };
    for (const [k, v] of Object.entries(limits)) requests[k] ??= v;
    for (const [k, v] of Object.entries(item.min ?? {})) requests[k] ??= v;
    // Empty maps are omitted when serialized.
    if (Object.keys(limits).length) item.default = sortedMap(limits);
    if (Object.keys(requests).length) item.defaultRequest = sortedMap(requests);
  }
}

/**
 * Go's %#v of a resource.Quantity, which field.Invalid prints for a quantity value (Quantity.String has a
 * pointer receiver, so the value is no fmt.Stringer): the unscaled integer and base-10 scale of the text.
 */
function quantityValue(text: string, q: Quantity): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text) ?? ['', '', '0', '', ''];
  const [, sign, whole, fraction = '', suffix] = match;
  const decimal: Record<string, number> = {
    n: -9,
    u: -6,
    m: -3,
    '': 0,
    k: 3,
    M: 6,
    G: 9,
    T: 12,
    P: 15,
    E: 18,
  };
  let value: bigint;
  let scale: number;
  if (q.format === 'BinarySI') {
    value = q.milli / 1000n;
    scale = 0;
  } else {
    value = BigInt(`${sign}${whole}${fraction}` || '0');
    const exponent = suffix in decimal ? decimal[suffix] : Number(suffix.slice(1)) || 0;
    scale = exponent - fraction.length;
  }
  return (
    `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, ` +
    `d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${quote(text)}, Format:${quote(q.format)}}`
  );
}

function invalidQuantity(field: string, text: string, q: Quantity, msg: string): StatusCause {
  return { field, message: `Invalid value: ${quantityValue(text, q)}: ${msg}` };
}

function resourceNameCauses(type: string, name: string, field: string): StatusCause[] {
  const errs = isQualifiedName(name);
  if (errs.length) return errs.map((msg) => invalidValue(field, name, msg));
  if (name.includes('/')) return [];
  if (type === 'PersistentVolumeClaim') {
    return name === 'storage'
      ? []
      : [invalidValue(field, name, 'must be a standard resource type or fully qualified')];
  }
  if (CONTAINER_RESOURCES.has(name) || name.startsWith('hugepages-')) return [];
  return [invalidValue(field, name, 'must be a standard resource for containers')];
}

/** The quantities of one map, each resource name checked; unparsable values are reported and left out. */
function readMap(
  item: LimitRangeItem,
  key: (typeof MAPS)[number],
  at: string,
  causes: StatusCause[],
): Map<string, [string, Quantity]> {
  const out = new Map<string, [string, Quantity]>();
  for (const [k, v] of Object.entries(item[key] ?? {})) {
    const field = `${at}.${key}[${k}]`;
    causes.push(...resourceNameCauses(item.type, k, field));
    const q = parseQuantity(String(v));
    if (!q) causes.push(invalidValue(field, String(v), QUANTITY_REGEX_MESSAGE));
    else out.set(k, [String(v), q]);
  }
  return out;
}

function validateItem(item: LimitRangeItem, at: string, causes: StatusCause[]): void {
  const type = typeof item.type === 'string' ? item.type : '';
  const typeErrs = isQualifiedName(type);
  for (const msg of typeErrs) causes.push(invalidValue(`${at}.type`, type, msg));
  if (!typeErrs.length && !type.includes('/') && !STANDARD_TYPES.has(type))
    causes.push(invalidValue(`${at}.type`, type, 'must be a standard limit type or fully qualified'));
  const max = readMap(item, 'max', at, causes);
  const min = readMap(item, 'min', at, causes);
  const keys = new Set([...max.keys(), ...min.keys()]);
  let defaults = new Map<string, [string, Quantity]>();
  let defaultRequests = new Map<string, [string, Quantity]>();
  if (type === 'Pod') {
    if (Object.keys(item.default ?? {}).length)
      causes.push({
        field: `${at}.default`,
        message: "Forbidden: may not be specified when `type` is 'Pod'",
      });
    if (Object.keys(item.defaultRequest ?? {}).length)
      causes.push({
        field: `${at}.defaultRequest`,
        message: "Forbidden: may not be specified when `type` is 'Pod'",
      });
  } else {
    defaults = readMap(item, 'default', at, causes);
    defaultRequests = readMap(item, 'defaultRequest', at, causes);
    for (const k of [...defaults.keys(), ...defaultRequests.keys()]) keys.add(k);
  }
  if (type === 'PersistentVolumeClaim' && !min.has('storage') && !max.has('storage'))
    causes.push(
      required(
        `${at}.limits`,
        'either minimum or maximum storage value is required, but neither was provided',
      ),
    );
  const ratios = readMap(item, 'maxLimitRequestRatio', at, causes);
  for (const k of ratios.keys()) keys.add(k);
  // Go walks a set here (random order); sorted keeps the message stable.
  for (const k of [...keys].sort()) {
    const mn = min.get(k);
    const mx = max.get(k);
    const df = defaults.get(k);
    const dr = defaultRequests.get(k);
    const ratio = ratios.get(k);
    const show = (q: [string, Quantity]): string => canonicalQuantity(q[0]);
    const gt = (a: [string, Quantity], b: [string, Quantity]): boolean => compareQuantity(a[1], b[1]) > 0;
    if (mn && mx && gt(mn, mx))
      causes.push(
        invalidQuantity(
          `${at}.min[${k}]`,
          mn[0],
          mn[1],
          `min value ${show(mn)} is greater than max value ${show(mx)}`,
        ),
      );
    if (dr && mn && gt(mn, dr))
      causes.push(
        invalidQuantity(
          `${at}.defaultRequest[${k}]`,
          dr[0],
          dr[1],
          `min value ${show(mn)} is greater than default request value ${show(dr)}`,
        ),
      );
    if (dr && mx && gt(dr, mx))
      causes.push(
        invalidQuantity(
          `${at}.defaultRequest[${k}]`,
          dr[0],
          dr[1],
          `default request value ${show(dr)} is greater than max value ${show(mx)}`,
        ),
      );
    if (dr && df && gt(dr, df))
      causes.push(
        invalidQuantity(
          `${at}.defaultRequest[${k}]`,
          dr[0],
          dr[1],
          `default request value ${show(dr)} is greater than default limit value ${show(df)}`,
        ),
      );
    if (df && mn && gt(mn, df))
      causes.push(
        invalidQuantity(
          `${at}.default[${k}]`,
          mn[0],
          mn[1],
          `min value ${show(mn)} is greater than default value ${show(df)}`,
        ),
      );
    if (df && mx && gt(df, mx))
      causes.push(
        invalidQuantity(
          `${at}.default[${k}]`,
          mx[0],
          mx[1],
          `default value ${show(df)} is greater than max value ${show(mx)}`,
        ),
      );
    if (ratio && ratio[1].milli < 1000n)
      causes.push(
        invalidQuantity(
          `${at}.maxLimitRequestRatio[${k}]`,
          ratio[0],
          ratio[1],
          `ratio ${show(ratio)} is less than 1`,
        ),
      );
    if (ratio && mn && mx && mn[1].milli > 0n) {
      const bound = Number(mx[1].milli) / Number(mn[1].milli);
      if (Number(ratio[1].milli) / 1000 > bound)
        causes.push(
          invalidQuantity(
            `${at}.maxLimitRequestRatio[${k}]`,
            ratio[0],
            ratio[1],
            `ratio ${show(ratio)} is greater than max/min = ${bound.toFixed(6)}`,
          ),
        );
    }
  }
}

/** ValidateLimitRange: each item's type (once per type), resource names, and min ≤ defaultRequest ≤ default ≤ max. */
export function validateLimitRange(lr: LimitRange): StatusCause[] {
  const causes: StatusCause[] = [];
  const limits = lr.spec?.limits;
  if (limits !== undefined && !Array.isArray(limits))
    return [invalidValue('spec.limits', String(limits), 'must be a list')];
  const seen = new Set<string>();
  (limits ?? []).forEach((item, i) => {
    const at = `spec.limits[${i}]`;
    if (!item || typeof item !== 'object') return;
    if (seen.has(item.type))
      causes.push({ field: `${at}.type`, message: `Duplicate value: ${quote(item.type)}` });
    seen.add(item.type);
    validateItem(item, at, causes);
  });
  return causes;
}
