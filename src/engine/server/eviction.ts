/**
 * The pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go): a pod is deleted only if the
 * PodDisruptionBudget that covers it allows one more disruption. A pod that is not running (Pending, Succeeded,
 * Failed) or already terminating is deleted without asking the budget; an unready pod is deleted when its budget
 * is already met (the IfHealthyBudget policy) or always (AlwaysAllow). The budget's count falls as soon as the
 * pod goes Terminating: the disruption controller recounts it in the same sync, so a second eviction sees it.
 */
import type { PodDisruptionBudget } from '../api/policy-types';
import { forbidden, StatusError, tooManyRequests } from '../api/status-error';
import { rfc3339 } from '../api/time';
import type { Pod, PodCondition } from '../api/types';
import { isPodReady } from '../controllers/owners';
import { withStatus } from '../store/store';
import type { KubeApiServer } from './kube-api-server';
import { matchesLabelSelector } from './selectors';

export const BUDGET_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

export interface EvictionOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  /** Simulation time, for the pod's DisruptionTarget condition. */
  now: number;
}

/** Evicts pod `namespace/name` or throws the API server's refusal (NotFound, 429 TooManyRequests, 403, 500). */
export function evictPod(api: KubeApiServer, namespace: string, name: string, opts: EvictionOptions): void {
  const pod = api.get<Pod>('pods', namespace, name);
  if (!canIgnoreBudget(pod)) {
    const budgets = api
      .list<PodDisruptionBudget>('poddisruptionbudgets', { namespace })
      .filter((pdb) => pdb.spec?.selector && matchesLabelSelector(pdb.spec.selector, pod.metadata.labels));
    if (budgets.length > 1)
      throw new StatusError({
        reason: 'InternalError',
        message:
          'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      });
    if (budgets.length === 1) checkBudget(budgets[0], pod);
  }
  if (opts.dryRun) return;
  markDisruptionTarget(api, pod, opts.now);
  api.delete('pods', namespace, name, { gracePeriodSeconds: opts.gracePeriodSeconds });
}

function canIgnoreBudget(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return (
    phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp
  );
}

/** eviction.go checkAndDecrement, with the unhealthy-pod policies in front of it. */
function checkBudget(pdb: PodDisruptionBudget, pod: Pod): void {
  const status = pdb.status;
  if (!isPodReady(pod)) {
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return;
    if (status && status.desiredHealthy > 0 && status.currentHealthy >= status.desiredHealthy) return;
  }
  const name = pdb.metadata.name;
  if ((status?.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1))
    throw tooManyRequests(BUDGET_VIOLATION, [
      {
        field: '',
        reason: 'DisruptionBudget',
        message: `The disruption budget ${name} is still being processed by the server.`,
      },
    ]);
  const allowed = status?.disruptionsAllowed ?? 0;
  if (allowed < 0)
    throw forbidden('poddisruptionbudget', 'policy', name, 'pdb disruptions allowed is negative');
  if (allowed === 0)
    throw tooManyRequests(BUDGET_VIOLATION, [
      {
        field: '',
        reason: 'DisruptionBudget',
        message: `The disruption budget ${name} needs ${status?.desiredHealthy ?? 0} healthy pods and has ${status?.currentHealthy ?? 0} currently`,
      },
    ]);
}

/** PodDisruptionConditions: the pod is marked before it is deleted, so a Job's podFailurePolicy can tell. */
function markDisruptionTarget(api: KubeApiServer, pod: Pod, now: number): void {
  const condition: PodCondition = {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: rfc3339(now),
    reason: 'EvictionByEvictionAPI',
    message: 'Eviction API: evicting',
  };
  const others = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
  const status = { ...(pod.status ?? {}), conditions: [...others, condition] } as Pod['status'];
  api.updateObject(withStatus(pod, status), { fromClient: false });
}
