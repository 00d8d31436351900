/**
 * Remembers which objects a controller last synced without writing anything, so that it can skip them until one
 * of the resources their sync reads changes in their namespace (the informer-and-workqueue pattern, as far as a
 * level-triggered loop needs it). A sync is only skippable when it is a function of those resources alone: a
 * controller whose sync also depends on the time wakes itself with a WAKE timer, and the forced pass that timer
 * causes syncs everything again.
 */
import type { ResourceName } from '../api/resources';
import type { ObjectStore } from '../store/store';

export class SettledSyncs {
  /** Per object uid: the store revision at which its sync last wrote nothing. */
  private readonly at = new Map<string, number>();

  constructor(
    private readonly store: ObjectStore,
    /** What a sync reads, all in the object's own namespace. */
    private readonly inputs: readonly ResourceName[],
  ) {}

  /**
   * Runs `sync` unless the object's last sync wrote nothing and none of the inputs changed in its namespace since;
   * `sync` returns false when its result may change without any input changing (it must not be skipped next time).
   */
  run(uid: string, namespace: string | undefined, sync: () => boolean): void {
    const { store } = this;
    const at = this.at.get(uid);
    if (at !== undefined && !this.changedSince(namespace, at)) return;
    this.at.delete(uid);
    const before = store.revision;
    if (sync() && store.revision === before) this.at.set(uid, before);
  }

  /** Forgets objects that are gone (call after a pass; cheap when nothing was removed). */
  prune(resource: ResourceName): void {
    if (this.at.size <= this.store.count(resource)) return;
    const live = new Set(this.store.values(resource).map((o) => o.metadata.uid));
    for (const uid of [...this.at.keys()]) if (!live.has(uid)) this.at.delete(uid);
  }

  /** Every object is synced at its next pass (a forced pass: time-based conditions may have come due). */
  clear(): void {
    this.at.clear();
  }

  private changedSince(namespace: string | undefined, at: number): boolean {
    for (const resource of this.inputs) if (this.store.changedInSince(resource, namespace, at)) return true;
    return false;
  }
}
