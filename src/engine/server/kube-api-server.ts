import {
  isCreateOnly,
  isReview,
  resourceFor,
  resourceForKind,
  type ResourceInfo,
  type ResourceName,
} from '../api/resources';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  methodNotAllowedStatus,
  notFound,
  StatusError,
  type StatusCause,
} from '../api/status-error';
import { rfc3339 } from '../api/time';
import type {
  Deployment,
  Job,
  KubeObject,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  Secret,
  Service,
} from '../api/types';
import { Random } from '../store/random';
import { clone, compareObjects, deepEqual, ObjectStore } from '../store/store';
import type { ApiServer, DeleteOptions, ListOptions, WatchEventType, WriteOptions } from './api-server';
import { ClusterIpAllocator, NodePortAllocator, NODE_PORT_MAX, NODE_PORT_MIN } from './allocators';
import { configUpdateCauses, decodeError, defaultSecret } from './config-objects';
import { defaultBatchObject, labelJob } from './batch-objects';
import {
  defaultDeployment,
  defaultNamespace,
  defaultPod,
  defaultPodTemplate,
  defaultReplicaSet,
  defaultReplicationController,
  defaultService,
} from './defaults';
import type { PodTemplate, ReplicationController } from '../api/cluster-types';
import { matchesFields, matchesSelector, parseFieldSelector, parseLabelSelector } from './selectors';
import { validateMetadata, validateObject } from './validate-objects';
import { decodeNulls } from './json-nulls';
import { defaultWorkloadObject } from './workload-defaults';
import { defaultPolicyObject, immutablePolicyCauses } from './policy-objects';
import { admitPodPriority } from './priority';
import { applyLimitRangeDefaults, limitRangeRefusal } from './limit-ranger';
import { quotaRefusal } from './quota';
import {
  admitStorageObject,
  defaultStorageObject,
  resizeRefusal,
  STORAGE_KINDS,
  storageUpdateCauses,
} from './storage-objects';
import { admitNetworkObject, defaultNetworkObject, NETWORK_KINDS } from './network-objects';
import { invalidValue } from './validation';
import { NODE_LEASE_NAMESPACE, nodeLease, nodeLeases } from './node-leases';
import { review } from './reviews';
import { componentStatuses } from './component-statuses';
import { boundPod, type Binding } from './bindings';
import { MINIKUBE_USER } from './rbac';

export interface ApiServerHooks {
  /** Simulation time (epoch ms). */
  now(): number;
  random: Random;
  /** Brings the cluster up to date before a client reads or writes (cluster.sync). */
  beforeAccess(): void;
  /** Lets the controllers react to a client's write at once, as real ones do within milliseconds. */
  afterWrite(): void;
}

const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
const WITH_GENERATION = new Set<ResourceName>([
  'deployments',
  'replicasets',
  'poddisruptionbudgets',
  'daemonsets',
  'statefulsets',
  'horizontalpodautoscalers',
  'jobs',
  'cronjobs',
  'endpointslices',
  'ingresses',
  'ingressclasses',
  'networkpolicies',
]);
/** Resources whose status is a subresource: a client's update never changes it. */
const STATUS_SUBRESOURCE = new Set<ResourceName>([
  'jobs',
  'cronjobs',
  'pods',
  'deployments',
  'replicasets',
  'services',
  'nodes',
  'namespaces',
  'resourcequotas',
  'poddisruptionbudgets',
  'daemonsets',
  'statefulsets',
  'horizontalpodautoscalers',
  'persistentvolumeclaims',
  'persistentvolumes',
  'ingresses',
]);

const META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
];

/** Field order as the real API server serialises objects (apiVersion, kind, metadata{name, namespace, uid, ...}). */
function canonicalOrder<T extends KubeObject>(obj: T): T {
  const meta: Record<string, unknown> = {};
  const source = obj.metadata as unknown as Record<string, unknown>;
  for (const key of META_ORDER) if (source[key] !== undefined) meta[key] = source[key];
  for (const key of Object.keys(source))
    if (!(key in meta) && source[key] !== undefined) meta[key] = source[key];
  const { apiVersion, kind, metadata: _m, ...rest } = obj as KubeObject & Record<string, unknown>;
  return { apiVersion, kind, metadata: meta, ...rest } as unknown as T;
}

const sameJson = deepEqual;

/** What an update cannot change in metadata: the stored uid, creation time, deletion mark and generateName. */
function keepServerMetadata(
  meta: KubeObject['metadata'],
  old: KubeObject['metadata'],
  fromClient: boolean,
): void {
  meta.uid = old.uid;
  meta.creationTimestamp = old.creationTimestamp;
  if (old.deletionTimestamp) {
    meta.deletionTimestamp = old.deletionTimestamp;
    meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  } else if (fromClient) {
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
  }
  // The stored generateName, as the last key (where deleting and setting it again leaves it: clients see that order).
  if (old.generateName)
    moveKeyLast(meta as unknown as Record<string, unknown>, 'generateName', old.generateName);
  else delete meta.generateName;
}

/**
 * Sets `key` as the last of `obj`'s keys, the order `delete obj[key]; obj[key] = value` gives, but deleting only ever
 * the last key: V8 keeps an object fast when its last key goes, and makes it a slow dictionary for the rest of its life
 * when a key in the middle does (every pod's metadata, at its first update, moving generateName after the rest).
 */
function moveKeyLast(obj: Record<string, unknown>, key: string, value: unknown): void {
  const keys = Object.keys(obj);
  const at = keys.indexOf(key);
  if (at === -1 || at === keys.length - 1) {
    obj[key] = value;
    return;
  }
  const after = keys.slice(at + 1);
  const values = after.map((k) => obj[k]);
  for (let i = after.length - 1; i >= 0; i--) delete obj[after[i]];
  delete obj[key];
  for (let i = 0; i < after.length; i++) obj[after[i]] = values[i];
  obj[key] = value;
}

/** Whether `next` is `old` again, whatever resourceVersion the writer sent (it was checked for conflicts already). */
function unchanged(old: KubeObject, next: KubeObject): boolean {
  // Most writes change the status (controllers) or the spec (clients): comparing those first answers without
  // walking the metadata. Either differing makes the whole objects differ, so the answer is the same.
  const o = old as KubeObject & { spec?: unknown; status?: unknown };
  const n = next as KubeObject & { spec?: unknown; status?: unknown };
  if (!deepEqual(o.status, n.status) || !deepEqual(o.spec, n.spec)) return false;
  const sent = next.metadata.resourceVersion;
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  const same = deepEqual(old, next);
  next.metadata.resourceVersion = sent;
  if (same) next.metadata.resourceVersion = old.metadata.resourceVersion;
  return same;
}

/**
 * The API server: defaulting, validation, naming, versioning, graceful deletion and watches over the store.
 * Public methods (the ApiServer contract) work on copies and sync the cluster first; the `*Object` methods are the
 * controllers' write path and take ownership of the objects passed in.
 */
export class KubeApiServer implements ApiServer {
  readonly clusterIps = new ClusterIpAllocator();
  readonly nodePorts = new NodePortAllocator();

  constructor(
    readonly store: ObjectStore,
    private readonly hooks: ApiServerHooks,
  ) {}

  // ------------------------------------------------------------------ public contract

  resourceFor(kindOrAlias: string): ResourceInfo | undefined {
    const info = resourceFor(kindOrAlias);
    // An aggregated API (metrics.k8s.io) is served by its extension server over HTTP (http/metrics-api.ts), not
    // from the store: the terminal's kubectl reads it through its own commands (kubectl top).
    return info?.aggregated ? undefined : info;
  }

  get<T extends KubeObject>(resource: ResourceName, namespace: string | undefined, name: string): T {
    this.hooks.beforeAccess();
    this.refuseCreateOnly(resource);
    if (resource === 'componentstatuses') {
      const status = componentStatuses().find((c) => c.metadata.name === name);
      if (!status) throw notFound('componentstatuses', '', name);
      return status as unknown as T;
    }
    if (resource === 'leases' && namespace === NODE_LEASE_NAMESPACE) {
      const node = this.store.get<Node>('nodes', undefined, name);
      if (node && !this.store.get('leases', namespace, name)) return nodeLease(node, this.hooks.now()) as T;
    }
    return clone(this.mustGet(resource, namespace, name)) as T;
  }

  /**
   * The review APIs serve `create` only: reading, listing, watching, updating or deleting one is a 405. A namespaced
   * one has no path outside a namespace at all (kube-apiserver registers none), so asking across namespaces is a 404.
   */
  private refuseCreateOnly(resource: ResourceName, allNamespaces = false): void {
    const info = resourceFor(resource);
    if (!info || !isCreateOnly(info)) return;
    if (info.namespaced && allNamespaces)
      throw new StatusError({
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
      });
    throw methodNotAllowedStatus();
  }

  list<T extends KubeObject>(resource: ResourceName, opts: ListOptions = {}): T[] {
    this.hooks.beforeAccess();
    this.refuseCreateOnly(resource, opts.namespace === undefined);
    const info = this.info(resource);
    const labels = opts.labelSelector
      ? parseLabelSelector(resource, info.group, opts.labelSelector, opts.fieldSelector ?? '')
      : [];
    const fields = opts.fieldSelector
      ? parseFieldSelector(resource, info.group, opts.fieldSelector, opts.labelSelector ?? '')
      : [];
    const namespace = info.namespaced ? opts.namespace : undefined;
    const out: T[] = [];
    const stored =
      resource === 'componentstatuses' ? componentStatuses() : this.store.list(resource, namespace);
    for (const obj of stored) {
      if (labels.length && !matchesSelector(labels, obj.metadata.labels)) continue;
      if (fields.length && !matchesFields(fields, obj)) continue;
      out.push((opts.readOnly ? obj : clone(obj)) as T);
    }
    if (resource !== 'leases') return out;
    for (const lease of nodeLeases(this.store, namespace, this.hooks.now())) {
      if (labels.length && !matchesSelector(labels, lease.metadata.labels)) continue;
      if (fields.length && !matchesFields(fields, lease)) continue;
      out.push(lease as unknown as T);
    }
    return out.sort(compareObjects);
  }

  create<T extends KubeObject>(obj: T, opts: WriteOptions = {}): T {
    this.hooks.beforeAccess();
    const asked = obj && typeof obj === 'object' ? resourceForKind(obj.kind) : undefined;
    // A review is answered, not stored (it needs no metadata); this face has no requester but the cluster's admin.
    if (asked?.resource === 'bindings') {
      const { pod, answer } = boundPod(this.store, clone(obj) as unknown as Binding, this.hooks.now());
      if (!opts.dryRun) {
        this.updateObject(pod, { fromClient: false });
        this.hooks.afterWrite();
      }
      return answer as T;
    }
    if (asked && isReview(asked))
      return review(
        this.store,
        MINIKUBE_USER,
        { ...asked, namespace: obj.metadata?.namespace },
        clone(obj),
      ) as T;
    if (!obj || typeof obj !== 'object' || !obj.metadata) throw badRequest('Object is missing metadata');
    const created = clone(this.createObject(clone(obj), undefined, opts.dryRun)) as T;
    if (!opts.dryRun) this.hooks.afterWrite();
    return created;
  }

  update<T extends KubeObject>(obj: T, opts: WriteOptions = {}): T {
    this.hooks.beforeAccess();
    if (!obj || typeof obj !== 'object' || !obj.metadata) throw badRequest('Object is missing metadata');
    if (typeof obj.kind === 'string') this.refuseCreateOnly(resourceForKind(obj.kind)?.resource ?? 'pods');
    const updated = clone(this.updateObject(clone(obj), { fromClient: true, dryRun: opts.dryRun })) as T;
    if (!opts.dryRun) this.hooks.afterWrite();
    return updated;
  }

  delete(
    resource: ResourceName,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): KubeObject {
    this.hooks.beforeAccess();
    this.refuseCreateOnly(resource);
    const deleted = clone(this.deleteObject(resource, namespace, name, opts));
    if (!opts.dryRun) this.hooks.afterWrite();
    return deleted;
  }

  watch(
    resource: ResourceName,
    opts: { namespace?: string; labelSelector?: string; fieldSelector?: string },
    onEvent: (type: WatchEventType, obj: KubeObject) => void,
  ): () => void {
    this.refuseCreateOnly(resource, opts.namespace === undefined);
    const info = this.info(resource);
    const selector = opts.labelSelector ? parseLabelSelector(resource, info.group, opts.labelSelector) : [];
    const fields = opts.fieldSelector ? parseFieldSelector(resource, info.group, opts.fieldSelector) : [];
    let active = true;
    const unsubscribe = this.store.subscribe((type, changed, obj) => {
      if (changed !== resource) return;
      if (info.namespaced && opts.namespace !== undefined && obj.metadata.namespace !== opts.namespace)
        return;
      if (selector.length && !matchesSelector(selector, obj.metadata.labels)) return;
      if (fields.length && !matchesFields(fields, obj)) return;
      const copy = clone(obj);
      this.pendingWatchEvents.push(() => {
        if (active) onEvent(type, copy);
      });
    });
    return () => {
      active = false;
      unsubscribe();
    };
  }

  private readonly pendingWatchEvents: (() => void)[] = [];
  private delivering = false;

  /**
   * Hands queued watch events to their watchers, in order. Events are queued while the cluster changes and
   * delivered once the write (and the controllers' reaction) is complete, so a watcher that calls back into the
   * API never observes or interleaves with a half-done change.
   */
  deliverWatchEvents(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.pendingWatchEvents.shift(); next; next = this.pendingWatchEvents.shift()) next();
    } finally {
      this.delivering = false;
    }
  }

  // ------------------------------------------------------------------ controllers' write path

  info(resource: ResourceName): ResourceInfo {
    const info = resourceFor(resource);
    if (!info) throw badRequest(`the server doesn't have a resource type "${resource}"`);
    return info;
  }

  mustGet(resource: ResourceName, namespace: string | undefined, name: string): KubeObject {
    const info = this.info(resource);
    const obj = this.store.get(resource, info.namespaced ? (namespace ?? 'default') : undefined, name);
    if (!obj) throw notFound(info.resource, info.group, name);
    return obj;
  }

  private kindInfo(obj: KubeObject): ResourceInfo {
    const info = resourceForKind(obj.kind);
    if (!info)
      throw badRequest(
        `no kind "${obj.kind}" is registered for version "${obj.apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`,
      );
    return info;
  }

  /** `uid` is given for control-plane objects whose uids must not draw from the cluster's random sequence. */
  createObject<T extends KubeObject>(obj: T, uid?: string, dryRun = false): T {
    const info = this.kindInfo(obj);
    const now = this.hooks.now();
    const meta = obj.metadata;
    obj.apiVersion = info.apiVersion;
    if (info.namespaced) {
      meta.namespace ??= 'default';
      const ns = this.store.get<Namespace>('namespaces', undefined, meta.namespace);
      if (!ns) throw notFound('namespaces', '', meta.namespace);
      if (ns.status.phase === 'Terminating')
        throw forbidden(
          info.resource,
          info.group,
          meta.name || meta.generateName || '',
          `unable to create new content in namespace ${meta.namespace} because it is being terminated`,
        );
    } else {
      delete meta.namespace;
    }
    decodeNulls(obj);
    const undecodable = decodeError(obj);
    if (undecodable) throw undecodable;
    if (!meta.name && meta.generateName)
      meta.name = this.generateName(info, meta.namespace, meta.generateName);
    this.applyDefaults(info.resource, obj);
    // LimitRanger's mutating half runs before validation, so the defaults it sets are validated too.
    if (info.resource === 'pods') applyLimitRangeDefaults(this.store, obj as unknown as Pod);
    if (STORAGE_KINDS.has(obj.kind)) admitStorageObject(this.store, obj);
    if (NETWORK_KINDS.has(obj.kind)) admitNetworkObject(this.store, obj);
    const causes = validateObject(obj);
    if (causes.length) throw invalid(info.kind, info.group, meta.name ?? '', causes);
    if (this.store.get(info.resource, meta.namespace, meta.name))
      throw alreadyExists(info.resource, info.group, meta.name);
    if (info.resource === 'pods') {
      const outOfRange = limitRangeRefusal(this.store, obj as unknown as Pod);
      if (outOfRange) throw forbidden('pods', '', meta.name, outOfRange);
      const refusal = admitPodPriority(this.store, obj as unknown as Pod);
      if (refusal) throw forbidden('pods', '', meta.name, refusal);
    }
    const overQuota = quotaRefusal(this.store, info, obj);
    if (overQuota) throw forbidden(info.resource, info.group, meta.name, overQuota);
    // A dry run allocates no cluster IP or node port (the allocators would keep them).
    if (info.resource === 'services' && !dryRun) this.allocateService(obj as unknown as Service, undefined);
    meta.uid = uid ?? this.hooks.random.uid();
    if (info.resource === 'jobs') labelJob(obj as unknown as Job);
    meta.resourceVersion = '0'; // placeholder keeping the field's position; the store assigns the real one
    meta.creationTimestamp = rfc3339(now);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (WITH_GENERATION.has(info.resource)) meta.generation = 1;
    else delete meta.generation;
    if (dryRun) {
      delete meta.resourceVersion;
      return canonicalOrder(obj);
    }
    return this.store.put(info.resource, canonicalOrder(obj)) as T;
  }

  /**
   * For complete objects made by the control plane itself (events): only what the server assigns (uid,
   * resourceVersion, creationTimestamp) is added; no defaulting or validation. The fields must already be in
   * the API's order. Returns undefined when the namespace is missing or terminating (the write is refused).
   */
  createTrusted<T extends KubeObject>(resource: ResourceName, obj: T): T | undefined {
    const namespace = obj.metadata.namespace;
    if (namespace !== undefined) {
      const ns = this.store.get<Namespace>('namespaces', undefined, namespace);
      if (!ns || ns.status.phase === 'Terminating') return undefined;
    }
    obj.metadata.uid = this.hooks.random.uid();
    obj.metadata.resourceVersion = '0';
    obj.metadata.creationTimestamp = rfc3339(this.hooks.now());
    return this.store.put(resource, obj) as T;
  }

  private generateName(info: ResourceInfo, namespace: string | undefined, base: string): string {
    const prefix = base.length > 58 ? base.slice(0, 58) : base;
    for (let attempt = 0; attempt < 8; attempt++) {
      const name = prefix + this.hooks.random.string(5);
      if (!this.store.get(info.resource, namespace, name)) return name;
    }
    return prefix + this.hooks.random.string(5);
  }

  /** Whether the pod's ServiceAccount lets admission mount its token (automountServiceAccountToken not false). */
  private accountAutomounts(pod: Pod): boolean {
    const account = this.store.get(
      'serviceaccounts',
      pod.metadata.namespace,
      pod.spec?.serviceAccountName ?? 'default',
    );
    return (
      (account as { automountServiceAccountToken?: boolean } | undefined)?.automountServiceAccountToken !==
      false
    );
  }

  private applyDefaults(resource: ResourceName, obj: KubeObject): void {
    switch (resource) {
      case 'deployments':
        return defaultDeployment(obj as Deployment);
      case 'replicasets':
        return defaultReplicaSet(obj as ReplicaSet);
      case 'replicationcontrollers':
        return defaultReplicationController(obj as ReplicationController);
      case 'podtemplates':
        return defaultPodTemplate(obj as PodTemplate);
      case 'pods':
        return defaultPod(obj as Pod, () => this.hooks.random.string(5), this.accountAutomounts(obj as Pod));
      case 'services':
        return defaultService(obj as Service);
      case 'namespaces':
        return defaultNamespace(obj as Namespace);
      case 'secrets':
        return defaultSecret(obj as Secret);
      case 'jobs':
      case 'cronjobs':
        return defaultBatchObject(obj);
      case 'daemonsets':
      case 'statefulsets':
      case 'horizontalpodautoscalers':
        return defaultWorkloadObject(obj);
      case 'persistentvolumeclaims':
      case 'persistentvolumes':
      case 'storageclasses':
        return defaultStorageObject(obj);
      case 'endpointslices':
      case 'ingresses':
      case 'ingressclasses':
      case 'networkpolicies':
        return defaultNetworkObject(obj);
      default:
        return defaultPolicyObject(obj);
    }
  }

  /** Replaces an object. A client's update keeps the stored status; controllers pass `fromClient: false`. */
  updateObject<T extends KubeObject>(obj: T, opts: { fromClient: boolean; dryRun?: boolean }): T {
    const info = this.kindInfo(obj);
    const meta = obj.metadata;
    if (info.namespaced) meta.namespace ??= 'default';
    else delete meta.namespace;
    const old = this.store.get(info.resource, meta.namespace, meta.name);
    if (!old) throw notFound(info.resource, info.group, meta.name);
    if (opts.fromClient) decodeNulls(obj);
    const undecodable = decodeError(obj);
    if (undecodable) throw undecodable;
    if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion)
      throw conflict(
        info.resource,
        info.group,
        meta.name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    obj.apiVersion = info.apiVersion;
    keepServerMetadata(meta, old.metadata, opts.fromClient);
    if (opts.fromClient && STATUS_SUBRESOURCE.has(info.resource)) obj.status = clone(old.status);
    // A controller's status or metadata write shares the stored spec: nothing there to default or re-validate.
    const specShared = old.spec === obj.spec && obj.spec !== undefined;
    if (!specShared) this.applyDefaults(info.resource, obj);
    const metaShared = old.metadata.labels === meta.labels && old.metadata.annotations === meta.annotations;
    const causes = specShared
      ? metaShared
        ? []
        : validateMetadata(obj)
      : [...validateObject(obj), ...this.immutableFieldCauses(info.resource, old, obj)];
    if (causes.length) throw invalid(info.kind, info.group, meta.name, causes);
    const resize = specShared ? undefined : resizeRefusal(this.store, old, obj);
    if (resize) throw forbidden(info.resource, info.group, meta.name, resize);
    if (info.resource === 'services' && !opts.dryRun)
      this.allocateService(obj as unknown as Service, old as Service);
    if (WITH_GENERATION.has(info.resource)) {
      const generation = old.metadata.generation ?? 1;
      meta.generation = specShared || sameJson(old.spec, obj.spec) ? generation : generation + 1;
    }
    // A write that changes nothing is skipped, as the real API server's storage does: the object keeps its
    // resourceVersion and no watch event is sent (apply twice, label or scale to the same value).
    if (unchanged(old, obj)) return (opts.dryRun ? canonicalOrder(obj) : old) as T;
    if (opts.dryRun) {
      meta.resourceVersion = old.metadata.resourceVersion;
      return canonicalOrder(obj);
    }
    // Controllers write copies of stored objects, whose fields are already in order.
    // The last finalizer of an object marked for deletion is gone: the object goes with it.
    if (
      meta.deletionTimestamp &&
      !meta.finalizers?.length &&
      info.resource !== 'pods' &&
      info.resource !== 'namespaces'
    ) {
      this.store.remove(info.resource, meta.namespace, meta.name);
      return obj;
    }
    return this.store.put(info.resource, opts.fromClient ? canonicalOrder(obj) : obj) as T;
  }

  /**
   * The scheduler's binding (what pods/binding does): `pod` is the stored pod again, with spec.nodeName set and its
   * PodScheduled condition, and nothing else changed since it was defaulted and validated at creation, so neither
   * runs again (updateObject would default and validate the whole pod once more for every pod scheduled).
   */
  bindPod(pod: Pod): Pod {
    const meta = pod.metadata;
    const old = this.store.get<Pod>('pods', meta.namespace, meta.name);
    if (!old) throw notFound('pods', '', meta.name);
    if (meta.resourceVersion !== old.metadata.resourceVersion)
      throw conflict(
        'pods',
        '',
        meta.name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    if (old.spec.nodeName)
      throw conflict(
        'pods/binding',
        '',
        meta.name,
        `pod ${meta.name} is already assigned to node "${old.spec.nodeName}"`,
      );
    keepServerMetadata(meta, old.metadata, false);
    return this.store.put('pods', pod) as Pod;
  }

  private immutableFieldCauses(resource: ResourceName, old: KubeObject, next: KubeObject): StatusCause[] {
    if (resource === 'configmaps' || resource === 'secrets') return configUpdateCauses(old, next);
    if (STORAGE_KINDS.has(next.kind)) return storageUpdateCauses(old, next);
    if (['deployments', 'replicasets', 'daemonsets', 'statefulsets'].includes(resource)) {
      const before = (old as Deployment).spec.selector;
      const after = (next as Deployment).spec.selector;
      if (!sameJson(before, after))
        return [
          {
            field: 'spec.selector',
            message: `Invalid value: v1.LabelSelector{MatchLabels:map[string]string{${Object.entries(
              after?.matchLabels ?? {},
            )
              .map(([k, v]) => `"${k}":"${v}"`)
              .join(', ')}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`,
          },
        ];
    }
    if (resource === 'pods') {
      const a = { ...(old as Pod).spec, nodeName: undefined };
      const b = { ...(next as Pod).spec, nodeName: undefined };
      if (
        !sameJson(a, b) ||
        ((old as Pod).spec.nodeName && (old as Pod).spec.nodeName !== (next as Pod).spec.nodeName)
      )
        return [
          {
            field: 'spec',
            message:
              'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
          },
        ];
    }
    if (resource === 'services') {
      const before = (old as Service).spec.clusterIP;
      const after = (next as Service).spec.clusterIP;
      if (after !== undefined && after !== '' && before !== after)
        return [
          {
            field: 'spec.clusterIPs[0]',
            message: `Invalid value: []string{"${after}"}: may not change once set`,
          },
        ];
    }
    return immutablePolicyCauses(old, next);
  }

  /** ClusterIP and NodePort allocation for a created or updated Service (explicit values are checked). */
  private allocateService(svc: Service, old: Service | undefined): void {
    const spec = svc.spec;
    const random = this.hooks.random;
    const causes: StatusCause[] = [];
    const oldPorts = new Set(
      (old?.spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => p !== undefined),
    );
    const wantsNodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    const claimed: number[] = [];
    for (const [i, port] of (spec.ports ?? []).entries()) {
      if (!wantsNodePorts) {
        delete port.nodePort;
        continue;
      }
      if (port.nodePort === undefined || port.nodePort === 0) continue;
      if (oldPorts.has(port.nodePort) && !claimed.includes(port.nodePort)) {
        claimed.push(port.nodePort);
        continue;
      }
      if (!this.nodePorts.inRange(port.nodePort))
        causes.push(
          invalidValue(
            `spec.ports[${i}].nodePort`,
            port.nodePort,
            `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
          ),
        );
      else if (this.nodePorts.isAllocated(port.nodePort) || claimed.includes(port.nodePort))
        causes.push(
          invalidValue(`spec.ports[${i}].nodePort`, port.nodePort, 'provided port is already allocated'),
        );
      else claimed.push(port.nodePort);
    }
    let newIp: string | undefined;
    if (!old && spec.type !== 'ExternalName') {
      const ip = spec.clusterIP;
      if (ip === 'None') spec.clusterIPs = ['None'];
      else if (ip) {
        if (!this.clusterIps.inRange(ip))
          causes.push({
            field: 'spec.clusterIPs',
            message: `Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12`,
          });
        else if (this.clusterIps.isAllocated(ip))
          causes.push({
            field: 'spec.clusterIPs',
            message: `Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated`,
          });
        else newIp = ip;
      }
    }
    if (causes.length) throw invalid('Service', '', svc.metadata.name, causes);
    // Everything checked: commit the allocation.
    for (const p of claimed) if (!oldPorts.has(p)) this.nodePorts.reserve(p);
    if (wantsNodePorts)
      for (const port of spec.ports ?? []) {
        if (port.nodePort === undefined || port.nodePort === 0) {
          const allocated = this.nodePorts.allocate(random);
          if (allocated === undefined) throw badRequest('range is full');
          port.nodePort = allocated;
          claimed.push(allocated);
        }
      }
    for (const p of oldPorts) if (!claimed.includes(p)) this.nodePorts.release(p);
    if (!old && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
      const ip = newIp ?? this.clusterIps.allocate(random);
      if (!ip) throw badRequest('range is full');
      this.clusterIps.reserve(ip);
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    } else if (old) {
      spec.clusterIP = old.spec.clusterIP;
      spec.clusterIPs = old.spec.clusterIPs;
    }
  }

  /** Rebuilds the allocators' used sets from the stored Services (after bootstrap or restore). */
  reindexAllocations(): void {
    for (const svc of this.store.values<Service>('services')) {
      if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') this.clusterIps.reserve(svc.spec.clusterIP);
      for (const p of svc.spec.ports ?? []) if (p.nodePort) this.nodePorts.reserve(p.nodePort);
    }
  }

  deleteObject(
    resource: ResourceName,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): KubeObject {
    const info = this.info(resource);
    const obj = this.mustGet(resource, namespace, name);
    const ns = info.namespaced ? (namespace ?? 'default') : undefined;
    if (resource === 'namespaces') {
      if (PROTECTED_NAMESPACES.has(name))
        throw forbidden('namespaces', '', name, 'this namespace may not be deleted');
      if (obj.metadata.deletionTimestamp || opts.dryRun) return obj;
      const next = clone(obj) as Namespace;
      next.metadata.deletionTimestamp = rfc3339(this.hooks.now());
      next.metadata.deletionGracePeriodSeconds = 0;
      next.status = { phase: 'Terminating' };
      return this.store.put('namespaces', next);
    }
    if (opts.dryRun) return obj;
    if (resource === 'pods') return this.deletePod(obj as Pod, opts.gracePeriodSeconds);
    // An object with finalizers stays, marked for deletion, until their owners remove them (see updateObject).
    if (obj.metadata.finalizers?.length) {
      if (obj.metadata.deletionTimestamp) return obj;
      const next = clone(obj);
      next.metadata.deletionTimestamp = rfc3339(this.hooks.now());
      next.metadata.deletionGracePeriodSeconds = 0;
      return this.store.put(resource, next);
    }
    if (resource === 'services') this.releaseService(obj as Service);
    return this.store.remove(resource, ns, name)!;
  }

  private releaseService(svc: Service): void {
    if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') this.clusterIps.release(svc.spec.clusterIP);
    for (const p of svc.spec.ports ?? []) if (p.nodePort) this.nodePorts.release(p.nodePort);
  }

  /** Graceful pod deletion: the pod stays (Terminating) until the kubelet confirms, unless never scheduled. */
  private deletePod(pod: Pod, gracePeriodSeconds: number | undefined): KubeObject {
    const now = this.hooks.now();
    const grace = Math.max(0, gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30);
    if (
      !pod.spec.nodeName ||
      grace === 0 ||
      pod.status?.phase === 'Succeeded' ||
      pod.status?.phase === 'Failed'
    )
      return this.store.remove('pods', pod.metadata.namespace, pod.metadata.name)!;
    const current = pod.metadata.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : undefined;
    const deadline = now + grace * 1000;
    if (current !== undefined && current <= deadline) return pod;
    const next = clone(pod);
    next.metadata.deletionTimestamp = rfc3339(deadline);
    next.metadata.deletionGracePeriodSeconds = grace;
    return this.store.put('pods', next);
  }

  /** The kubelet's final word on a terminated pod: the object disappears. */
  removeObject(resource: ResourceName, namespace: string | undefined, name: string): void {
    const obj = this.store.get(resource, namespace, name);
    if (obj && resource === 'services') this.releaseService(obj as Service);
    this.store.remove(resource, namespace, name);
  }
}
