/**
 * /apis/metrics.k8s.io/v1beta1/...: the Metrics API as the aggregator proxies it to metrics-server, while its
 * APIService is Available (otherwise the path is not served: 404, as kube-apiserver answers for a missing group).
 * get and list of PodMetrics and NodeMetrics, with label and field selectors, as JSON or as metrics-server's Table
 * (NAME, one column per resource, WINDOW).
 */
import type { Cluster } from '../cluster';
import { metricsServerFor } from '../metrics/metrics-server';
import {
  METRICS_GROUP,
  METRICS_VERSION,
  nodeMetrics,
  nodeMetricsList,
  podMetrics,
  podMetricsList,
  type NodeMetrics,
  type PodMetrics,
} from '../metrics/objects';
import { methodNotAllowed, notFoundPath } from './status';
import type { IncludeObject, Table } from './table';

const PREFIX = `/apis/${METRICS_GROUP}/${METRICS_VERSION}/`;

export interface MetricsRequest {
  resource: 'pods' | 'nodes';
  namespace?: string;
  name?: string;
}

/** The request's target when the path is under the Metrics API; undefined for any other path. */
export function metricsRequest(path: string): MetricsRequest | undefined {
  if (!path.startsWith(PREFIX)) return undefined;
  const parts = path.slice(PREFIX.length).split('/').map(decodeURIComponent);
  if (parts[0] === 'nodes' && parts.length <= 2) return { resource: 'nodes', name: parts[1] };
  if (parts[0] === 'pods' && parts.length === 1) return { resource: 'pods' };
  if (parts[0] === 'namespaces' && parts[2] === 'pods' && parts.length <= 4)
    return { resource: 'pods', namespace: parts[1], name: parts[3] };
  throw notFoundPath();
}

export function metricsAnswer(
  cluster: Cluster,
  method: string,
  request: MetricsRequest,
  query: URLSearchParams,
  table: { wanted: boolean; include: IncludeObject },
): unknown {
  if (method !== 'GET') throw methodNotAllowed();
  cluster.sync();
  const now = cluster.now();
  const state = metricsServerFor(cluster.store).state(now);
  if (!state.available) throw notFoundPath();
  const selectors = {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
  };
  if (request.resource === 'nodes') {
    // metrics-server converts a single object to its Table too (its storage is a TableConvertor for get and list).
    if (request.name) {
      const item = nodeMetrics(state, cluster.store, now, request.name);
      return table.wanted ? toMetricsTable([item], table.include) : item;
    }
    const items = nodeMetricsList(state, cluster.store, now, selectors);
    return table.wanted ? toMetricsTable(items, table.include) : list('NodeMetricsList', items);
  }
  if (request.name) {
    const item = podMetrics(state, now, request.namespace ?? 'default', request.name);
    return table.wanted ? toMetricsTable([item], table.include) : item;
  }
  const items = podMetricsList(state, now, { namespace: request.namespace, ...selectors });
  return table.wanted ? toMetricsTable(items, table.include) : list('PodMetricsList', items);
}

function list(kind: string, items: unknown[]): unknown {
  return { kind, apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, metadata: {}, items };
}

/** metrics-server's table: the name, each resource's summed usage (sorted by resource name), the window. */
export function toMetricsTable(items: (PodMetrics | NodeMetrics)[], include: IncludeObject): Table {
  const column = (name: string, format: string, description = '') => ({
    name,
    type: 'string',
    format,
    description,
    priority: 0,
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {},
    columnDefinitions: [
      column('Name', 'name', 'Name of the resource'),
      column('cpu', 'quantity'),
      column('memory', 'quantity'),
      column('Window', 'duration'),
    ],
    rows: items.map((item) => {
      const usage = 'usage' in item ? item.usage : sumUsage(item.containers.map((c) => c.usage));
      const row: Table['rows'][number] = {
        cells: [item.metadata.name, usage.cpu, usage.memory, item.window],
      };
      if (include === 'Object') row.object = item;
      else if (include === 'Metadata')
        row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata };
      return row;
    }),
  };
}

function sumUsage(usages: { cpu: string; memory: string }[]): { cpu: string; memory: string } {
  const nanos = usages.reduce((s, u) => s + (u.cpu === '0' ? 0 : Number(u.cpu.replace(/n$/, ''))), 0);
  const ki = usages.reduce((s, u) => s + (u.memory === '0' ? 0 : Number(u.memory.replace(/Ki$/, ''))), 0);
  return { cpu: nanos === 0 ? '0' : `${nanos}n`, memory: ki === 0 ? '0' : `${ki}Ki` };
}
