/**
 * The Metrics API (metrics.k8s.io/v1beta1) as metrics-server serves it: PodMetrics and NodeMetrics built from its
 * latest scrape, listed with label and field selectors, and its NotFound for an object it has no metrics for
 * (metrics-server names a pod `namespace/name` there). One source for kubectl top, the HPA controller and HTTP.
 */
import { rfc3339 } from '../api/time';
import { notFound } from '../api/status-error';
import type { KubeObject, Node } from '../api/types';
import { matchesFields, matchesSelector, parseRequirements } from '../server/selectors';
import type { ObjectStore } from '../store/store';
import type { MetricsState, Scrape } from './metrics-server';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

export interface Usage {
  cpu: string;
  memory: string;
}

export interface PodMetrics extends KubeObject {
  kind: 'PodMetrics';
  timestamp: string;
  window: string;
  containers: { name: string; usage: Usage }[];
}

export interface NodeMetrics extends KubeObject {
  kind: 'NodeMetrics';
  timestamp: string;
  window: string;
  usage: Usage;
}

export interface MetricsQuery {
  /** Undefined: every namespace. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** metrics-server's quantities: CPU in nanocores, memory in KiB. */
export function usage(cpuNanocores: number, memoryBytes: number): Usage {
  return {
    cpu: cpuNanocores === 0 ? '0' : `${cpuNanocores}n`,
    memory: memoryBytes === 0 ? '0' : `${Math.ceil(memoryBytes / 1024)}Ki`,
  };
}

function windowText(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m0s` : `${ms / 1000}s`;
}

export function podMetricsList(state: MetricsState, now: number, query: MetricsQuery): PodMetrics[] {
  if (!state.available || !state.scrape) return [];
  const scrape = state.scrape;
  const labels = query.labelSelector ? parseRequirements(query.labelSelector) : [];
  const fields = fieldRequirements(query.fieldSelector);
  return scrape.pods
    .filter(({ pod }) => query.namespace === undefined || pod.metadata.namespace === query.namespace)
    .filter(({ pod }) => matchesSelector(labels, pod.metadata.labels) && matchesFields(fields, pod))
    .map(({ pod, containers }) => ({
      kind: 'PodMetrics' as const,
      apiVersion: API_VERSION,
      metadata: {
        name: pod.metadata.name,
        namespace: pod.metadata.namespace,
        creationTimestamp: rfc3339(now),
        ...(pod.metadata.labels ? { labels: { ...pod.metadata.labels } } : {}),
      },
      timestamp: rfc3339(scrape.at),
      window: windowText(scrape.windowMs),
      containers: containers.map((c) => ({ name: c.name, usage: usage(c.cpuNanocores, c.memoryBytes) })),
    }))
    .sort((a, b) =>
      a.metadata.namespace === b.metadata.namespace
        ? a.metadata.name.localeCompare(b.metadata.name)
        : (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? ''),
    );
}

export function podMetrics(state: MetricsState, now: number, namespace: string, name: string): PodMetrics {
  const found = podMetricsList(state, now, { namespace }).find((m) => m.metadata.name === name);
  if (!found) throw notFound('podmetrics', METRICS_GROUP, `${namespace}/${name}`);
  return found;
}

export function nodeMetricsList(
  state: MetricsState,
  store: ObjectStore,
  now: number,
  query: MetricsQuery,
): NodeMetrics[] {
  if (!state.available || !state.scrape) return [];
  const scrape: Scrape = state.scrape;
  const labels = query.labelSelector ? parseRequirements(query.labelSelector) : [];
  const out: NodeMetrics[] = [];
  for (const sample of scrape.nodes) {
    const node = store.get<Node>('nodes', undefined, sample.name);
    if (!node || !matchesSelector(labels, node.metadata.labels)) continue;
    out.push({
      kind: 'NodeMetrics',
      apiVersion: API_VERSION,
      metadata: {
        name: sample.name,
        creationTimestamp: rfc3339(now),
        ...(node.metadata.labels ? { labels: { ...node.metadata.labels } } : {}),
      },
      timestamp: rfc3339(scrape.at),
      window: windowText(scrape.windowMs),
      usage: usage(sample.cpuNanocores, sample.memoryBytes),
    });
  }
  return out.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

export function nodeMetrics(state: MetricsState, store: ObjectStore, now: number, name: string): NodeMetrics {
  const found = nodeMetricsList(state, store, now, {}).find((m) => m.metadata.name === name);
  if (!found) throw notFound('nodemetrics', METRICS_GROUP, name);
  return found;
}

/** metadata.name and metadata.namespace, as metrics-server accepts for pods. */
function fieldRequirements(input: string | undefined) {
  if (!input) return [];
  return input
    .split(',')
    .filter((t) => t.trim() !== '')
    .map((term) => {
      const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term.trim());
      if (!m) throw new Error(`invalid selector: '${term}'`);
      const key = m[1].trim();
      const get =
        key === 'metadata.name'
          ? (o: KubeObject) => o.metadata.name
          : key === 'metadata.namespace'
            ? (o: KubeObject) => o.metadata.namespace ?? ''
            : undefined;
      if (!get) throw new Error(`field label not supported: ${key}`);
      return { get, negate: m[2] === '!=', value: m[3].trim() };
    });
}
