/**
 * `-o json`: Go's json.MarshalIndent of the decoded object (map keys sorted, 4-space indent, HTML-safe escaping).
 * A typed object keeps its struct's field order instead: pass `inStructOrder` (struct-order.ts) as `order`.
 */
export function toGoJson(value: unknown, order: (value: unknown) => unknown = sortKeys): string {
  return JSON.stringify(order(value), null, 4)
    .replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .concat('\n');
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) sorted[key] = sortKeys(child);
    }
    return sorted;
  }
  return value;
}

/** The `List` wrapper kubectl prints when a get returns several objects or a whole collection. */
export function asList(items: unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}
