/**
 * The Priority admission plugin: a pod's `priorityClassName` resolves to its numeric priority (and preemption
 * policy); a pod without one gets the global-default class, if any. An unknown class refuses the pod.
 */
import type { PriorityClass } from '../api/policy-types';
import type { Pod } from '../api/types';
import type { ObjectStore } from '../store/store';

/** Undefined when admitted (the pod is updated in place), else the reason after `is forbidden: `. */
export function admitPodPriority(store: ObjectStore, pod: Pod): string | undefined {
  const spec = pod.spec;
  if (!spec) return undefined;
  const name = spec.priorityClassName;
  let pc: PriorityClass | undefined;
  if (name) {
    pc = store.get<PriorityClass>('priorityclasses', undefined, name);
    if (!pc) return `no PriorityClass with name ${name} was found`;
  } else {
    pc = store.values<PriorityClass>('priorityclasses').find((c) => c.globalDefault === true);
    if (!pc) return undefined;
    spec.priorityClassName = pc.metadata.name;
  }
  spec.priority = pc.value;
  spec.preemptionPolicy ??= pc.preemptionPolicy ?? 'PreemptLowerPriority';
  return undefined;
}
