/**
 * Checks the manifests of a YAML file the way the API server would take them, so the editor can show the problem
 * where it is before `kubectl apply` reports it: YAML that does not parse, `apiVersion`/`kind` not set or not
 * served, fields the kind does not declare (strict field validation: `unknown field "spec.replicaz"`), values of the
 * wrong type (the decoder's `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of
 * type int32`) and fields the schema requires (`spec.selector: Required value`).
 * Pure: the schemas come in through `lookup`; nothing here throws on any text.
 */
import {
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Node as YamlNode,
} from 'yaml';
import { openApiPath, Resolved, SchemaIndex, structName } from './k8s-schema';

export interface Issue {
  from: number;
  to: number;
  severity: 'error' | 'warning';
  message: string;
}

/**
 * What is known of an apiVersion: its schemas, `null` when the server serves no such group version, `undefined`
 * when it is not known yet (not loaded, or the server could not be asked): then its documents are not checked.
 */
export type SchemaLookup = (apiVersion: string) => SchemaIndex | null | undefined;

const INT32 = 2 ** 31;

/** Parses every document of a file; the options match what kubectl and the engine accept. */
export function parseManifests(text: string): Document.Parsed[] {
  return Array.from(parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true }));
}

/** The apiVersions the file's documents name (to load their schemas before checking). */
export function manifestApiVersions(text: string): string[] {
  const out = new Set<string>();
  for (const doc of parseManifests(text)) {
    const apiVersion = topScalar(doc, 'apiVersion');
    if (typeof apiVersion === 'string' && openApiPath(apiVersion)) out.add(apiVersion);
  }
  return [...out];
}

export function checkManifests(text: string, lookup: SchemaLookup): Issue[] {
  const issues: Issue[] = [];
  const span = (node: { range?: [number, number, number] | null } | null | undefined, fallback: number) => {
    const from = node?.range?.[0] ?? fallback;
    const to = node?.range?.[1] ?? from;
    return { from, to: Math.max(to, Math.min(from + 1, text.length)) };
  };
  for (const doc of parseManifests(text)) {
    const start = doc.range[0];
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const [from, to] = error.pos;
        issues.push({
          from,
          to: Math.max(to, Math.min(from + 1, text.length)),
          severity: 'error',
          message: `error converting YAML to JSON: ${error.message.split('\n')[0]}`,
        });
      }
      continue;
    }
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) continue;
    if (!isMap(root)) {
      issues.push({
        ...span(root, start),
        severity: 'error',
        message: `json: cannot unmarshal ${valueKind(root)} into Go value of type map[string]interface {}`,
      });
      continue;
    }
    const apiVersion = topScalar(doc, 'apiVersion');
    const kind = topScalar(doc, 'kind');
    const missing = [
      ...(typeof apiVersion === 'string' && apiVersion ? [] : ['apiVersion not set']),
      ...(typeof kind === 'string' && kind ? [] : ['kind not set']),
    ];
    if (missing.length > 0) {
      issues.push({
        ...span(root.items[0]?.key as YamlNode | undefined, start),
        severity: 'error',
        message: `error validating data: [${missing.join(', ')}]`,
      });
      continue;
    }
    const index = openApiPath(apiVersion as string) ? lookup(apiVersion as string) : null;
    if (index === undefined) continue;
    const top = index?.kind(apiVersion as string, kind as string);
    if (!index || !top) {
      const where = index ? root.get('kind', true) : root.get('apiVersion', true);
      issues.push({
        ...span(where as YamlNode, start),
        severity: 'error',
        message: `no matches for kind "${kind as string}" in version "${apiVersion as string}"`,
      });
      continue;
    }
    walk(index, root, top, { strict: '', go: '', struct: structName(top), label: undefined }, issues, span);
  }
  return issues;
}

interface Place {
  /** The path strict field validation and field errors print: `spec.template.spec.containers[0].name`. */
  strict: string;
  /** The path Go's decoder prints: field names only, `spec.template.spec.containers.name`. */
  go: string;
  /** The Go struct that holds the field. */
  struct: string;
  /** The key this value sits under (where a missing field of it is shown). */
  label: YamlNode | undefined;
}

function walk(
  index: SchemaIndex,
  node: unknown,
  expected: Resolved,
  place: Place,
  issues: Issue[],
  span: (node: YamlNode | undefined, fallback: number) => { from: number; to: number },
  depth = 0,
): void {
  if (depth > 64 || node === null || node === undefined || isAlias(node)) return;
  const { schema } = expected;
  const mismatch = (value: string) =>
    issues.push({
      ...span(node as YamlNode, 0),
      severity: 'error',
      message: `json: cannot unmarshal ${value} into Go struct field ${place.struct}.${place.go} of type ${index.goType(expected)}`,
    });
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return;
    if (index.takesNumberOrString(expected)) {
      if (typeof value !== 'string' && typeof value !== 'number') mismatch(valueKind(node));
      return;
    }
    switch (schema.type) {
      case 'string':
        if (typeof value !== 'string') mismatch(valueKind(node));
        return;
      case 'integer':
        if (typeof value !== 'number') mismatch(valueKind(node));
        else if (!Number.isInteger(value) || Math.abs(value) >= (schema.format === 'int64' ? 2 ** 63 : INT32))
          mismatch(`number ${node.source ?? String(value)}`);
        return;
      case 'number':
        if (typeof value !== 'number') mismatch(valueKind(node));
        return;
      case 'boolean':
        if (typeof value !== 'boolean') mismatch(valueKind(node));
        return;
      case 'array':
      case 'object':
        mismatch(valueKind(node));
        return;
      default:
        if (schema.properties) mismatch(valueKind(node));
        return;
    }
  }
  if (isSeq(node)) {
    const item = index.item(expected);
    if (!item) {
      if (schema.type || schema.properties) mismatch('array');
      return;
    }
    node.items.forEach((child, i) =>
      walk(
        index,
        child,
        item,
        {
          ...place,
          strict: `${place.strict}[${i}]`,
          struct: item.name ? structName(item) : place.struct,
          // A field missing in a list item is shown at the item's first key.
          label: undefined,
        },
        issues,
        span,
        depth + 1,
      ),
    );
    return;
  }
  if (!isMap(node)) return;
  if (schema.type && schema.type !== 'object') return void mismatch('object');
  const present = new Set<string>();
  const isStruct = schema.properties !== undefined;
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key as YamlNode | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
    if (key === undefined) continue;
    present.add(key);
    const strict = place.strict ? `${place.strict}.${key}` : key;
    const child = index.field(expected, key);
    if (!child) {
      issues.push({
        ...span(keyNode ?? undefined, 0),
        severity: 'error',
        message: `unknown field "${strict}"`,
      });
      continue;
    }
    const go = isStruct ? (place.go ? `${place.go}.${key}` : key) : place.go;
    const struct = isStruct && expected.name ? structName(expected) : place.struct;
    walk(
      index,
      pair.value,
      child,
      { strict, go, struct, label: keyNode ?? undefined },
      issues,
      span,
      depth + 1,
    );
  }
  for (const field of schema.required ?? []) {
    if (present.has(field)) continue;
    const at = place.label ?? (node.items[0]?.key as YamlNode | undefined) ?? node;
    issues.push({
      ...span(at, 0),
      severity: 'error',
      message: `${place.strict ? `${place.strict}.` : ''}${field}: Required value`,
    });
  }
}

/** A top-level scalar of a document (`apiVersion`, `kind`), if it is one. */
function topScalar(doc: Document.Parsed, key: string): unknown {
  if (!isMap(doc.contents)) return undefined;
  const node = doc.contents.get(key, true);
  return isScalar(node) ? node.value : undefined;
}

/** What Go's decoder calls a JSON value: string, number, bool, array, object. */
function valueKind(node: unknown): string {
  if (isSeq(node)) return 'array';
  if (isMap(node)) return 'object';
  if (isScalar(node)) {
    if (typeof node.value === 'number') return 'number';
    if (typeof node.value === 'boolean') return 'bool';
    if (node.value === null) return 'null';
  }
  return 'string';
}
