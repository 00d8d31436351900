/**
 * A Job's podFailurePolicy applied to one failed pod (v1.30 matchPodFailurePolicy): the first rule whose exit-code
 * requirement (a terminated container with a non-zero code, app containers before init containers) or pod
 * condition matches decides. FailJob carries the message the Job's Failed condition shows.
 */
import type { PodFailurePolicyRule } from '../api/batch-types';
import type { Pod } from '../api/types';

export type FailureAction = PodFailurePolicyRule['action'];

export interface FailureVerdict {
  action: FailureAction;
  message?: string;
}

function matchingContainer(pod: Pod, rule: NonNullable<PodFailurePolicyRule['onExitCodes']>) {
  const lists = [pod.status?.containerStatuses ?? [], pod.status?.initContainerStatuses ?? []];
  for (const list of lists)
    for (const status of list) {
      const code = status.state?.terminated?.exitCode;
      if (code === undefined || code === 0) continue;
      if (rule.containerName !== undefined && rule.containerName !== status.name) continue;
      const listed = (rule.values ?? []).includes(code);
      if (rule.operator === 'In' ? listed : rule.operator === 'NotIn' ? !listed : false)
        return { name: status.name, code };
    }
  return undefined;
}

/** The action for a failed pod: Count when no rule matches (or there is no policy). */
export function podFailureVerdict(
  policy: { rules?: PodFailurePolicyRule[] } | undefined,
  pod: Pod,
): FailureVerdict {
  const ns = pod.metadata.namespace ?? 'default';
  for (const [index, rule] of (policy?.rules ?? []).entries()) {
    if (rule.onExitCodes) {
      const container = matchingContainer(pod, rule.onExitCodes);
      if (!container) continue;
      if (rule.action !== 'FailJob') return { action: rule.action };
      return {
        action: 'FailJob',
        message: `Container ${container.name} for pod ${ns}/${pod.metadata.name} failed with exit code ${container.code} matching FailJob rule at index ${index}`,
      };
    } else if (rule.onPodConditions) {
      const condition = (pod.status?.conditions ?? []).find((c) =>
        rule.onPodConditions!.some((p) => p.type === c.type && (p.status ?? 'True') === c.status),
      );
      if (!condition) continue;
      if (rule.action !== 'FailJob') return { action: rule.action };
      return {
        action: 'FailJob',
        message: `Pod ${ns}/${pod.metadata.name} has condition ${condition.type} matching FailJob rule at index ${index}`,
      };
    }
  }
  return { action: 'Count' };
}
