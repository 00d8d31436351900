/**
 * The watch cache's event history: the last changes of every resource, so a watch can resume from the
 * resourceVersion a client last saw (informers do after a reconnect). It is bounded; a resourceVersion older than
 * what it still holds is answered as the API server's watch cache answers it: `410 Gone`, reason Expired,
 * `too old resource version: <asked> (<oldest held - 1>)`, and the client lists again.
 */
import type { ResourceInfo, ResourceName } from '../api/resources';
import type { KubeObject } from '../api/types';
import { matchesFields, matchesSelector, parseFieldSelector, parseLabelSelector } from '../server/selectors';
import type { ChangeType, ObjectStore } from '../store/store';

/** Events kept, over all resources (the API server keeps ~100–1000 per resource; the lab's clusters are small). */
export const HISTORY_EVENTS = 2000;

interface Recorded {
  rv: number;
  type: ChangeType;
  resource: ResourceName;
  obj: KubeObject;
}

export interface WatchFilter {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** The API server's 410 for a resourceVersion the history no longer covers. */
export class ExpiredError extends Error {
  constructor(message: string) {
    super(message);
  }
}

export class WatchHistory {
  private readonly events: Recorded[] = [];
  private start = 0;
  /** Every change after this resourceVersion is held. */
  private floor: number;
  private readonly stop: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly capacity = HISTORY_EVENTS,
  ) {
    this.floor = store.revision;
    // Objects handed to listeners are the store's own: keep a frozen copy of each.
    this.stop = store.subscribe((type, resource, obj) => this.record(type, resource, obj));
  }

  private record(type: ChangeType, resource: ResourceName, obj: KubeObject): void {
    const rv = Number(obj.metadata.resourceVersion ?? this.store.revision);
    this.events.push({ rv, type, resource, obj: structuredClone(obj) });
    if (this.events.length - this.start > this.capacity) {
      this.floor = this.events[this.start].rv;
      this.start++;
      // Drop the consumed prefix now and then, not on every event.
      if (this.start > this.capacity) {
        this.events.splice(0, this.start);
        this.start = 0;
      }
    }
  }

  /** How many events are held (for tests of the bound). */
  get size(): number {
    return this.events.length - this.start;
  }

  /**
   * The held changes of `info`'s objects after resourceVersion `since` that match the filter, oldest first.
   * Throws ExpiredError when older changes were dropped, a StatusError for a bad selector.
   */
  since(info: ResourceInfo, since: number, filter: WatchFilter): { type: ChangeType; obj: KubeObject }[] {
    if (since < this.floor) throw new ExpiredError(`too old resource version: ${since} (${this.floor})`);
    const labels = filter.labelSelector
      ? parseLabelSelector(info.resource, info.group, filter.labelSelector)
      : [];
    const fields = filter.fieldSelector
      ? parseFieldSelector(info.resource, info.group, filter.fieldSelector)
      : [];
    const out: { type: ChangeType; obj: KubeObject }[] = [];
    for (let i = this.start; i < this.events.length; i++) {
      const e = this.events[i];
      if (e.rv <= since || e.resource !== info.resource) continue;
      if (info.namespaced && filter.namespace !== undefined && e.obj.metadata.namespace !== filter.namespace)
        continue;
      if (labels.length && !matchesSelector(labels, e.obj.metadata.labels)) continue;
      if (fields.length && !matchesFields(fields, e.obj)) continue;
      out.push({ type: e.type, obj: structuredClone(e.obj) });
    }
    return out;
  }

  close(): void {
    this.stop();
  }
}
