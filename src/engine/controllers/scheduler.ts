/**
 * default-scheduler: binds each pending pod to a Ready, schedulable node whose labels satisfy its nodeSelector
 * (and whose taints it tolerates), preferring the node with the fewest pods. A pod that fits nowhere stays
 * Pending with PodScheduled=False and a FailedScheduling event with the real 1.30 text; it is retried whenever
 * the nodes change.
 */
import { fitsNodeAffinity } from './daemonset';
import { rfc3339 } from '../api/time';
import type { Node, Pod, PodCondition, Toleration } from '../api/types';
import { deepEqual, withStatus } from '../store/store';
import type { Controller, ControllerContext } from './context';

const COMPONENT = { component: 'default-scheduler' };

function tolerates(tolerations: Toleration[] | undefined, key: string, effect: string): boolean {
  return (tolerations ?? []).some(
    (t) =>
      (t.key === undefined || t.key === '' ? t.operator === 'Exists' : t.key === key) &&
      (!t.effect || t.effect === effect),
  );
}

type Verdict = 'fits' | 'selector' | 'unschedulable' | 'taint' | 'notready';

function judge(pod: Pod, node: Node): Verdict {
  const ready = node.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
  if (!ready) return 'notready';
  if (
    node.spec.unschedulable &&
    !tolerates(pod.spec.tolerations, 'node.kubernetes.io/unschedulable', 'NoSchedule')
  )
    return 'unschedulable';
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {}))
    if (node.metadata.labels?.[k] !== v) return 'selector';
  if (!fitsNodeAffinity(pod, node)) return 'selector';
  for (const taint of node.spec.taints ?? []) {
    if (taint.effect !== 'PreferNoSchedule' && !tolerates(pod.spec.tolerations, taint.key, taint.effect))
      return 'taint';
  }
  return 'fits';
}

/** The FailedScheduling message: `0/N nodes are available: <reasons>. preemption: ...` (reference §5.4). */
function failureMessage(pod: Pod, nodes: Node[]): string {
  const counts = new Map<string, number>();
  for (const node of nodes) {
    const verdict = judge(pod, node);
    let reason: string;
    if (verdict === 'selector') reason = "node(s) didn't match Pod's node affinity/selector";
    else if (verdict === 'unschedulable') reason = 'node(s) were unschedulable';
    else if (verdict === 'notready')
      reason = 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';
    else {
      const taint = (node.spec.taints ?? []).find((t) => !tolerates(pod.spec.tolerations, t.key, t.effect));
      reason = `node(s) had untolerated taint {${taint?.key}: ${taint?.value ?? ''}}`;
    }
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const n = nodes.length;
  const parts = [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([reason, count]) => `${count} ${reason}`);
  const reasons = n === 0 ? 'no nodes available to schedule pods' : `${parts.join(', ')}`;
  if (n === 0) return `${reasons}.`;
  return `0/${n} nodes are available: ${reasons}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
}

export class Scheduler implements Controller {
  readonly watches = ['pods', 'nodes'] as const;

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    const pending = this.ctx.store
      .values<Pod>('pods')
      .filter(
        (p) =>
          !p.spec.nodeName &&
          !p.metadata.deletionTimestamp &&
          (p.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler',
      );
    if (pending.length === 0) return;
    const nodes = this.ctx.store.list<Node>('nodes');
    const nodeState = nodes.map((n) => `${n.metadata.name}@${n.metadata.resourceVersion}`).join(',');
    for (const pod of pending.sort((a, b) =>
      a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 1,
    )) {
      const fitting = nodes.filter((n) => judge(pod, n) === 'fits');
      if (fitting.length > 0) this.bind(pod, this.pick(fitting));
      else this.markUnschedulable(pod, nodes, nodeState);
    }
  }

  /** Least-loaded node (the spreading score), ties broken at random. */
  private pick(nodes: Node[]): Node {
    const load = new Map<string, number>();
    for (const p of this.ctx.store.values<Pod>('pods'))
      if (p.spec.nodeName) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
    const min = Math.min(...nodes.map((n) => load.get(n.metadata.name) ?? 0));
    const best = nodes.filter((n) => (load.get(n.metadata.name) ?? 0) === min);
    return best.length === 1 ? best[0] : best[this.ctx.random.int(0, best.length - 1)];
  }

  private bind(pod: Pod, node: Node): void {
    const now = rfc3339(this.ctx.now());
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
    const next: Pod = {
      ...pod,
      metadata: { ...pod.metadata },
      spec: { ...pod.spec, nodeName: node.metadata.name },
      status: { ...(pod.status ?? { phase: 'Pending' }), conditions },
    };
    const bound = this.ctx.server.updateObject(next, { fromClient: false });
    this.ctx.events.record(
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`,
      COMPONENT,
    );
  }

  /** Records the failure once per change of the node set (the real scheduler retries when nodes change). */
  private markUnschedulable(pod: Pod, nodes: Node[], nodeState: string): void {
    const message = failureMessage(pod, nodes);
    const existing = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (this.lastState.get(pod.metadata.uid!) === nodeState) return;
    this.lastState.set(pod.metadata.uid!, nodeState);
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime:
        existing?.status === 'False' ? existing.lastTransitionTime : rfc3339(this.ctx.now()),
      reason: 'Unschedulable',
      message,
    };
    const next = withStatus(pod, { ...(pod.status ?? { phase: 'Pending' }), conditions: [condition] });
    if (!deepEqual(next.status, pod.status)) this.ctx.server.updateObject(next, { fromClient: false });
    this.ctx.events.record(pod, 'Warning', 'FailedScheduling', message, COMPONENT);
  }

  /** Per pod uid: the node set it last failed against, so a retry happens only when nodes change. */
  private lastState = new Map<string, string>();

  /** Forgets pods that are gone; the rest is snapshot state. */
  state(): [string, string][] {
    const live = new Set(this.ctx.store.values<Pod>('pods').map((p) => p.metadata.uid));
    for (const uid of [...this.lastState.keys()]) if (!live.has(uid)) this.lastState.delete(uid);
    return [...this.lastState.entries()];
  }

  load(entries: [string, string][]): void {
    this.lastState = new Map(entries);
  }
}
