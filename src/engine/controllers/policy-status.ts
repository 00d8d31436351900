/**
 * Two status controllers of kube-controller-manager:
 * - the resourcequota controller keeps every quota's `status.hard` (its spec, canonical) and `status.used`
 *   (summed from the namespace's objects, server/quota.ts);
 * - the disruption controller keeps every PodDisruptionBudget's expected/desired/current healthy pods and the
 *   disruptions it allows, with its `DisruptionAllowed` condition.
 */
import type { PodDisruptionBudget, ResourceQuota } from '../api/policy-types';
import { RESOURCES, type ResourceName } from '../api/resources';
import { rfc3339 } from '../api/time';
import type { Deployment, Pod, ReplicaSet } from '../api/types';
import { computeUsed } from '../server/quota';
import { matchesLabelSelector } from '../server/selectors';
import { deepEqual, withStatus } from '../store/store';
import type { Controller, ControllerContext } from './context';
import { controllerRef, isPodReady } from './owners';

export class ResourceQuotaController implements Controller {
  readonly watches: readonly ResourceName[] = RESOURCES.map((r) => r.resource).filter((r) => r !== 'events');

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    const { store, server } = this.ctx;
    if (store.count('resourcequotas') === 0) return;
    for (const quota of store.values<ResourceQuota>('resourcequotas')) {
      const hard = { ...(quota.spec?.hard ?? {}) };
      const status = { hard, used: computeUsed(store, quota) };
      if (deepEqual(quota.status, status)) continue;
      server.updateObject(withStatus(quota, status), { fromClient: false });
    }
  }
}

/** IntOrString against a total: integers as they are, percentages rounded up (intstr.GetScaledValueFromIntOrPercent). */
function scaled(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const pct = Number(String(value).replace('%', ''));
  return Math.ceil((pct * total) / 100);
}

export class DisruptionController implements Controller {
  readonly watches: readonly ResourceName[] = ['pods', 'poddisruptionbudgets', 'deployments', 'replicasets'];

  constructor(private readonly ctx: ControllerContext) {}

  reconcile(): void {
    const { store } = this.ctx;
    if (store.count('poddisruptionbudgets') === 0) return;
    for (const pdb of store.values<PodDisruptionBudget>('poddisruptionbudgets')) this.sync(pdb);
  }

  private sync(pdb: PodDisruptionBudget): void {
    const { store, server } = this.ctx;
    const namespace = pdb.metadata.namespace ?? 'default';
    const selector = pdb.spec?.selector;
    const pods = selector
      ? store
          .valuesIn<Pod>('pods', namespace)
          .filter((p) => matchesLabelSelector(selector, p.metadata.labels))
      : [];
    const { minAvailable, maxUnavailable } = pdb.spec ?? {};
    let expected = pods.length;
    let desired = 0;
    let failure: string | undefined;
    if (maxUnavailable !== undefined || (typeof minAvailable === 'string' && minAvailable.endsWith('%'))) {
      const scale = this.controllerScale(pods);
      if (typeof scale === 'string') failure = scale;
      else {
        expected = scale;
        desired =
          maxUnavailable !== undefined
            ? Math.max(0, expected - scaled(maxUnavailable, expected))
            : scaled(minAvailable!, expected);
      }
    } else if (minAvailable !== undefined) desired = scaled(minAvailable, expected);
    const healthy = pods.filter((p) => !p.metadata.deletionTimestamp && isPodReady(p)).length;
    const allowed = failure ? 0 : Math.max(0, healthy - desired);
    const generation = pdb.metadata.generation ?? 1;
    const reason = failure ? 'SyncFailed' : allowed > 0 ? 'SufficientPods' : 'InsufficientPods';
    const previous = pdb.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
    const conditionStatus = allowed > 0 ? 'True' : 'False';
    const condition = {
      type: 'DisruptionAllowed',
      status: conditionStatus as 'True' | 'False',
      observedGeneration: generation,
      lastTransitionTime:
        previous && previous.status === conditionStatus
          ? previous.lastTransitionTime
          : rfc3339(this.ctx.now()),
      reason,
      message: failure ?? '',
    };
    const status: PodDisruptionBudget['status'] = {
      observedGeneration: generation,
      disruptionsAllowed: allowed,
      currentHealthy: failure ? 0 : healthy,
      desiredHealthy: failure ? 0 : desired,
      expectedPods: failure ? 0 : expected,
      conditions: [condition],
    };
    if (previous && previous.status === conditionStatus && previous.reason === reason)
      condition.lastTransitionTime = previous.lastTransitionTime;
    if (deepEqual(pdb.status, status)) return;
    const first = !pdb.status?.conditions;
    const written = server.updateObject(withStatus(pdb, status), { fromClient: false });
    if (first && pods.length === 0)
      this.ctx.events.record(written, 'Normal', 'NoPods', 'No matching pods found', {
        component: 'controllermanager',
      });
  }

  /** The summed scale of the pods' controllers, or the error text when a pod has none. */
  private controllerScale(pods: Pod[]): number | string {
    const { store } = this.ctx;
    const seen = new Set<string>();
    let total = 0;
    for (const pod of pods) {
      const ref = controllerRef(pod);
      if (!ref) return `found no controllers for pod "${pod.metadata.name}"`;
      if (seen.has(ref.uid)) continue;
      seen.add(ref.uid);
      if (ref.kind !== 'ReplicaSet') continue;
      const rs = store.get<ReplicaSet>('replicasets', pod.metadata.namespace, ref.name);
      if (!rs) continue;
      const owner = controllerRef(rs);
      const deployment =
        owner?.kind === 'Deployment'
          ? store.get<Deployment>('deployments', pod.metadata.namespace, owner.name)
          : undefined;
      if (deployment) {
        if (seen.has(deployment.metadata.uid ?? '')) continue;
        seen.add(deployment.metadata.uid ?? '');
        total += deployment.spec.replicas ?? 1;
      } else total += rs.spec.replicas ?? 1;
    }
    return total;
  }
}
