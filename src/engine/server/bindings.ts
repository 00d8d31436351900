/**
 * Binding (v1, create-only): `POST /api/v1/namespaces/<ns>/bindings` assigns a pending pod to a node, as the
 * scheduler does (pods/binding). Nothing is stored under `bindings`; the pod gets its node and PodScheduled.
 */
import { conflict, invalid, notFound } from '../api/status-error';
import { rfc3339 } from '../api/time';
import type { KubeObject, Pod } from '../api/types';
import type { ObjectStore } from '../store/store';

export interface Binding extends KubeObject {
  target?: { kind?: string; name?: string; apiVersion?: string };
}

/** What the API server answers for a successful binding. */
const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

/**
 * Checks the binding and returns the pod as bound (for `update` to write) and the Status to answer; throws the API
 * server's NotFound, Conflict or Invalid.
 */
export function boundPod(store: ObjectStore, binding: Binding, now: number): { pod: Pod; answer: unknown } {
  const namespace = binding.metadata?.namespace ?? 'default';
  const name = binding.metadata?.name ?? '';
  const target = binding.target?.name ?? '';
  if (!target)
    throw invalid('Binding', '', name, [
      { field: 'target.name', reason: 'FieldValueRequired', message: 'Required value' },
    ]);
  const pod = store.get<Pod>('pods', namespace, name);
  if (!pod) throw notFound('pods', '', name);
  if (pod.spec.nodeName)
    throw conflict(
      'pods/binding',
      '',
      name,
      `pod ${name} is already assigned to node "${pod.spec.nodeName}"`,
    );
  const bound = structuredClone(pod);
  bound.spec.nodeName = target;
  const scheduled = {
    type: 'PodScheduled' as const,
    status: 'True' as const,
    lastProbeTime: null,
    lastTransitionTime: rfc3339(now),
  };
  const conditions = (bound.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  bound.status = { ...(bound.status ?? { phase: 'Pending' }), conditions: [...conditions, scheduled] };
  return { pod: bound, answer: structuredClone(SUCCESS) };
}
