/**
 * Server-side field validation (`fieldValidation=Strict|Warn|Ignore`, apiserver v1.30): fields a kind's schema does
 * not declare are an error (Strict), a warning per field (Warn, the server's default) or silently dropped (Ignore);
 * in every case but Strict the stored object goes without them. The field knowledge is the OpenAPI schema the
 * server publishes (openapi.ts), so what `kubectl explain` shows and what is accepted cannot drift apart.
 * Both faces use it: the HTTP handler for POST/PUT/PATCH, the built-in kubectl for `create -f`/`apply -f`/`replace`.
 */
import type { ResourceInfo } from '../api/resources';
import { badRequest } from '../api/status-error';
import { kindSchema } from './openapi';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

type Schema = Record<string, unknown>;

/** The query parameter's value; anything else is the API server's 400. Absent means Warn (v1.23+ default). */
export function parseFieldValidation(value: string | null | undefined): FieldValidation {
  if (value === null || value === undefined || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", but got "${value}"`);
}

interface Unknown {
  path: string;
  parent: Record<string, unknown>;
  key: string;
}

/**
 * The fields of `obj` its kind's schema does not know, depth first; keys in document order, or sorted (what the API
 * server meets in a body kubectl re-encoded from a map). Lists are `field[i]`, as sigs.k8s.io/json names them.
 */
function findUnknown(obj: unknown, info: ResourceInfo, sorted: boolean): Unknown[] {
  const schema = kindSchema(info);
  if (!schema) return [];
  const { defs } = schema;
  const out: Unknown[] = [];
  const resolve = (s: Schema | undefined): Schema | undefined => {
    let current = s;
    for (let hops = 0; current && typeof current.$ref === 'string' && hops < 16; hops++)
      current = defs.get(current.$ref);
    return current;
  };
  const walk = (value: unknown, s: Schema | undefined, path: string, depth: number) => {
    const resolved = resolve(s);
    if (!resolved || value === null || typeof value !== 'object' || depth > 64) return;
    if (Array.isArray(value)) {
      const items = resolved.items as Schema | undefined;
      if (resolved.type === 'array' && items)
        value.forEach((item, i) => walk(item, items, `${path}[${i}]`, depth + 1));
      return;
    }
    const properties = resolved.properties as Record<string, Schema> | undefined;
    const additional = resolved.additionalProperties as Schema | undefined;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    for (const key of sorted ? keys.sort() : keys) {
      const field = path ? `${path}.${key}` : key;
      if (properties && Object.prototype.hasOwnProperty.call(properties, key))
        walk(record[key], properties[key], field, depth + 1);
      else if (additional) walk(record[key], additional, field, depth + 1);
      // An object schema without declared fields (RawExtension, FieldsV1) takes anything.
      else if (properties) out.push({ path: field, parent: record, key });
    }
  };
  walk(obj, schema.root, '', 0);
  return out;
}

/** Paths of the unknown fields of `obj`, in the order a body kubectl sent would have them (sorted keys). */
export function unknownFields(obj: unknown, info: ResourceInfo): string[] {
  return findUnknown(obj, info, true).map((u) => u.path);
}

/**
 * Where each key path first occurs in a JSON text, and the keys repeated within one object (the API server's
 * decoder reports `duplicate field "data.a"`). The text is known to parse; anything unexpected ends the scan.
 */
export function scanJsonKeys(text: string): {
  first: Map<string, number>;
  duplicates: { path: string; at: number }[];
} {
  const first = new Map<string, number>();
  const duplicates: { path: string; at: number }[] = [];
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const string = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string, depth: number): void => {
    space();
    if (depth > 64 || i >= text.length) return;
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      for (space(); i < text.length && text[i] !== '}'; space()) {
        const at = i;
        const key = string();
        const field = path ? `${path}.${key}` : key;
        if (seen.has(key)) duplicates.push({ path: field, at });
        else if (!first.has(field)) first.set(field, at);
        seen.add(key);
        space();
        i++; // ':'
        value(field, depth + 1);
        space();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '[') {
      i++;
      let index = 0;
      for (space(); i < text.length && text[i] !== ']'; space()) {
        value(`${path}[${index++}]`, depth + 1);
        space();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '"') string();
    else while (i < text.length && !',}] \t\r\n'.includes(text[i])) i++;
  };
  try {
    value('', 0);
  } catch {
    // A malformed string: what was scanned so far stands.
  }
  return { first, duplicates };
}

/**
 * What the API server's decoder does with the fields of an object about to be written: Strict throws its 400 for
 * unknown or duplicate fields, Warn returns one warning each, Ignore nothing; unknown fields are dropped from `obj`
 * in every case. With the body's JSON text (`raw`), duplicates count too and the order is the document's; without it
 * (the built-in kubectl, which re-encodes like kubectl) keys are taken sorted.
 */
export function checkFields(
  obj: unknown,
  info: ResourceInfo,
  directive: FieldValidation,
  operation: 'create' | 'update' | 'patch',
  raw?: string,
): string[] {
  const unknown = findUnknown(obj, info, raw === undefined);
  const scanned = raw === undefined ? undefined : scanJsonKeys(raw);
  const errors = unknown.map((u, order) => ({
    text: `unknown field "${u.path}"`,
    at: scanned?.first.get(u.path) ?? order,
  }));
  for (const d of scanned?.duplicates ?? []) errors.push({ text: `duplicate field "${d.path}"`, at: d.at });
  if (errors.length === 0) return [];
  if (scanned) errors.sort((a, b) => a.at - b.at);
  const listed = errors.map((e) => e.text);
  if (directive === 'Strict') {
    const strict = `strict decoding error: ${listed.join(', ')}`;
    // A create or update decodes the body as the kind; a patch decodes the patched object.
    throw badRequest(
      operation === 'patch'
        ? strict
        : `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${strict}`,
    );
  }
  for (const u of unknown) delete u.parent[u.key];
  return directive === 'Warn' ? listed : [];
}
