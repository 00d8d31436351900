/**
 * The three PATCH flavours of the API server: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic
 * merge patch (lists of known fields merged by their merge key, `$patch`, `$setElementOrder/`,
 * `$deleteFromPrimitiveList/`, `$retainKeys` directives).
 */
import { HttpStatus } from './status';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
] as const;
export type PatchType = (typeof PATCH_TYPES)[number];

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

function invalidPatch(message: string): HttpStatus {
  return new HttpStatus(422, 'UnprocessableEntity', message);
}

// ---------------------------------------------------------------------------------------------------------------
// RFC 6902
// ---------------------------------------------------------------------------------------------------------------

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw invalidPatch(`invalid JSON pointer: ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, tokens: string[], path: string): { parent: Json; key: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else node = undefined as unknown as Json;
    if (node === undefined) throw invalidPatch(`doc is missing path: ${JSON.stringify(path)}: missing value`);
  }
  return { parent: node, key: tokens[tokens.length - 1] };
}

function getAt(doc: Json, path: string): Json {
  let node: Json | undefined = doc;
  for (const token of pointer(path)) {
    node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
    if (node === undefined) throw invalidPatch(`doc is missing path: ${JSON.stringify(path)}: missing value`);
  }
  return node;
}

function removeAt(doc: Json, path: string): Json {
  const tokens = pointer(path);
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length)
      throw invalidPatch(`unable to remove nonexistent key: ${key}: missing value`);
    return parent.splice(index, 1)[0];
  }
  if (!isObject(parent) || !(key in parent))
    throw invalidPatch(`unable to remove nonexistent key: ${key}: missing value`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function addAt(doc: Json, path: string, value: Json, replace: boolean): Json {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length - (replace ? 1 : 0))
      throw invalidPatch(
        `add operation does not apply: doc is missing path: ${JSON.stringify(path)}: missing value`,
      );
    parent.splice(index, replace ? 1 : 0, value);
  } else if (isObject(parent)) {
    if (replace && !(key in parent))
      throw invalidPatch(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[key] = value;
  } else throw invalidPatch(`doc is missing path: ${JSON.stringify(path)}: missing value`);
  return doc;
}

export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw new HttpStatus(
      400,
      'BadRequest',
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  let doc = copy(target) as Json;
  for (const op of patch as JsonObject[]) {
    const path = String(op.path ?? '');
    switch (op.op) {
      case 'add':
        doc = addAt(doc, path, copy(op.value), false);
        break;
      case 'replace':
        if (pointer(path).length === 0) doc = copy(op.value);
        else doc = addAt(doc, path, copy(op.value), true);
        break;
      case 'remove':
        removeAt(doc, path);
        break;
      case 'move': {
        const value = removeAt(doc, String(op.from));
        doc = addAt(doc, path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, path, copy(getAt(doc, String(op.from))), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value))
          throw invalidPatch(`testing value ${path} failed: test failed`);
        break;
      default:
        throw invalidPatch(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}

// ---------------------------------------------------------------------------------------------------------------
// RFC 7386
// ---------------------------------------------------------------------------------------------------------------

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch as Json)) return copy(patch);
  const out: JsonObject = isObject(target as Json) ? copy(target as JsonObject) : {};
  for (const [key, value] of Object.entries(patch as JsonObject)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value) as Json;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Strategic merge patch
// ---------------------------------------------------------------------------------------------------------------

/** patchMergeKey of the list fields the engine's kinds have (k8s.io/api `patchStrategy:"merge"`). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  secrets: 'name',
};
/** Primitive lists merged as sets. */
export const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

/** The merge key of a list of objects named `field` (kubectl apply's patch is computed with the same table). */
export function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  if (field === 'ports') {
    const sample = (items as Json[]).find(isObject);
    return sample && 'containerPort' in sample ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

function mergeList(
  field: string,
  original: Json[] | undefined,
  patch: Json[],
  order: Json[] | undefined,
): Json[] {
  const base = Array.isArray(original) ? copy(original) : [];
  const key = mergeKeyFor(field, [...patch, ...base]);
  let out: Json[];
  if (MERGED_PRIMITIVE_LISTS.has(field) && patch.every((v) => !isObject(v))) {
    out = [...base];
    for (const v of patch) if (!out.includes(v)) out.push(v);
  } else if (!key || !patch.every(isObject)) {
    return copy(patch);
  } else {
    out = base;
    for (const item of patch as JsonObject[]) {
      const directive = item.$patch;
      const at = out.findIndex((o) => isObject(o) && o[key] === item[key]);
      if (directive === 'delete') {
        if (at >= 0) out.splice(at, 1);
        continue;
      }
      if (directive === 'replace') return copy(patch.filter((p) => isObject(p) && p.$patch !== 'replace'));
      if (at >= 0) out[at] = strategicMerge(out[at], item) as Json;
      else out.push(strategicMerge(undefined, item) as Json);
    }
  }
  if (order && key) {
    const rank = (v: Json) => order.findIndex((o) => isObject(o) && isObject(v) && o[key] === v[key]);
    const ranked = out.filter((v) => rank(v) >= 0).sort((a, b) => rank(a) - rank(b));
    const rest = out.filter((v) => rank(v) < 0);
    out = [...ranked, ...rest];
  } else if (order) {
    const ranked = out.filter((v) => order.includes(v)).sort((a, b) => order.indexOf(a) - order.indexOf(b));
    out = [...ranked, ...out.filter((v) => !order.includes(v))];
  }
  return out;
}

export function strategicMerge(original: unknown, patch: unknown): unknown {
  if (!isObject(patch as Json)) return copy(patch);
  const p = patch as JsonObject;
  if (p.$patch === 'replace') {
    const { $patch: _d, ...rest } = p;
    return copy(rest);
  }
  if (p.$patch === 'delete') return undefined;
  let out: JsonObject = isObject(original as Json) ? copy(original as JsonObject) : {};
  if (Array.isArray(p.$retainKeys)) {
    const keep = new Set(p.$retainKeys as string[]);
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
  }
  for (const [key, value] of Object.entries(p)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const list = out[field];
      if (Array.isArray(list) && Array.isArray(value)) out[field] = list.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const order = p[`$setElementOrder/${key}`];
    if (Array.isArray(value))
      out[key] = mergeList(
        key,
        out[key] as Json[] | undefined,
        value,
        Array.isArray(order) ? order : undefined,
      );
    else if (isObject(value)) {
      const merged = strategicMerge(out[key], value);
      if (merged === undefined) delete out[key];
      else out[key] = merged as Json;
    } else out[key] = value;
  }
  for (const [key, order] of Object.entries(p)) {
    if (!key.startsWith('$setElementOrder/') || !Array.isArray(order)) continue;
    const field = key.slice('$setElementOrder/'.length);
    if (field in p || !Array.isArray(out[field])) continue;
    out[field] = mergeList(field, out[field] as Json[], [], order);
  }
  return out;
}

export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  if (type === 'application/json-patch+json') return applyJsonPatch(target, patch);
  if (!isObject(patch as Json))
    throw new HttpStatus(
      400,
      'BadRequest',
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
  if (type === 'application/merge-patch+json') return applyMergePatch(target, patch);
  return strategicMerge(target, patch);
}
