/**
 * pod-template-hash (reference §4.1): 32-bit FNV-1a over a deterministic deep dump of the PodTemplateSpec
 * (keys sorted), plus the collision count when set, written in decimal and then mapped through the
 * `bcdfghjklmnpqrstvwxz2456789` alphabet. The dump is this engine's own (canonical JSON), so hashes are
 * stable and have the real shape, but are not byte-identical to a real cluster's.
 */
import type { PodTemplateSpec } from '../api/types';
import { NAME_ALPHABET } from '../store/random';
import { deepEqual } from '../store/store';

/** Built by appending to one string (no per-level arrays to map and join): it runs for every new ReplicaSet. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonical(value[i]);
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(k) + ':' + canonical(v);
    first = false;
  }
  return out + '}';
}

function fnv1a(hash: number, bytes: Uint8Array): number {
  let h = hash;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const fnvByte = (h: number, b: number) => Math.imul(h ^ b, 0x01000193) >>> 0;

/** fnv1a over the UTF-8 bytes of `text`, encoded on the fly (no TextEncoder buffer per hash). */
function fnv1aUtf8(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      h = fnvByte(h, code);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      }
    }
    // A lone surrogate is encoded as U+FFFD, as TextEncoder does.
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x800) {
      h = fnvByte(h, 0xc0 | (code >> 6));
    } else if (code < 0x10000) {
      h = fnvByte(h, 0xe0 | (code >> 12));
      h = fnvByte(h, 0x80 | ((code >> 6) & 0x3f));
    } else {
      h = fnvByte(h, 0xf0 | (code >> 18));
      h = fnvByte(h, 0x80 | ((code >> 12) & 0x3f));
      h = fnvByte(h, 0x80 | ((code >> 6) & 0x3f));
    }
    h = fnvByte(h, 0x80 | (code & 0x3f));
  }
  return h;
}

export function computeTemplateHash(template: PodTemplateSpec, collisionCount?: number): string {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  const normalized = { ...template, metadata: { ...template.metadata, labels } };
  let h = fnv1aUtf8(0x811c9dc5, canonical(normalized));
  if (collisionCount !== undefined) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a(h, extra);
  }
  return String(h)
    .split('')
    .map((c) => NAME_ALPHABET[c.charCodeAt(0) % NAME_ALPHABET.length])
    .join('');
}

function labelsWithoutHash(labels: Record<string, string> | undefined): Record<string, string> {
  if (!labels || !('pod-template-hash' in labels)) return labels ?? {};
  const rest = { ...labels };
  delete rest['pod-template-hash'];
  return rest;
}

/** Stored templates never change in place, so a comparison of two of them can be remembered. */
const comparisons = new WeakMap<PodTemplateSpec, WeakMap<PodTemplateSpec, boolean>>();

/** Template equality ignoring the pod-template-hash label (deployment util EqualIgnoreHash). */
export function templatesEqualIgnoringHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  if (a === b) return true;
  let known = comparisons.get(a);
  const cached = known?.get(b);
  if (cached !== undefined) return cached;
  const equal =
    deepEqual(labelsWithoutHash(a.metadata?.labels), labelsWithoutHash(b.metadata?.labels)) &&
    deepEqual(a.metadata?.annotations, b.metadata?.annotations) &&
    deepEqual(a.spec, b.spec);
  if (!known) comparisons.set(a, (known = new WeakMap()));
  known.set(b, equal);
  return equal;
}
