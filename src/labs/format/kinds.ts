/**
 * The kinds a lab may select: every kind the engine's API registry (src/engine/api/resources.ts) stores and
 * lists, so labs and engine share one list. Left out are the kinds no cluster can list: create-only review
 * APIs (answered at once, never stored) and aggregated APIs computed on request (the metrics API).
 */
import { RESOURCES, resourceForKind, type ResourceInfo } from '../../engine/api/resources';

function selectable(info: ResourceInfo): boolean {
  return info.verbs.includes('list') && !info.aggregated;
}

/** The registry entry of a selectable kind, spelled as in `kind:` of a manifest (`ConfigMap`); else undefined. */
export function selectableKind(kind: string): ResourceInfo | undefined {
  const info = resourceForKind(kind);
  return info && selectable(info) ? info : undefined;
}

/** Every selectable kind, in the registry's order (for messages and documentation). */
export function selectableKinds(): string[] {
  return [...new Set(RESOURCES.filter(selectable).map((info) => info.kind))];
}

/**
 * The kind the author probably meant by an unknown one (`Pods`, `configmap`, `cm`): the registry resolves
 * kubectl's aliases, so the message can name the exact spelling.
 */
export function suggestKind(kind: string): string | undefined {
  const lower = kind.toLowerCase();
  const info = RESOURCES.find(
    (candidate) =>
      selectable(candidate) &&
      [
        candidate.resource,
        candidate.singular,
        candidate.kind.toLowerCase(),
        ...candidate.shortNames,
      ].includes(lower),
  );
  return info?.kind;
}
