/**
 * What Go's encoding/json leaves of a JSON `null` when the API server decodes a body into its typed object: a null
 * struct field, pointer, slice or map is simply unset (its zero value), and a null value inside a
 * `map[string]string` (labels, annotations, selectors, ConfigMap data) becomes the empty string. Run before
 * defaulting and validation, so `type: null` on a Service is defaulted like an absent type, `nodePort: null` is no
 * node port, `claimName: null` is an empty claim name (Required value) and `app: null` in a selector is `app=""`.
 */
import type { KubeObject } from '../api/types';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields whose Go type is map[string]string wherever they appear. */
const STRING_MAPS = new Set(['labels', 'annotations', 'matchLabels', 'nodeSelector', 'volumeAttributes']);

/** Fields that are map[string]string only on some kinds (elsewhere `selector` is a LabelSelector struct). */
function isStringMap(kind: string, path: string | undefined, key: string): boolean {
  if (STRING_MAPS.has(key)) return true;
  if (path === 'spec.selector') return kind === 'Service' || kind === 'ReplicationController';
  if (path === 'data') return kind === 'ConfigMap';
  if (path === 'stringData') return kind === 'Secret';
  if (path === 'parameters') return kind === 'StorageClass';
  return false;
}

/**
 * Rewrites the nulls of a client's object the way the decoder would. Left alone: `status` (the server keeps its own),
 * `creationTimestamp` (a template's null is what the API itself writes), Secret `data` and ConfigMap `binaryData`
 * (byte maps, checked by decodeError), and frozen values (stored objects, already decoded).
 */
export function decodeNulls(obj: KubeObject): void {
  if (obj.kind === 'Event') return; // events carry nulls of their own (eventTime), written by the control plane
  walk(obj.kind, obj as unknown as Json, '');
}

/**
 * `path` is the dotted path of `record`, or undefined below the second level: every path compared here (`status`,
 * `data`, `spec.selector`, ...) has at most one dot, so deeper paths (a string per key of every object) are not built.
 */
function walk(kind: string, record: Json, path: string | undefined): void {
  if (Object.isFrozen(record)) return;
  const deep = path === undefined || path.includes('.');
  // for-in, not Object.keys (no array per object): deleting the key being visited is allowed during for-in.
  for (const key in record) {
    const at = deep ? undefined : path ? `${path}.${key}` : key;
    const value = record[key];
    if (value === null) {
      if (key !== 'creationTimestamp') delete record[key];
    } else if (at === 'status' || (kind === 'Secret' && at === 'data') || at === 'binaryData') {
      continue;
    } else if (isObject(value)) {
      if (isStringMap(kind, at, key)) emptyNullValues(value);
      else walk(kind, value, at);
    } else if (Array.isArray(value)) {
      for (const item of value) if (isObject(item)) walk(kind, item, at);
    }
  }
}

function emptyNullValues(map: Json): void {
  if (Object.isFrozen(map)) return;
  for (const key of Object.keys(map)) if (map[key] === null) map[key] = '';
}
