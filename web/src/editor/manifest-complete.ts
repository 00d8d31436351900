/**
 * Kubernetes-aware completion in a manifest: the fields the schema declares at the cursor (not those already
 * written), `apiVersion:` and `kind:` values the engine serves, `true`/`false` for booleans. Each field comes with
 * its Go type and its description, as `kubectl explain` shows them.
 */
import { RESOURCES } from '../../../src/engine/api/resources';
import { Resolved, SchemaIndex } from './k8s-schema';
import type { SchemaLookup } from './manifest-check';
import { cursorContext, documentHeader, Segment } from './yaml-context';

export interface CompletionItem {
  label: string;
  type: 'property' | 'constant' | 'type';
  /** The Go type (fields) or the group version (kinds). */
  detail?: string;
  info?: string;
  /** The text that replaces what is typed. */
  apply: string;
}

export interface Completions {
  from: number;
  options: CompletionItem[];
  /** Values after `key: ` (keys otherwise): a value typed in full is not offered again, so Enter ends the line. */
  value: boolean;
}

function values(
  context: { from: number; typed: string },
  options: CompletionItem[],
): Completions | undefined {
  if (options.some((o) => o.label === context.typed)) return undefined;
  return { from: context.from, options, value: true };
}

/** Follows a path of field names and '[]' from a kind's schema. */
export function schemaAt(index: SchemaIndex, top: Resolved, path: Segment[]): Resolved | undefined {
  let current: Resolved | undefined = top;
  for (const segment of path) {
    if (!current) return undefined;
    current = segment === '[]' ? index.item(current) : index.field(current, segment);
  }
  return current;
}

export function completeManifest(text: string, pos: number, lookup: SchemaLookup): Completions | undefined {
  const context = cursorContext(text, pos);
  if (!context) return undefined;
  const { apiVersion, kind } = documentHeader(text, pos);
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  if (context.mode === 'value' && context.path.length === 0 && context.key === 'apiVersion') {
    const versions = [...new Set(RESOURCES.map((r) => r.apiVersion))].sort();
    return values(
      context,
      versions.map((v) => ({ label: v, type: 'constant', apply: v })),
    );
  }
  if (context.mode === 'value' && context.path.length === 0 && context.key === 'kind') {
    const kinds = RESOURCES.filter((r) => !apiVersion || r.apiVersion === apiVersion);
    const unique = [...new Map(kinds.map((r) => [r.kind, r])).values()].sort((a, b) =>
      a.kind.localeCompare(b.kind),
    );
    return values(
      context,
      unique.map((r) => ({ label: r.kind, type: 'type', detail: r.apiVersion, apply: r.kind })),
    );
  }
  const index = apiVersion ? lookup(apiVersion) : undefined;
  const top = index && kind ? index.kind(apiVersion as string, kind) : undefined;
  if (context.mode === 'value') {
    const field = index && top ? schemaAt(index, top, [...context.path, context.key as string]) : undefined;
    if (field?.schema.type !== 'boolean') return undefined;
    return values(
      context,
      ['true', 'false'].map((v) => ({ label: v, type: 'constant', apply: v })),
    );
  }
  if (!index || !top) {
    // Without a schema, the two fields every manifest starts with.
    if (context.path.length > 0) return undefined;
    const options = ['apiVersion', 'kind']
      .filter((key) => !context.siblings.includes(key))
      .map((key): CompletionItem => ({ label: key, type: 'property', apply: `${key}: ` }));
    return { from: context.from, options, value: false };
  }
  const here = schemaAt(index, top, context.path);
  const properties = here?.schema.properties;
  if (!properties) return undefined;
  const indent = ' '.repeat(context.from - lineStart);
  const options: CompletionItem[] = [];
  for (const key of Object.keys(properties).sort()) {
    if (context.siblings.includes(key) || (context.path.length === 0 && key === 'status')) continue;
    const field = index.resolve(properties[key]);
    if (!field) continue;
    options.push({
      label: key,
      type: 'property',
      detail: index.goType(field),
      info: field.description,
      apply: `${key}:${opening(index, field, indent)}`,
    });
  }
  return { from: context.from, options, value: false };
}

/** What follows `key:`: a value on the line for scalars, a nested block for objects and lists (kubectl's layout). */
function opening(index: SchemaIndex, field: Resolved, indent: string): string {
  const { schema } = field;
  if (index.takesNumberOrString(field)) return ' ';
  if (schema.type === 'array') return `\n${indent}- `;
  if (schema.properties || schema.type === 'object') return `\n${indent}  `;
  return ' ';
}
