import type { ResourceInfo, ResourceName } from '../api/resources';
import type { KubeObject } from '../api/types';

export type { ResourceInfo, ResourceName } from '../api/resources';
export { StatusError } from '../api/status-error';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ListOptions {
  /** undefined = all namespaces (ignored for cluster-scoped resources). */
  namespace?: string;
  /** `app=x,tier!=db,env in (a,b),!legacy` — kubectl's label selector syntax. */
  labelSelector?: string;
  /** `status.phase=Pending,metadata.name!=x` — the field selectors the real API server supports per resource. */
  fieldSelector?: string;
  /** The store's own objects instead of private copies, for a caller that only reads them within the call (kubectl's
   *  table printing): copying every listed object was most of what a `get` allocated. Never modify them. */
  readOnly?: boolean;
}

/** `dryRun`: the server dry run (`kubectl --dry-run=server`): admission, defaulting and validation, nothing stored. */
export interface WriteOptions {
  dryRun?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  /** Pods only: 0 removes the pod at once (`--grace-period=0 --force`); default is the pod's own (30 s). */
  gracePeriodSeconds?: number;
}

/**
 * Semantics of the Kubernetes API server for the resources the lab uses. Every method throws StatusError
 * (NotFound, AlreadyExists, Invalid, BadRequest, Conflict) with the real message texts.
 * Objects returned are private copies: callers may modify them and pass them back to update().
 */
export interface ApiServer {
  get<T extends KubeObject>(resource: ResourceName, namespace: string | undefined, name: string): T;
  /** Sorted by namespace, then name (etcd key order). */
  list<T extends KubeObject>(resource: ResourceName, opts?: ListOptions): T[];
  /** Defaulting, validation, generateName, uid, resourceVersion, creationTimestamp. */
  create<T extends KubeObject>(obj: T, opts?: WriteOptions): T;
  /** Replaces the object; bumps resourceVersion, and metadata.generation when the spec changed.
   *  A stale metadata.resourceVersion gives Conflict; an absent one means "last write wins". */
  update<T extends KubeObject>(obj: T, opts?: WriteOptions): T;
  /** Pods go Terminating for their grace period; dependents are garbage-collected in the background. */
  delete(
    resource: ResourceName,
    namespace: string | undefined,
    name: string,
    opts?: DeleteOptions,
  ): KubeObject;
  /** Calls onEvent for each change of a matching object from now on; returns the function that stops it. */
  watch(
    resource: ResourceName,
    opts: { namespace?: string; labelSelector?: string; fieldSelector?: string },
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
  ): () => void;
  resourceFor(kindOrAlias: string): ResourceInfo | undefined;
}
