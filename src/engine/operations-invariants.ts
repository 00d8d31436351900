/**
 * Invariants of cluster operations (issue 17), kept between checks by InvariantChecker:
 * - a cordoned node gets no new pods (only pods that tolerate `node.kubernetes.io/unschedulable`, as
 *   DaemonSet pods do, may be bound to it after it was seen cordoned);
 * - evictions respect budgets: a ready pod evicted since the last check left its budget's desired count of
 *   ready pods;
 * - a quota's usage never grows past its hard limit (it may start above it: a quota created over existing objects).
 */
import type { PodDisruptionBudget, ResourceQuota } from './api/policy-types';
import { parseQuantity } from './api/quantity';
import type { Node, Pod } from './api/types';
import type { Cluster } from './cluster';
import { isPodReady } from './controllers/owners';
import { tolerated } from './controllers/taints';
import { computeUsed } from './server/quota';
import { matchesLabelSelector } from './server/selectors';

const UNSCHEDULABLE = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const };

export class OperationsInvariants {
  /** Cordoned node → the pods bound to it when it was first seen cordoned. */
  private readonly cordoned = new Map<string, Set<string>>();
  /** Quota uid → the usage seen at the last check. */
  private readonly quotaUsage = new Map<string, Record<string, string>>();
  private ready = new Set<string>();

  constructor(private readonly cluster: Cluster) {}

  check(): string[] {
    const store = this.cluster.store;
    const pods = store.values<Pod>('pods');
    return [
      ...this.cordonViolations(store.values<Node>('nodes'), pods),
      ...budgetViolations(store.values<PodDisruptionBudget>('poddisruptionbudgets'), pods, this.ready),
      ...this.quotaViolations(store.values<ResourceQuota>('resourcequotas')),
    ].concat(this.remember(pods));
  }

  /** The pods ready and not terminating now, for the next check's budget invariant. */
  private remember(pods: Pod[]): string[] {
    this.ready = new Set(
      pods.filter((p) => !p.metadata.deletionTimestamp && isPodReady(p)).map((p) => p.metadata.uid!),
    );
    return [];
  }

  private cordonViolations(nodes: Node[], pods: Pod[]): string[] {
    const violations: string[] = [];
    for (const node of nodes) {
      const name = node.metadata.name;
      if (!node.spec.unschedulable) {
        this.cordoned.delete(name);
        continue;
      }
      const bound = pods.filter((p) => p.spec.nodeName === name);
      const before = this.cordoned.get(name);
      if (!before) {
        this.cordoned.set(name, new Set(bound.map((p) => p.metadata.uid!)));
        continue;
      }
      for (const pod of bound)
        if (!before.has(pod.metadata.uid!) && !tolerated(pod.spec.tolerations, UNSCHEDULABLE))
          violations.push(
            `pod ${pod.metadata.namespace}/${pod.metadata.name} was bound to cordoned node ${name}`,
          );
    }
    return violations;
  }

  private quotaViolations(quotas: ResourceQuota[]): string[] {
    const violations: string[] = [];
    const seen = new Set<string>();
    for (const quota of quotas) {
      const uid = quota.metadata.uid!;
      seen.add(uid);
      const used = computeUsed(this.cluster.store, quota);
      const last = this.quotaUsage.get(uid);
      this.quotaUsage.set(uid, used);
      if (!last) continue;
      for (const [resource, hardText] of Object.entries(quota.spec?.hard ?? {})) {
        const now = milli(used[resource]);
        if (now > milli(String(hardText)) && now > milli(last[resource]))
          violations.push(
            `quota ${quota.metadata.namespace}/${quota.metadata.name}: ${resource} grew to ${used[resource]} past hard ${hardText}`,
          );
      }
    }
    for (const uid of [...this.quotaUsage.keys()]) if (!seen.has(uid)) this.quotaUsage.delete(uid);
    return violations;
  }
}

function milli(text: string | undefined): bigint {
  return parseQuantity(text ?? '0')?.milli ?? 0n;
}

/**
 * A pod that was ready at the last check and is now terminating through the Eviction API took its budget's
 * allowance: the budget's ready pods left must still meet its desired count.
 */
function budgetViolations(budgets: PodDisruptionBudget[], pods: Pod[], wasReady: Set<string>): string[] {
  const violations: string[] = [];
  for (const pdb of budgets) {
    const selector = pdb.spec?.selector;
    const desired = pdb.status?.desiredHealthy ?? 0;
    if (!selector || desired === 0) continue;
    const covered = pods.filter(
      (p) =>
        p.metadata.namespace === pdb.metadata.namespace && matchesLabelSelector(selector, p.metadata.labels),
    );
    const evicted = covered.filter(
      (p) =>
        wasReady.has(p.metadata.uid!) &&
        p.metadata.deletionTimestamp &&
        p.status?.conditions?.some(
          (c) => c.type === 'DisruptionTarget' && c.reason === 'EvictionByEvictionAPI',
        ),
    );
    if (evicted.length === 0) continue;
    const healthy = covered.filter((p) => !p.metadata.deletionTimestamp && isPodReady(p)).length;
    if (healthy < desired)
      violations.push(
        `budget ${pdb.metadata.namespace}/${pdb.metadata.name}: ${evicted.map((p) => p.metadata.name)} evicted leaving ${healthy} healthy of ${desired} desired`,
      );
  }
  return violations;
}
