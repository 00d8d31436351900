/**
 * The DaemonSet controller: one pod per eligible node (nodeSelector), named `<ds>-<5>`, pinned to its node with a
 * required node affinity on `metadata.name` and the daemon tolerations; a changed template rolls node by node
 * (maxUnavailable 1 by default), old pod deleted and its replacement created at once. Status counts as
 * `kubectl get ds` shows them. History is kept in ControllerRevisions (history.ts).
 */
import { isStatusError } from '../api/status-error';
import type { Node, Pod, Toleration } from '../api/types';
import type { DaemonSet, DaemonSetStatus } from '../api/workload-types';
import { deepEqual, withStatus } from '../store/store';
import type { Controller, ControllerContext } from './context';
import { currentRevision, REVISION_HASH_LABEL, revisionHash, truncateHistory } from './history';
import { byCreation, isControlledBy, isPodReady, isTerminating, ownerReferenceTo } from './owners';

const COMPONENT = { component: 'daemonset-controller' };
export const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

/** util.AddOrUpdateDaemonPodTolerations. */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** The node a pod's required node affinity pins it to (`matchFields metadata.name In [node]`), if any. */
export function affinityNode(pod: Pod): string | undefined {
  const affinity = (pod.spec as { affinity?: { nodeAffinity?: Record<string, unknown> } }).affinity;
  const required = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution as
    | { nodeSelectorTerms?: { matchFields?: { key: string; operator: string; values?: string[] }[] }[] }
    | undefined;
  for (const term of required?.nodeSelectorTerms ?? [])
    for (const field of term.matchFields ?? [])
      if (field.key === 'metadata.name' && field.operator === 'In' && field.values?.length === 1)
        return field.values[0];
  return undefined;
}

function eligible(ds: DaemonSet, node: Node): boolean {
  for (const [k, v] of Object.entries(ds.spec.template?.spec?.nodeSelector ?? {}))
    if (node.metadata.labels?.[k] !== v) return false;
  return true;
}

export class DaemonSetController implements Controller {
  readonly watches = ['daemonsets', 'pods', 'nodes', 'controllerrevisions'] as const;

  /** What each DaemonSet was last synced against (its, its pods', the nodes' and revisions' versions). */
  private readonly seen = new Map<string, string>();
  /** The store revision at which each DaemonSet's signature was last computed. */
  private readonly seenAt = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {}

  /** At the boot image's fixpoint every DaemonSet's sync is a no-op: only its signature needs noting. */
  assumeSettled(): void {
    const { store } = this.ctx;
    for (const ds of store.values<DaemonSet>('daemonsets')) {
      if (isTerminating(ds)) continue;
      this.seen.set(ds.metadata.uid ?? '', this.signature(ds));
      this.seenAt.set(ds.metadata.uid ?? '', store.revision);
    }
  }

  reconcile(): void {
    const { store } = this.ctx;
    if (store.count('daemonsets') === 0) return;
    for (const ds of store.values<DaemonSet>('daemonsets').sort(byCreation)) {
      if (isTerminating(ds)) continue;
      // The signature is made of these resources only: when none moved, it is the one already seen.
      const uid = ds.metadata.uid ?? '';
      const at = this.seenAt.get(uid);
      this.seenAt.set(uid, store.revision);
      if (
        at !== undefined &&
        !store.changedSince(['daemonsets', 'nodes', 'controllerrevisions'], at) &&
        !store.changedInSince('pods', ds.metadata.namespace ?? 'default', at)
      )
        continue;
      // Most changes are to other namespaces' pods: a DaemonSet whose inputs did not change has nothing to do.
      const signature = this.signature(ds);
      if (this.seen.get(ds.metadata.uid ?? '') === signature) continue;
      this.seen.set(ds.metadata.uid ?? '', signature);
      try {
        this.sync(ds);
      } catch (error) {
        if (!isStatusError(error)) throw error;
      }
    }
  }

  private signature(ds: DaemonSet): string {
    const { store } = this.ctx;
    const ns = ds.metadata.namespace ?? 'default';
    let key = `${ds.metadata.resourceVersion}|${store.count('nodes')}|${store.count('controllerrevisions')}`;
    for (const n of store.values<Node>('nodes')) key += `|${n.metadata.resourceVersion}`;
    for (const p of store.valuesIn<Pod>('pods', ns))
      if (isControlledBy(p, ds)) key += `|${p.metadata.resourceVersion}`;
    for (const r of store.valuesIn('controllerrevisions', ns)) key += `|${r.metadata.resourceVersion}`;
    return key;
  }

  private sync(ds: DaemonSet): void {
    const ns = ds.metadata.namespace ?? 'default';
    const generation = ds.metadata.generation ?? 1;
    if (ds.metadata.annotations?.[TEMPLATE_GENERATION] !== String(generation)) {
      const annotations = { ...(ds.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(generation) };
      ds = this.ctx.server.updateObject(
        { ...ds, metadata: { ...ds.metadata, annotations } },
        { fromClient: false },
      );
    }
    const { revision, all } = currentRevision(this.ctx, ds);
    const hash = revisionHash(ds, revision);
    const nodes = this.ctx.store.values<Node>('nodes');
    const wanted = new Set(nodes.filter((n) => eligible(ds, n)).map((n) => n.metadata.name));
    const pods = this.ctx.store.valuesIn<Pod>('pods', ns).filter((p) => isControlledBy(p, ds));
    const nodeOf = (p: Pod) => p.spec.nodeName || affinityNode(p) || '';
    const live = pods.filter((p) => !isTerminating(p) && p.status?.phase !== 'Failed');
    const byNode = new Map<string, Pod[]>();
    for (const p of live) byNode.set(nodeOf(p), [...(byNode.get(nodeOf(p)) ?? []), p]);
    for (const pod of pods)
      if (!isTerminating(pod) && pod.status?.phase === 'Failed') this.deletePod(ds, pod);
    for (const [node, list] of byNode) {
      if (!wanted.has(node)) for (const pod of list) this.deletePod(ds, pod);
      else for (const extra of list.slice(1)) this.deletePod(ds, extra);
    }
    for (const node of [...wanted].sort()) if (!byNode.has(node)) this.createPod(ds, node, hash, generation);
    // Rolling update: replace outdated pods while no more than maxUnavailable are unavailable.
    if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const maxUnavailable = Math.max(1, Number(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable) || 1);
      const current = [...wanted].map((n) => byNode.get(n)?.[0]).filter((p): p is Pod => !!p);
      let unavailable = wanted.size - current.filter(isPodReady).length;
      const outdated = current
        .filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] !== hash)
        .sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)));
      for (const pod of outdated) {
        const counts = isPodReady(pod) ? 1 : 0;
        if (counts && unavailable >= maxUnavailable) break;
        this.deletePod(ds, pod);
        unavailable += counts;
      }
    }
    const inUse = new Set(
      pods.map((p) => `${ds.metadata.name}-${p.metadata.labels?.[REVISION_HASH_LABEL] ?? ''}`),
    );
    truncateHistory(this.ctx, ds, all, revision, inUse);
    this.writeStatus(ds, wanted, hash);
  }

  private writeStatus(ds: DaemonSet, wanted: Set<string>, hash: string): void {
    const ns = ds.metadata.namespace ?? 'default';
    const pods = this.ctx.store
      .valuesIn<Pod>('pods', ns)
      .filter((p) => isControlledBy(p, ds) && !isTerminating(p));
    const scheduled = pods.filter((p) => p.spec.nodeName);
    const onWanted = scheduled.filter((p) => wanted.has(p.spec.nodeName!));
    const ready = onWanted.filter(isPodReady);
    const status: DaemonSetStatus = {
      currentNumberScheduled: new Set(onWanted.map((p) => p.spec.nodeName)).size,
      numberMisscheduled: scheduled.length - onWanted.length,
      desiredNumberScheduled: wanted.size,
      numberReady: ready.length,
      observedGeneration: ds.metadata.generation ?? 1,
      updatedNumberScheduled: onWanted.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash)
        .length,
      numberAvailable: ready.length,
      numberUnavailable: wanted.size - ready.length,
    };
    for (const key of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const)
      if (status[key] === 0) delete status[key];
    const latest = this.ctx.store.get<DaemonSet>('daemonsets', ns, ds.metadata.name);
    if (!latest || deepEqual(latest.status ?? {}, status)) return;
    this.ctx.server.updateObject(withStatus(latest, status), { fromClient: false });
  }

  private createPod(ds: DaemonSet, node: string, hash: string, generation: number): void {
    const template = ds.spec.template;
    const spec = { ...template.spec };
    const tolerations = [...(spec.tolerations ?? [])];
    for (const t of DAEMON_TOLERATIONS)
      if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push(t);
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace,
        labels: {
          ...(template.metadata?.labels ?? {}),
          [REVISION_HASH_LABEL]: hash,
          'pod-template-generation': String(generation),
        },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [ownerReferenceTo(ds)],
      },
      spec: {
        ...spec,
        tolerations,
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] },
              ],
            },
          },
        },
      } as Pod['spec'],
    };
    try {
      const created = this.ctx.server.createObject(pod);
      this.ctx.events.record(
        ds,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${created.metadata.name}`,
        COMPONENT,
      );
    } catch (error) {
      if (!isStatusError(error)) throw error;
      this.ctx.events.record(ds, 'Warning', 'FailedCreate', `Error creating: ${error.message}`, COMPONENT);
    }
  }

  private deletePod(ds: DaemonSet, pod: Pod): void {
    this.ctx.server.deleteObject('pods', pod.metadata.namespace, pod.metadata.name);
    this.ctx.events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
  }
}

/** Whether a node can run this pod given its required node affinity (scheduler hook). */
export function fitsNodeAffinity(pod: Pod, node: Node): boolean {
  const pinned = affinityNode(pod);
  return pinned === undefined || pinned === node.metadata.name;
}
