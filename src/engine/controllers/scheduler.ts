/**
 * default-scheduler: binds each pending pod to a Ready, schedulable node whose labels satisfy its nodeSelector
 * (and whose taints it tolerates), preferring the node with the fewest pods. A pod that fits nowhere stays
 * Pending with PodScheduled=False and a FailedScheduling event with the real 1.30 text; it is retried whenever
 * the nodes change.
 */
import { fitsNodeAffinity } from './daemonset';
import { rfc3339 } from '../api/time';
import { parseQuantity } from '../api/quantity';
import type { Container, Node, Pod, PodCondition, Taint, Toleration } from '../api/types';
import { tolerated } from './taints';
import type { PersistentVolumeClaim, StorageClass } from '../api/storage-types';
import { deepEqual, withStatus, type ObjectStore } from '../store/store';
import type { Controller, ControllerContext } from './context';

const COMPONENT = { component: 'default-scheduler' };

function tolerates(
  tolerations: Toleration[] | undefined,
  key: string,
  effect: string,
  value?: string,
): boolean {
  return tolerated(tolerations, { key, value, effect: effect as Taint['effect'] });
}

/** TaintToleration scoring: a node whose PreferNoSchedule taints the pod does not tolerate ranks below the rest. */
function avoids(pod: Pod, node: Node): boolean {
  return (node.spec.taints ?? []).some(
    (t) => t.effect === 'PreferNoSchedule' && !tolerates(pod.spec.tolerations, t.key, t.effect, t.value),
  );
}

type Verdict = 'fits' | 'selector' | 'unschedulable' | 'taint' | 'notready' | 'resources';

/** What each node has left: allocatable minus the requests of the pods bound to it (NodeResourcesFit). */
export type NodeUsage = Map<string, { cpu: bigint; memory: bigint; pods: number }>;

/** A pod's effective request in thousandths: the larger of its containers' sum and any init container's. */
export function podRequests(pod: Pod): { cpu: bigint; memory: bigint } {
  // The scheduler sums every bound pod's requests on each decision; a pod's containers never change, so its spec
  // (shared by all versions of the pod that only changed status) keys the sum.
  let requests = requestsBySpec.get(pod.spec);
  if (!requests) requestsBySpec.set(pod.spec, (requests = sumRequests(pod)));
  return requests;
}

const requestsBySpec = new WeakMap<Pod['spec'], Readonly<{ cpu: bigint; memory: bigint }>>();

function sumRequests(pod: Pod): { cpu: bigint; memory: bigint } {
  const of = (c: Container, r: 'cpu' | 'memory') =>
    parseQuantity(c.resources?.requests?.[r] ?? '0')?.milli ?? 0n;
  const out = { cpu: 0n, memory: 0n };
  for (const r of ['cpu', 'memory'] as const) {
    let sum = 0n;
    for (const c of pod.spec.containers) sum += of(c, r);
    for (const c of pod.spec.initContainers ?? []) if (of(c, r) > sum) sum = of(c, r);
    out[r] = sum;
  }
  return out;
}

export function nodeUsage(pods: Pod[]): NodeUsage {
  const usage: NodeUsage = new Map();
  for (const p of pods) {
    if (!p.spec.nodeName || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const u = usage.get(p.spec.nodeName) ?? { cpu: 0n, memory: 0n, pods: 0 };
    const r = podRequests(p);
    u.cpu += r.cpu;
    u.memory += r.memory;
    u.pods++;
    usage.set(p.spec.nodeName, u);
  }
  return usage;
}

/** The resources the node lacks for the pod, in the scheduler's order (`Too many pods`, cpu, memory). */
function insufficient(pod: Pod, node: Node, usage: NodeUsage | undefined): string[] {
  if (!usage) return [];
  const used = usage.get(node.metadata.name) ?? { cpu: 0n, memory: 0n, pods: 0 };
  const want = podRequests(pod);
  const alloc = (r: string) => parseQuantity(node.status.allocatable[r] ?? '0')?.milli ?? 0n;
  const out: string[] = [];
  if (used.pods + 1 > Number(alloc('pods') / 1000n)) out.push('Too many pods');
  if (want.cpu > 0n && used.cpu + want.cpu > alloc('cpu')) out.push('Insufficient cpu');
  if (want.memory > 0n && used.memory + want.memory > alloc('memory')) out.push('Insufficient memory');
  return out;
}

/**
 * The first Filter plugin that rejects the node, in the default profile's order: NodeUnschedulable, TaintToleration
 * (a node that is not Ready carries the not-ready taint), NodeAffinity (nodeSelector too), NodeResourcesFit.
 */
function judge(pod: Pod, node: Node, usage?: NodeUsage): Verdict {
  if (
    node.spec.unschedulable &&
    !tolerates(pod.spec.tolerations, 'node.kubernetes.io/unschedulable', 'NoSchedule')
  )
    return 'unschedulable';
  const ready = node.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
  if (!ready) return 'notready';
  for (const taint of node.spec.taints ?? []) {
    if (
      taint.effect !== 'PreferNoSchedule' &&
      !tolerates(pod.spec.tolerations, taint.key, taint.effect, taint.value)
    )
      return 'taint';
  }
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {}))
    if (node.metadata.labels?.[k] !== v) return 'selector';
  if (!fitsNodeAffinity(pod, node)) return 'selector';
  if (insufficient(pod, node, usage).length > 0) return 'resources';
  return 'fits';
}

/** The FailedScheduling message: `0/N nodes are available: <reasons>. preemption: ...` (reference §5.4). */
function failureMessage(pod: Pod, nodes: Node[], usage?: NodeUsage): string {
  const counts = new Map<string, number>();
  const preemption = new Map<string, number>();
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const node of nodes) {
    const verdict = judge(pod, node, usage);
    if (verdict === 'resources') {
      for (const reason of insufficient(pod, node, usage)) count(counts, reason);
      count(preemption, 'No preemption victims found for incoming pod');
      continue;
    }
    count(preemption, 'Preemption is not helpful for scheduling');
    let reason: string;
    if (verdict === 'selector') reason = "node(s) didn't match Pod's node affinity/selector";
    else if (verdict === 'unschedulable') reason = 'node(s) were unschedulable';
    else if (verdict === 'notready')
      reason = 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';
    else {
      const taint = (node.spec.taints ?? []).find(
        (t) => t.effect !== 'PreferNoSchedule' && !tolerates(pod.spec.tolerations, t.key, t.effect, t.value),
      );
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
  const preempt = [...preemption.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([reason, c]) => `${c} ${reason}`)
    .join(', ');
  return `0/${n} nodes are available: ${reasons}. preemption: 0/${n} nodes are available: ${preempt}.`;
}

/**
 * The VolumeBinding plugin's PreFilter verdict on the pod's claims (unresolvable whatever the node): a missing
 * or deleted claim, or one not bound yet. Undefined when every claim is bound.
 */
function claimProblem(store: ObjectStore, pod: Pod): string | undefined {
  let unbound = false;
  let delayed = false;
  for (const volume of pod.spec.volumes ?? []) {
    const name = volume.persistentVolumeClaim?.claimName;
    if (name === undefined) continue;
    const pvc = store.get<PersistentVolumeClaim>('persistentvolumeclaims', pod.metadata.namespace, name);
    if (!pvc) return `persistentvolumeclaim "${name}" not found`;
    if (pvc.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (pvc.spec.volumeName) continue;
    const sc = store.get<StorageClass>('storageclasses', undefined, pvc.spec.storageClassName ?? '');
    if (sc?.volumeBindingMode === 'WaitForFirstConsumer') delayed = true;
    else unbound = true;
  }
  if (unbound) return 'pod has unbound immediate PersistentVolumeClaims';
  // A claim that waits for its first consumer is provisioned now; the pod waits in PreBind (no failure).
  return delayed ? WAITING_FOR_CLAIMS : undefined;
}

const WAITING_FOR_CLAIMS = 'waiting';

/** The claims' state a pending pod's retry depends on. */
function claimState(store: ObjectStore, pod: Pod): string {
  return (pod.spec.volumes ?? [])
    .filter((v) => v.persistentVolumeClaim)
    .map((v) => {
      const pvc = store.get(
        'persistentvolumeclaims',
        pod.metadata.namespace,
        v.persistentVolumeClaim!.claimName,
      );
      return pvc?.metadata.resourceVersion ?? '-';
    })
    .join(',');
}

export class Scheduler implements Controller {
  readonly watches = ['pods', 'nodes', 'persistentvolumeclaims'] as const;

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
    const usage = nodeUsage(this.ctx.store.values<Pod>('pods'));
    for (const pod of pending.sort((a, b) =>
      a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 1,
    )) {
      const claims = claimProblem(this.ctx.store, pod);
      if (claims === WAITING_FOR_CLAIMS) continue;
      if (claims !== undefined) {
        const n = nodes.length;
        const message = `0/${n} nodes are available: ${claims}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
        this.markUnschedulable(pod, message, `claims:${claimState(this.ctx.store, pod)}`);
        continue;
      }
      const fitting = nodes.filter((n) => judge(pod, n, usage) === 'fits');
      if (fitting.length > 0) {
        const preferred = fitting.filter((n) => !avoids(pod, n));
        const node = this.pick(preferred.length > 0 ? preferred : fitting);
        this.bind(pod, node);
        const u = usage.get(node.metadata.name) ?? { cpu: 0n, memory: 0n, pods: 0 };
        const r = podRequests(pod);
        usage.set(node.metadata.name, { cpu: u.cpu + r.cpu, memory: u.memory + r.memory, pods: u.pods + 1 });
      } else {
        // Retried when the nodes change or room is freed on them (the scheduler's requeue on node/pod events).
        const nodeState = nodes
          .map((n) => {
            const u = usage.get(n.metadata.name);
            return `${n.metadata.name}@${n.metadata.resourceVersion}/${u?.cpu ?? 0}/${u?.memory ?? 0}/${u?.pods ?? 0}`;
          })
          .join(',');
        this.markUnschedulable(pod, failureMessage(pod, nodes, usage), nodeState);
      }
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
    const bound = this.ctx.server.bindPod(next);
    this.ctx.events.record(
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`,
      COMPONENT,
    );
  }

  /** Records the failure once per change of the node set (the real scheduler retries when nodes change). */
  private markUnschedulable(pod: Pod, message: string, nodeState: string): void {
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
