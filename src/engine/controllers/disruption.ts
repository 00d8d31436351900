/**
 * The DisruptionTarget pod condition (PodDisruptionConditions, beta and on in 1.30): a component that deletes a
 * pod for reasons of its own first marks it, so a Job's podFailurePolicy can tell a disruption from a failure.
 * The only such deletion the engine makes is PodGC's, of pods on a node that no longer exists (no eviction API,
 * drain, taint manager or preemption yet); they would use the same marking with their own reason.
 */
import { rfc3339 } from '../api/time';
import type { Pod, PodCondition, PodStatus } from '../api/types';

/** podgc markFailedAndDeletePodWithCondition: a pod that has not finished becomes Failed and gets the condition;
 *  a finished one is left as it is (undefined). */
export function disruptedStatus(
  pod: Pod,
  reason: string,
  message: string,
  now: number,
): PodStatus | undefined {
  const status = pod.status;
  if (status?.phase === 'Succeeded' || status?.phase === 'Failed') return undefined;
  const condition: PodCondition = {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: rfc3339(now),
    reason,
    message,
  };
  const others = (status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
  return { ...(status ?? {}), phase: 'Failed', conditions: [...others, condition] } as PodStatus;
}
