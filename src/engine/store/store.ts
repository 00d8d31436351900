import type { ResourceName } from '../api/resources';
import type { KubeObject } from '../api/types';
import { flat } from '../api/flat-string';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type StoreListener = (type: ChangeType, resource: ResourceName, obj: KubeObject) => void;

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

const RESOURCE_SLOTS = new Map<string, number>();

/** A small number for each resource name (given on first use), to keep per-resource values in arrays. */
export function resourceSlot(resource: ResourceName): number {
  let slot = RESOURCE_SLOTS.get(resource);
  if (slot === undefined) {
    slot = RESOURCE_SLOTS.size;
    RESOURCE_SLOTS.set(resource, slot);
  }
  return slot;
}

/** etcd key order: namespace, then name, compared as bytes (not locale). */
export function compareObjects(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  const a1 = a.metadata.name;
  const b1 = b.metadata.name;
  return a1 < b1 ? -1 : a1 > b1 ? 1 : 0;
}

/** One namespace's objects of a resource ('' for cluster-scoped ones), and the revision of their latest change. */
interface NamespaceTable {
  names: Map<string, KubeObject>;
  changedAt: number;
}

/** One resource's objects by namespace, and how many there are. */
interface ResourceTable {
  namespaces: Map<string, NamespaceTable>;
  count: number;
}

/** Tables shared by the clusters booted from one template: nobody writes them (resourceTable copies them first). */
const sharedTables = new WeakSet<ResourceTable>();
/** The shared table of each shared boot list (weak: a template list no longer made frees its table). */
const templateTables = new WeakMap<readonly KubeObject[], ResourceTable>();

function copyTable(shared: ResourceTable): ResourceTable {
  const namespaces = new Map<string, NamespaceTable>();
  for (const [namespace, { names, changedAt }] of shared.namespaces)
    namespaces.set(namespace, { names: new Map(names), changedAt });
  return { namespaces, count: shared.count };
}

/**
 * The cluster's etcd: one table per resource, a single resourceVersion counter, and change listeners.
 * Stored objects are owned by the store; everyone else reads them without modifying them (the API server
 * hands out copies, controllers write new objects through the API server).
 */
export class ObjectStore {
  /** resource → namespace ('' for cluster-scoped) → name → object. Nested maps: lookups hash the names
   *  themselves instead of a freshly concatenated key. A table also keeps its count and latest change, so a write
   *  updates them where it already is, with no map of its own (every cluster holds some thirty tables). */
  private readonly tables = new Map<ResourceName, ResourceTable>();
  /** Replaced, never changed, when someone subscribes or leaves: a write hands its change to the array as it was
   *  when the write began, without copying it first (writes are many, subscriptions few). */
  private listeners: readonly StoreListener[] = [];
  /** Per resource (by resourceSlot): the revision of its latest change (so controllers can skip when nothing they
   *  watch moved). An array: the reconcile loop asks for every controller after every round of writes. */
  private readonly changedAt: number[] = [];
  private lastRemoval = 0;
  private rv: number;

  constructor(startResourceVersion = 0) {
    this.rv = startResourceVersion;
  }

  /** The latest resourceVersion handed out; changes whenever anything is written. */
  get revision(): number {
    return this.rv;
  }

  /** The resource's table, ready to be written: a template's shared table is copied first (copy-on-write). */
  private resourceTable(resource: ResourceName): ResourceTable {
    let table = this.tables.get(resource);
    if (!table) {
      table = { namespaces: new Map(), count: 0 };
      this.tables.set(resource, table);
    } else if (sharedTables.has(table)) {
      table = copyTable(table);
      // Same key: the copy keeps the table's place in resources() (snapshots list resources in that order).
      this.tables.set(resource, table);
    }
    return table;
  }

  /**
   * Stores a boot template's objects of one resource as they are (like load). When `objects` is a frozen list
   * shared by every cluster booted from the same template (boot-image.ts shares the lists that hold no random
   * value) and the store has no table of that resource yet, the store takes the template's table itself, shared
   * with those clusters, instead of a table of its own: the first write to the resource copies it
   * (resourceTable), so no cluster ever sees another's change. `own`: always build a table of its own (the
   * creation path before templates were shared, kept for the benchmark's baseline).
   */
  loadTemplate(resource: ResourceName, objects: readonly KubeObject[], own = false): void {
    if (own || !Object.isFrozen(objects) || this.tables.has(resource)) {
      for (const obj of objects) this.load(resource, obj);
      return;
    }
    let table = templateTables.get(objects);
    if (!table) {
      table = { namespaces: new Map(), count: 0 };
      for (const obj of objects) {
        const namespace = obj.metadata.namespace ?? '';
        let names = table.namespaces.get(namespace);
        if (!names) table.namespaces.set(namespace, (names = { names: new Map(), changedAt: 0 }));
        if (!names.names.has(obj.metadata.name)) table.count++;
        names.names.set(obj.metadata.name, obj);
      }
      sharedTables.add(table);
      templateTables.set(objects, table);
    }
    this.tables.set(resource, table);
  }

  private namespaceTable(table: ResourceTable, namespace: string | undefined): NamespaceTable {
    let names = table.namespaces.get(namespace ?? '');
    if (!names) {
      names = { names: new Map(), changedAt: 0 };
      table.namespaces.set(namespace ?? '', names);
    }
    return names;
  }

  get<T extends KubeObject = KubeObject>(
    resource: ResourceName,
    namespace: string | undefined,
    name: string,
  ): T | undefined {
    return this.tables
      .get(resource)
      ?.namespaces.get(namespace ?? '')
      ?.names.get(name) as T | undefined;
  }

  /** Unsorted, live view for controllers: do not modify the objects. */
  values<T extends KubeObject = KubeObject>(resource: ResourceName): T[] {
    const out: T[] = [];
    const table = this.tables.get(resource);
    if (table)
      for (const { names } of table.namespaces.values()) for (const obj of names.values()) out.push(obj as T);
    return out;
  }

  /** Unsorted objects of one namespace. */
  valuesIn<T extends KubeObject = KubeObject>(resource: ResourceName, namespace: string): T[] {
    const names = this.tables.get(resource)?.namespaces.get(namespace)?.names;
    return names ? ([...names.values()] as T[]) : [];
  }

  /** The namespaces holding objects of these resources, each once, in the tables' order. */
  namespacesOf(resources: readonly ResourceName[]): Set<string> {
    const out = new Set<string>();
    for (const resource of resources)
      for (const [namespace, { names }] of this.tables.get(resource)?.namespaces ?? [])
        if (names.size) out.add(namespace);
    return out;
  }

  count(resource: ResourceName): number {
    return this.tables.get(resource)?.count ?? 0;
  }

  /** Sorted by namespace then name; `namespace` undefined = all. */
  list<T extends KubeObject = KubeObject>(resource: ResourceName, namespace?: string): T[] {
    const selected =
      namespace === undefined ? this.values<T>(resource) : this.valuesIn<T>(resource, namespace);
    return sortInPlace(selected, compareObjects);
  }

  /** Stores `obj` (taking ownership), giving it the next resourceVersion. */
  put(resource: ResourceName, obj: KubeObject): KubeObject {
    const table = this.resourceTable(resource);
    const namespace = this.namespaceTable(table, obj.metadata.namespace);
    const existed = namespace.names.has(flat(obj.metadata.name));
    obj.metadata.resourceVersion = String(++this.rv);
    this.changedAt[resourceSlot(resource)] = this.rv;
    namespace.changedAt = this.rv;
    namespace.names.set(obj.metadata.name, obj);
    if (!existed) table.count++;
    this.emit(existed ? 'MODIFIED' : 'ADDED', resource, obj);
    return obj;
  }

  remove(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.get(resource, namespace, name);
    if (!obj) return undefined;
    const table = this.resourceTable(resource);
    const names = table.namespaces.get(namespace ?? '')!;
    names.names.delete(name);
    table.count--;
    this.changedAt[resourceSlot(resource)] = this.rv + 1;
    names.changedAt = this.rv + 1;
    this.lastRemoval = this.rv + 1;
    const gone = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
    this.emit('DELETED', resource, gone);
    return gone;
  }

  /** Loads objects as they are (snapshot restore): keeps their resourceVersions, emits nothing. */
  load(resource: ResourceName, obj: KubeObject): void {
    const table = this.resourceTable(resource);
    const { names } = this.namespaceTable(table, obj.metadata.namespace);
    if (!names.has(obj.metadata.name)) table.count++;
    names.set(obj.metadata.name, obj);
  }

  /** Whether any object of these resources changed after revision `since`. */
  changedSince(resources: readonly ResourceName[], since: number): boolean {
    for (let i = 0; i < resources.length; i++)
      if ((this.changedAt[resourceSlot(resources[i])] ?? 0) > since) return true;
    return false;
  }

  /** changedSince for resources given by their resourceSlot. */
  changedSinceSlots(slots: readonly number[], since: number): boolean {
    const changedAt = this.changedAt;
    for (let i = 0; i < slots.length; i++) if ((changedAt[slots[i]] ?? 0) > since) return true;
    return false;
  }

  /** Whether any object of this resource in this namespace ('' or undefined: cluster-scoped) changed after
   *  revision `since`. Lets a controller skip the objects of namespaces where nothing it reads moved. */
  changedInSince(resource: ResourceName, namespace: string | undefined, since: number): boolean {
    return (this.tables.get(resource)?.namespaces.get(namespace ?? '')?.changedAt ?? 0) > since;
  }

  /** Whether any object was removed after revision `since` (owners disappearing is what the GC reacts to). */
  removedSince(since: number): boolean {
    return this.lastRemoval > since;
  }

  setRevision(rv: number): void {
    this.rv = rv;
  }

  /** @internal The resources whose table is still a boot template's, shared with other clusters (tests). */
  sharedResources(): ResourceName[] {
    return [...this.tables].filter(([, table]) => sharedTables.has(table)).map(([resource]) => resource);
  }

  resources(): ResourceName[] {
    return [...this.tables.keys()];
  }

  subscribe(listener: StoreListener): () => void {
    // A Set's semantics: the same function subscribed twice is there once, and unsubscribing removes it.
    if (!this.listeners.includes(listener)) this.listeners = [...this.listeners, listener];
    return () => {
      const had = this.listeners.includes(listener);
      this.listeners = this.listeners.filter((l) => l !== listener);
      return had;
    };
  }

  private emit(type: ChangeType, resource: ResourceName, obj: KubeObject): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](type, resource, obj);
  }
}

/**
 * Sorts `items` in place exactly as V8's Array.prototype.sort orders an array shorter than its minimum run (64): the
 * leading run (reversed when strictly descending), then binary insertion. The same steps, so the same order even for
 * a comparator that is not a total order, but without the copy V8's sort allocates: the store's lists and the
 * controllers' passes sort a handful of objects many times per cluster. Longer arrays go to sort itself.
 */
export function sortInPlace<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  const n = items.length;
  if (n >= 64) return items.sort(compare);
  if (n < 2) return items;
  let run = 2;
  const descending = compare(items[1], items[0]) < 0;
  for (let i = 2; i < n; i++) {
    const order = compare(items[i], items[i - 1]);
    if (descending ? order >= 0 : order < 0) break;
    run++;
  }
  if (descending)
    for (let lo = 0, hi = run - 1; lo < hi; lo++, hi--) {
      const swap = items[lo];
      items[lo] = items[hi];
      items[hi] = swap;
    }
  for (let start = run; start < n; start++) {
    const pivot = items[start];
    let left = 0;
    let right = start;
    while (left < right) {
      const mid = left + ((right - left) >> 1);
      if (compare(pivot, items[mid]) < 0) right = mid;
      else left = mid + 1;
    }
    for (let p = start; p > left; p--) items[p] = items[p - 1];
    items[left] = pivot;
  }
  return items;
}

/** Deep copy of a plain JSON value (API objects are plain JSON); undefined properties are dropped like JSON. */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = clone(v);
  }
  return out as T;
}

/** Deep equality of plain JSON values, short-circuiting on shared subtrees (cheap for copy-on-write objects). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let count = 0;
  for (const key in ao) {
    if (ao[key] === undefined) continue;
    count++;
    if (!deepEqual(ao[key], bo[key])) return false;
  }
  for (const key in bo) if (bo[key] !== undefined) count--;
  return count === 0;
}

/** A new version of a stored object with another status: everything else is shared, not copied. */
export function withStatus<T extends KubeObject>(obj: T, status: unknown): T {
  return { ...obj, metadata: { ...obj.metadata }, status } as T;
}

/** Freezes a value and everything in it: for values shared between objects or clusters, which nobody may change. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
