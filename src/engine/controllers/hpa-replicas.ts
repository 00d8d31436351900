/**
 * The replica calculation of the v1.30 horizontal-pod-autoscaler for a Resource metric with a Utilization target
 * (pkg/controller/podautoscaler/replica_calculator.go): pods grouped into ready, unready (pending, or within the CPU
 * initialisation period without a sample taken a full window after they became ready), missing (no metrics) and
 * ignored (deleted, failed); the usage ratio against the pods' requests with a tolerance of 0.1; missing and unready
 * pods filled in conservatively, and no change when that would reverse the direction.
 */
import { parseQuantity } from '../api/quantity';
import type { Pod } from '../api/types';

export const TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period. */
const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
const DELAY_OF_INITIAL_READINESS_MS = 30_000;

/** One pod's usage of the resource (milli-units), as the resource metrics client sums it over its containers. */
export interface PodUsage {
  milli: number;
  /** Epoch ms of the sample and its window. */
  timestamp: number;
  windowMs: number;
}

export interface ReplicaResult {
  replicas: number;
  /** Utilization of the ready pods' requests, percent (integer, as the controller computes it). */
  utilization: number;
  /** Average usage per pod with metrics (milli-units). */
  rawAverage: number;
}

export class ReplicaCalculationError extends Error {}

function milli(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const q = parseQuantity(text);
  return q ? Number(q.milli) : undefined;
}

/** Each pod's request for the resource; a container without one makes the computation fail. */
export function podRequests(pods: Pod[], resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec.containers) {
      const request = milli(c.resources?.requests?.[resource]);
      if (request === undefined)
        throw new ReplicaCalculationError(
          `missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`,
        );
      sum += request;
    }
    requests.set(pod.metadata.name, sum);
  }
  return requests;
}

function utilizationRatio(
  metrics: Map<string, number>,
  requests: Map<string, number>,
  target: number,
): { ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entities = 0;
  for (const [name, value] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += value;
    requestsTotal += request;
    entities++;
  }
  if (requestsTotal === 0) throw new ReplicaCalculationError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(metricsTotal / entities) };
}

export function resourceReplicas(input: {
  currentReplicas: number;
  targetUtilization: number;
  resource: string;
  pods: Pod[];
  usage: Map<string, PodUsage>;
  now: number;
}): ReplicaResult {
  const { currentReplicas, targetUtilization, resource, pods, usage, now } = input;
  if (pods.length === 0)
    throw new ReplicaCalculationError('no pods returned by selector while calculating replica count');
  const metrics = new Map<string, number>();
  const unready = new Set<string>();
  const missing = new Set<string>();
  let readyCount = 0;
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') continue;
    if (pod.status?.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    const sample = usage.get(name);
    if (!sample) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu' && isUnreadyForCpu(pod, sample, now)) {
      unready.add(name);
      continue;
    }
    metrics.set(name, sample.milli);
    readyCount++;
  }
  if (metrics.size === 0)
    throw new ReplicaCalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(pods, resource);
  const { ratio, utilization, rawAverage } = utilizationRatio(metrics, requests, targetUtilization);
  const unchanged = { replicas: currentReplicas, utilization, rawAverage };
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (Math.abs(1 - ratio) <= TOLERANCE) return unchanged;
    return { replicas: Math.ceil(ratio * readyCount), utilization, rawAverage };
  }
  if (missing.size > 0) {
    // Scaling down: missing pods count as using their whole request (at least the target); up: as idle.
    const fallback = Math.max(100, targetUtilization);
    for (const name of missing)
      metrics.set(name, ratio < 1 ? Math.trunc(((requests.get(name) ?? 0) * fallback) / 100) : 0);
  }
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, 0);
  const next = utilizationRatio(metrics, requests, targetUtilization).ratio;
  if (Math.abs(1 - next) <= TOLERANCE || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return unchanged;
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas)) return unchanged;
  return { replicas, utilization, rawAverage };
}

/** A pod still starting up, or not yet sampled a full window after it became ready, is not counted for CPU. */
function isUnreadyForCpu(pod: Pod, sample: PodUsage, now: number): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
  if (!ready || start === undefined) return true;
  const transition = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : start;
  if (start + CPU_INITIALIZATION_PERIOD_MS > now)
    return ready.status === 'False' || sample.timestamp < transition + sample.windowMs;
  return ready.status === 'False' && start + DELAY_OF_INITIAL_READINESS_MS > transition;
}
