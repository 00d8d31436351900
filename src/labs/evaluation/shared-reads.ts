/**
 * The object reads of one grading. Every check that selects a kind in a namespace is served from one read of
 * that kind and namespace, filtered here by name and label selector the way an API server list filters, so a
 * lab whose ten steps each select 200 ConfigMaps through their own selectors reads them once, not ten times.
 *
 * The lists are shared by every check of the grading, so checks must treat them as read-only (evaluation never
 * writes to an object; specs evaluate deep-frozen objects to hold it to that).
 */
import { createHash } from 'node:crypto';
import { matchesSelector, parseRequirements } from '../../engine/server/selectors';
import type { KubeObjectJson, ObjectQuery } from './context';

/** Every object of a kind in a namespace (all namespaces when absent), and the version of that list. */
export interface KindList {
  objects: readonly KubeObjectJson[];
  /** Changes whenever an object of the list does; undefined when that cannot be told (see listVersion). */
  version: string | undefined;
}

/**
 * Kinds whose objects change without a new resourceVersion: the engine computes node leases (their renewTime
 * moves with the clock) and component statuses on every read. A check reading them is never reused.
 */
const UNVERSIONED_KINDS = /^(lease|componentstatus|cs$)/i;

/**
 * A text that differs whenever the list differs: a digest of each object's namespace, name, uid and
 * resourceVersion (an API server gives every change of an object a new resourceVersion), short so that the
 * platform can keep one per step for thousands of sessions. Undefined when an object has none.
 */
export function listVersion(kind: string, objects: readonly KubeObjectJson[]): string | undefined {
  if (UNVERSIONED_KINDS.test(kind)) return undefined;
  const parts: string[] = [];
  for (const { metadata } of objects) {
    const { resourceVersion, uid } = metadata;
    if (typeof resourceVersion !== 'string' || resourceVersion === '') return undefined;
    parts.push(
      `${metadata.namespace ?? ''}/${metadata.name}/${typeof uid === 'string' ? uid : ''}/${resourceVersion}`,
    );
  }
  return createHash('sha256').update(parts.join('\n')).digest('base64');
}

/** The key of the list a query is served from. */
export function listKey(query: ObjectQuery): string {
  return JSON.stringify([query.kind, query.namespace ?? null]);
}

export class SharedReads {
  private readonly lists = new Map<string, Promise<KindList>>();

  /** `read` is the cluster's readObjects; it is asked only for a kind and namespace. */
  constructor(private readonly read: (query: ObjectQuery) => Promise<KubeObjectJson[]>) {}

  /** The whole list a query is served from, read once per kind and namespace. */
  list(query: ObjectQuery): Promise<KindList> {
    const key = listKey(query);
    let list = this.lists.get(key);
    if (!list) {
      const whole: ObjectQuery = { kind: query.kind, namespace: query.namespace };
      list = this.read(whole).then((objects) => ({ objects, version: listVersion(query.kind, objects) }));
      this.lists.set(key, list);
    }
    return list;
  }

  /** What the cluster would answer to `query`: the list filtered by name and label selector, in list order. */
  async readObjects(query: ObjectQuery): Promise<KubeObjectJson[]> {
    return selectFrom((await this.list(query)).objects, query);
  }
}

/** The objects of a kind's list that a query's name and label selector select. */
export function selectFrom(objects: readonly KubeObjectJson[], query: ObjectQuery): KubeObjectJson[] {
  const requirements = query.labelSelector ? parseRequirements(query.labelSelector) : [];
  return objects.filter(
    (object) =>
      (query.name === undefined || object.metadata.name === query.name) &&
      (requirements.length === 0 || matchesSelector(requirements, object.metadata.labels)),
  );
}
