/**
 * What the endpoints and EndpointSlice controllers both read from a selector Service: the pods that back it
 * and the container port each of its ports targets. One definition, so Endpoints and EndpointSlices never
 * disagree about which pods a Service has.
 */
import type { Pod } from '../api/types';

/**
 * The pods a Service's selector picks that can receive traffic: every selector key has its value among the pod's
 * labels, the pod has an IP, and it is not being deleted (terminating pods are dropped at once). Store order.
 */
export function servicePods(pods: readonly Pod[], selector: Record<string, string>): Pod[] {
  const out: Pod[] = [];
  outer: for (const pod of pods) {
    if (pod.metadata.deletionTimestamp || !pod.status?.podIP) continue;
    for (const key in selector) if (pod.metadata.labels?.[key] !== selector[key]) continue outer;
    out.push(pod);
  }
  return out;
}

/**
 * The port number a Service port's targetPort means: a number as is, none at all the Service port itself, and
 * a name the first selected pod's container port of that name (undefined when no pod has it: the port is left
 * out, as the controllers do).
 */
export function resolveTargetPort(
  pods: readonly Pod[],
  target: number | string | undefined,
  servicePort: number,
): number | undefined {
  if (typeof target === 'number') return target;
  if (target === undefined) return servicePort;
  for (const pod of pods)
    for (const c of pod.spec.containers)
      for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}
