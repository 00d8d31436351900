/**
 * Taints and tolerations (core/v1 helpers ToleratesTaint) and the taint-eviction-controller of
 * kube-controller-manager (pkg/controller/tainteviction): a pod bound to a node with a NoExecute taint it does not
 * tolerate is deleted at once; one that tolerates every such taint, some for a limited `tolerationSeconds`, is
 * deleted when the shortest of those runs out, counted from when the controller saw the taint. Removing the taint
 * (or the pod leaving) cancels a pending deletion. Each deletion marks the pod with the DisruptionTarget condition
 * and records `TaintManagerEviction` events, as the real controller does.
 */
import { rfc3339 } from '../api/time';
import type { Node, Pod, PodCondition, Taint, Toleration } from '../api/types';
import { withStatus } from '../store/store';
import { WAKE, type Controller, type ControllerContext } from './context';

const COMPONENT = { component: 'taint-eviction-controller' };

/** v1.Toleration.ToleratesTaint: effect (empty = all), key (empty with Exists = all), then value unless Exists. */
export function toleratesTaint(
  toleration: Toleration,
  taint: Pick<Taint, 'key' | 'value' | 'effect'>,
): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  // Equal (the default): an empty key only goes with Exists.
  return !!toleration.key && (toleration.value ?? '') === (taint.value ?? '');
}

export function tolerated(
  tolerations: Toleration[] | undefined,
  taint: Pick<Taint, 'key' | 'value' | 'effect'>,
): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/**
 * How long a pod may stay on a node with these NoExecute taints: 0 (evict now), a number of ms, or undefined
 * (forever: every taint is tolerated without a time limit). getMinTolerationTime over the tolerations used.
 */
export function noExecuteGraceMs(pod: Pod, taints: Taint[]): number | undefined {
  let min: number | undefined;
  for (const taint of taints) {
    const used = (pod.spec.tolerations ?? []).filter((t) => toleratesTaint(t, taint));
    if (used.length === 0) return 0;
    for (const t of used) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      const ms = Math.max(0, t.tolerationSeconds) * 1000;
      min = min === undefined ? ms : Math.min(min, ms);
    }
  }
  return min;
}

export class TaintEvictionController implements Controller {
  readonly watches = ['pods', 'nodes'] as const;
  /** Pod uid → when its deletion is due (scheduled evictions, as the controller's timed work queue). */
  private readonly due = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    const { store } = this.ctx;
    const noExecute = new Map<string, Taint[]>();
    for (const node of store.values<Node>('nodes')) {
      const taints = (node.spec.taints ?? []).filter((t) => t.effect === 'NoExecute');
      if (taints.length > 0) noExecute.set(node.metadata.name, taints);
    }
    if (noExecute.size === 0 && this.due.size === 0) return;
    const seen = new Set<string>();
    for (const pod of store.values<Pod>('pods')) {
      const taints = pod.spec.nodeName ? noExecute.get(pod.spec.nodeName) : undefined;
      if (!taints || pod.metadata.deletionTimestamp) continue;
      const uid = pod.metadata.uid!;
      const grace = noExecuteGraceMs(pod, taints);
      if (grace === undefined) continue;
      seen.add(uid);
      const now = this.ctx.now();
      const at = this.due.get(uid) ?? now + grace;
      this.due.set(uid, Math.min(at, now + grace));
      if (this.due.get(uid)! <= now) {
        this.due.delete(uid);
        this.evict(pod);
      } else this.ctx.timers.replace(this.due.get(uid)!, WAKE, `taint-eviction/${uid}`);
    }
    for (const uid of [...this.due.keys()]) {
      if (seen.has(uid)) continue;
      this.due.delete(uid);
      this.ctx.timers.cancel(WAKE, `taint-eviction/${uid}`);
      const pod = store.values<Pod>('pods').find((p) => p.metadata.uid === uid);
      if (pod && !pod.metadata.deletionTimestamp)
        this.ctx.events.record(
          pod,
          'Normal',
          'TaintManagerEviction',
          `Cancelling deletion of Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
          COMPONENT,
        );
    }
  }

  private evict(pod: Pod): void {
    const { server, events } = this.ctx;
    const ns = pod.metadata.namespace ?? 'default';
    events.record(
      pod,
      'Normal',
      'TaintManagerEviction',
      `Marking for deletion Pod ${ns}/${pod.metadata.name}`,
      COMPONENT,
    );
    const condition: PodCondition = {
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: rfc3339(this.ctx.now()),
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
    };
    const others = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    const marked = server.updateObject(
      withStatus(pod, { ...(pod.status ?? {}), conditions: [...others, condition] }),
      { fromClient: false },
    );
    server.deleteObject('pods', ns, marked.metadata.name);
  }
}
