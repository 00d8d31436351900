/**
 * The patch `kubectl apply` sends for an object that exists: apimachinery's strategicpatch.CreateThreeWayMergePatch
 * (overwrite on) of original = the last-applied record, modified = the manifest carrying its new record, and
 * current = the live object. Its deletions (original -> modified) and its changes (current -> modified, deletions
 * ignored) are diffed separately and then merged. Lists use the API server's merge keys (http/patch.ts), so the
 * patch and its application share one table.
 */
import { MERGED_PRIMITIVE_LISTS, mergeKeyFor } from '../../http/patch';
import { sortKeys } from '../printers/json';

type Json = null | boolean | number | string | Json[] | JsonObject;
type JsonObject = { [key: string]: Json };

interface DiffOptions {
  ignoreDeletions: boolean;
  ignoreChangesAndAdditions: boolean;
  /** Set below a field whose patchStrategy is retainKeys: the diff lists the keys it keeps. */
  retainKeys: boolean;
}

/** Fields with patchStrategy retainKeys (a Deployment's strategy: switching type must drop rollingUpdate). */
const RETAIN_KEYS = new Set(['strategy']);
/** Lists whose items have it (a pod's volumes, "merge,retainKeys": switching source must drop the old one). */
const RETAIN_KEYS_ITEMS = new Set(['volumes']);

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
/** The dynamic type Go's reflect.TypeOf compares: a change of type replaces the field whole. */
const goType = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
/** fmt's %v of a merge key value, which is how strategicpatch sorts and matches list items. */
const keyText = (item: Json, key: string): string => (isObject(item) ? String(item[key]) : String(item));

/** The patch JSON text, as Go's json.Marshal writes it: map keys sorted, HTML characters escaped. */
export function patchText(patch: unknown): string {
  return JSON.stringify(sortKeys(patch)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** CreateThreeWayMergePatch(original, modified, current, overwrite=true). */
export function threeWayMergePatch(original: unknown, modified: unknown, current: unknown): JsonObject {
  const asObject = (v: unknown): JsonObject => (isObject(v) ? v : {});
  const delta = diffMaps(asObject(current), asObject(modified), {
    ignoreDeletions: true,
    ignoreChangesAndAdditions: false,
    retainKeys: false,
  });
  const deletions = diffMaps(asObject(original), asObject(modified), {
    ignoreDeletions: false,
    ignoreChangesAndAdditions: true,
    retainKeys: false,
  });
  return mergePatches(deletions, delta);
}

/** CreateTwoWayMergePatch(original, modified): what `kubectl edit` sends (deletions become nulls). */
export function twoWayMergePatch(original: unknown, modified: unknown): JsonObject {
  const asObject = (v: unknown): JsonObject => (isObject(v) ? v : {});
  return diffMaps(asObject(original), asObject(modified), {
    ignoreDeletions: false,
    ignoreChangesAndAdditions: false,
    retainKeys: false,
  });
}

function diffMaps(original: JsonObject, modified: JsonObject, options: DiffOptions): JsonObject {
  const patch: JsonObject = {};
  const retained: string[] = [];
  for (const [key, value] of Object.entries(modified)) {
    if (options.retainKeys && value !== null) retained.push(key);
    if (!(key in original)) {
      if (!options.ignoreChangesAndAdditions) patch[key] = value;
      continue;
    }
    const was = original[key];
    if (goType(was) !== goType(value)) {
      if (!options.ignoreChangesAndAdditions) patch[key] = value;
    } else if (isObject(was)) {
      const sub = diffMaps(was, value as JsonObject, { ...options, retainKeys: RETAIN_KEYS.has(key) });
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (Array.isArray(was)) diffSlice(key, was, value as Json[], patch, options);
    else if (!options.ignoreChangesAndAdditions && !same(was, value)) patch[key] = value;
  }
  if (!options.ignoreDeletions)
    for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  const cleared = Object.entries(original).some(([key, value]) => value !== null && !(key in modified));
  if (retained.length > 0 && (Object.keys(patch).length > 0 || cleared)) patch.$retainKeys = retained.sort();
  return patch;
}

/** handleSliceDiff: a merge-keyed list is diffed item by item, any other list is replaced whole when it changed. */
function diffSlice(
  field: string,
  original: Json[],
  modified: Json[],
  patch: JsonObject,
  options: DiffOptions,
) {
  const objects = [...original, ...modified].some(isObject);
  const key = objects ? mergeKeyFor(field, [...modified, ...original]) : undefined;
  if (key === undefined && !(MERGED_PRIMITIVE_LISTS.has(field) && !objects)) {
    if (!options.ignoreChangesAndAdditions && !same(original, modified)) patch[field] = modified;
    return;
  }
  if (original.length === 0) {
    if (modified.length > 0 && !options.ignoreChangesAndAdditions) patch[field] = modified;
    return;
  }
  const { additions, deletions, order } =
    key === undefined
      ? diffScalars(original, modified, options)
      : diffObjects(original, modified, key, { ...options, retainKeys: RETAIN_KEYS_ITEMS.has(field) });
  if (additions.length > 0) patch[field] = additions;
  if (deletions.length > 0) patch[`$deleteFromPrimitiveList/${field}`] = deletions;
  if (order.length > 0) patch[`$setElementOrder/${field}`] = order;
}

interface ListDiff {
  additions: Json[];
  deletions: Json[];
  order: Json[];
}

/** diffListsOfMaps: items matched by merge key (both sides sorted by it); removals become `$patch: delete`. */
function diffObjects(original: Json[], modified: Json[], key: string, options: DiffOptions): ListDiff {
  const byKey = (a: Json, b: Json) =>
    keyText(a, key) < keyText(b, key) ? -1 : keyText(a, key) > keyText(b, key) ? 1 : 0;
  const before = [...original].sort(byKey);
  const after = [...modified].sort(byKey);
  const changed: Json[] = [];
  const removed: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const cmp = i >= before.length ? 1 : j >= after.length ? -1 : byKey(before[i], after[j]);
    if (cmp === 0) {
      const sub = diffMaps(asMap(before[i]), asMap(after[j]), options);
      if (Object.keys(sub).length > 0) changed.push({ ...sub, [key]: asMap(after[j])[key] });
      i++;
      j++;
    } else if (cmp < 0) {
      if (!options.ignoreDeletions) removed.push({ $patch: 'delete', [key]: asMap(before[i])[key] });
      i++;
    } else {
      if (!options.ignoreChangesAndAdditions) changed.push(after[j]);
      j++;
    }
  }
  const additions = [...inOrderOf(changed, modified, key), ...removed];
  const orderSame =
    original.length === modified.length &&
    original.every((o, n) => keyText(o, key) === keyText(modified[n], key));
  const wantOrder =
    (!options.ignoreChangesAndAdditions && (additions.length > 0 || !orderSame)) ||
    (!options.ignoreDeletions && additions.length > 0);
  const order = wantOrder ? modified.map((item) => ({ [key]: asMap(item)[key] })) : [];
  return { additions, deletions: [], order };
}

/** diffListsOfScalars: a set difference; additions keep the manifest's order, which is also sent as the order. */
function diffScalars(original: Json[], modified: Json[], options: DiffOptions): ListDiff {
  const has = (list: Json[], v: Json) => list.some((o) => same(o, v));
  const additions = options.ignoreChangesAndAdditions ? [] : modified.filter((v) => !has(original, v));
  const deletions = options.ignoreDeletions ? [] : original.filter((v) => !has(modified, v));
  const wantOrder =
    (!options.ignoreDeletions && deletions.length > 0) ||
    (!options.ignoreChangesAndAdditions && !same(original, modified));
  return { additions, deletions, order: wantOrder ? modified : [] };
}

const asMap = (v: Json): JsonObject => (isObject(v) ? v : {});

/** normalizeSliceOrder: `items` in the order their merge keys have in `order` (unknown ones last, stable). */
function inOrderOf(items: Json[], order: Json[], key: string): Json[] {
  const rank = (item: Json) => {
    const at = order.findIndex((o) => keyText(o, key) === keyText(item, key));
    return at < 0 ? order.length : at;
  };
  return [...items].sort((a, b) => rank(a) - rank(b));
}

/** mergeMap(deletions, delta): the two halves of the patch joined; a directive both carry is the same list. */
function mergePatches(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const was = out[key];
    if (key in out && (key.startsWith('$setElementOrder/') || key === '$retainKeys')) continue;
    if (isObject(was) && isObject(value)) out[key] = mergePatches(was, value);
    else if (Array.isArray(was) && Array.isArray(value)) out[key] = mergePatchLists(key, was, value);
    else out[key] = value;
  }
  return out;
}

/** mergeSlice: items joined by merge key, the delta's in its order, interleaved with the deletions' by their order. */
function mergePatchLists(field: string, base: Json[], over: Json[]): Json[] {
  const key = [...base, ...over].some(isObject) ? mergeKeyFor(field, [...over, ...base]) : undefined;
  if (key === undefined) return [...base, ...over.filter((v) => !base.some((b) => same(b, v)))];
  const merged = [...base];
  for (const item of over) {
    const at = merged.findIndex((m) => keyText(m, key) === keyText(item, key));
    if (at >= 0) merged[at] = mergePatches(asMap(merged[at]), asMap(item));
    else merged.push(item);
  }
  const inOver = (m: Json) => over.some((o) => keyText(o, key) === keyText(m, key));
  const patchItems = inOrderOf(merged.filter(inOver), over, key);
  const serverOnly = merged.filter((m) => !inOver(m));
  // mergeSortedSlice: a server-only item goes first only when both it and the next patch item are in `base` order.
  const indexIn = (item: Json) => base.findIndex((b) => keyText(b, key) === keyText(item, key));
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (j >= patchItems.length) out.push(serverOnly[i++]);
    else if (i >= serverOnly.length) out.push(patchItems[j++]);
    else {
      const left = indexIn(serverOnly[i]);
      const right = indexIn(patchItems[j]);
      if (left >= 0 && right >= 0 && left < right) out.push(serverOnly[i++]);
      else out.push(patchItems[j++]);
    }
  }
  return out;
}
