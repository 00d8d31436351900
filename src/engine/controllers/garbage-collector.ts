/**
 * Garbage collection through owner references (background cascade): an object whose owners are all gone is
 * deleted (pods then terminate gracefully). Also the pod GC (pods bound to a node that no longer exists).
 * Namespaces are emptied by the namespace controller (namespace.ts).
 */
import { RESOURCES, type ResourceName } from '../api/resources';
import type { Node, Pod } from '../api/types';
import { withStatus } from '../store/store';
import { WAKE, type Controller, type ControllerContext } from './context';
import { disruptedStatus } from './disruption';

/** Kinds the engine stores; owners of other kinds (DaemonSet for kube-proxy) are never considered missing. */
const MODELLED_KINDS = new Set(RESOURCES.map((r) => r.kind));
const DEPENDENT_RESOURCES: ResourceName[] = [
  'replicasets',
  'controllerrevisions',
  'jobs',
  'pods',
  'persistentvolumeclaims',
];

/** podgc's quarantineTime. */
const ORPHAN_QUARANTINE_MS = 40_000;

export class GarbageCollector implements Controller {
  readonly watches = [
    'deployments',
    'replicasets',
    'daemonsets',
    'statefulsets',
    'controllerrevisions',
    'cronjobs',
    'jobs',
    'pods',
    'nodes',
  ] as const;

  constructor(private readonly ctx: ControllerContext) {}

  private checkedAt = -1;

  assumeSettled(): void {
    this.checkedAt = this.ctx.store.revision;
  }

  /** Node name → when the pod GC first found pods bound to it while it did not exist (its quarantine start). */
  private readonly missingSince = new Map<string, number>();

  reconcile(forced = false): void {
    const { store } = this.ctx;
    // Orphans and pods on vanished nodes only appear when something is removed (or, once, after a restore).
    if (this.checkedAt < 0 || store.removedSince(this.checkedAt)) {
      this.checkedAt = store.revision;
      this.collectOrphans();
      this.collectPodsOnMissingNodes();
    } else if (forced && this.missingSince.size > 0) this.collectPodsOnMissingNodes();
  }

  private collectOrphans(): void {
    const { store, server } = this.ctx;
    const uids = new Set<string>();
    for (const resource of store.resources())
      for (const obj of store.values(resource)) if (obj.metadata.uid) uids.add(obj.metadata.uid);
    for (const resource of DEPENDENT_RESOURCES) {
      for (const obj of store.values(resource)) {
        const refs = obj.metadata.ownerReferences;
        if (!refs?.length || obj.metadata.deletionTimestamp) continue;
        const ownerAlive = refs.some((r) => !MODELLED_KINDS.has(r.kind) || uids.has(r.uid));
        if (!ownerAlive) server.deleteObject(resource, obj.metadata.namespace, obj.metadata.name);
      }
    }
  }

  /**
   * podgc's gcOrphaned: a node must stay missing for the 40 s quarantine (a node object can be deleted and come back
   * as its kubelet re-registers) before the pods bound to it go.
   */
  private collectPodsOnMissingNodes(): void {
    const { store, server } = this.ctx;
    const now = this.ctx.now();
    const nodes = new Set(store.values<Node>('nodes').map((n) => n.metadata.name));
    const stillMissing = new Set<string>();
    for (const pod of store.values<Pod>('pods')) {
      const node = pod.spec.nodeName;
      if (!node || nodes.has(node)) continue;
      stillMissing.add(node);
      let since = this.missingSince.get(node);
      if (since === undefined) {
        since = now;
        this.missingSince.set(node, since);
        this.ctx.timers.replace(since + ORPHAN_QUARANTINE_MS, WAKE, `podgc/${node}`);
      }
      if (now - since < ORPHAN_QUARANTINE_MS) continue;
      // PodGC marks the orphan Failed with DisruptionTarget, then force-deletes it.
      const status = disruptedStatus(pod, 'DeletionByPodGC', 'PodGC: node no longer exists', this.ctx.now());
      if (status) server.updateObject(withStatus(pod, status), { fromClient: false });
      server.removeObject('pods', pod.metadata.namespace, pod.metadata.name);
    }
    for (const node of this.missingSince.keys())
      if (!stillMissing.has(node) || now - this.missingSince.get(node)! >= ORPHAN_QUARANTINE_MS) {
        this.missingSince.delete(node);
        this.ctx.timers.cancel(WAKE, `podgc/${node}`);
      }
  }
}
