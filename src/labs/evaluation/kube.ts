/** Reading the few Kubernetes object fields checks care about, tolerating absent or oddly typed fields. */
import type { LabelSelector } from '../../engine/api/types';
import { formatLabelSelector } from '../../engine/server/selectors';
import type { KubeObjectJson } from './context';

export type JsonRecord = Record<string, unknown>;

export function record(value: unknown): JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : {};
}

export function records(value: unknown): JsonRecord[] {
  return Array.isArray(value) ? value.map(record) : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function labelsOf(object: KubeObjectJson): Record<string, string> {
  return (object.metadata.labels ?? {}) as Record<string, string>;
}

export function annotationsOf(object: KubeObjectJson): Record<string, string> {
  return record(object.metadata.annotations) as Record<string, string>;
}

/** Kinds that own a pod template (CronJob through its jobTemplate); their containers are the template's. */
export const POD_TEMPLATE_KINDS = [
  'Deployment',
  'ReplicaSet',
  'DaemonSet',
  'StatefulSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'PodTemplate',
] as const;

/** The pod spec of a Pod, or of the pod template of a workload (a CronJob's through its jobTemplate). */
export function podSpecOf(object: KubeObjectJson): JsonRecord {
  if (object.kind === 'Pod') return record(object.spec);
  if (object.kind === 'PodTemplate') return record(record(object.template).spec);
  const spec = record(object.spec);
  const owner = object.kind === 'CronJob' ? record(record(spec.jobTemplate).spec) : spec;
  return record(record(owner.template).spec);
}

/** Containers of a Pod, or of the pod template of a workload. */
export function containersOf(object: KubeObjectJson): JsonRecord[] {
  return records(podSpecOf(object).containers);
}

export function podIsReady(pod: KubeObjectJson): boolean {
  const status = record(pod.status);
  const readyCondition = records(status.conditions).find((condition) => condition.type === 'Ready');
  if (readyCondition) return readyCondition.status === 'True';
  const statuses = records(status.containerStatuses);
  return statuses.length > 0 && statuses.every((container) => container.ready === true);
}

export function readyCounts(pod: KubeObjectJson): { ready: number; total: number } {
  const statuses = records(record(pod.status).containerStatuses);
  const total = Math.max(containersOf(pod).length, statuses.length);
  return { ready: statuses.filter((container) => container.ready === true).length, total };
}

/** Container states in words: `running`, `waiting (ImagePullBackOff)`, `terminated (Error)`. */
export function containerStates(pod: KubeObjectJson): { name: string; state: string; reason?: string }[] {
  return records(record(pod.status).containerStatuses).map((container) => {
    const state = record(container.state);
    const [kind = 'unknown'] = Object.keys(state);
    return { name: text(container.name) ?? '?', state: kind, reason: text(record(state[kind]).reason) };
  });
}

/**
 * Docker Hub references have several spellings for one image (`jocatalin/x:v2`, `docker.io/jocatalin/x:v2`,
 * `docker.io/library/nginx`); grading treats them as the same image.
 */
export function normalizeImage(image: string): string {
  let result = image.trim();
  if (result.startsWith('docker.io/')) result = result.slice('docker.io/'.length);
  if (result.startsWith('index.docker.io/')) result = result.slice('index.docker.io/'.length);
  if (result.startsWith('library/')) result = result.slice('library/'.length);
  return result;
}

/** The label selector string of a workload's `spec.selector` (matchLabels and matchExpressions). */
export function workloadSelector(object: KubeObjectJson): string | undefined {
  const selector = record(record(object.spec).selector) as LabelSelector;
  return formatLabelSelector(selector) || undefined;
}
