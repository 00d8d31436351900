/**
 * `kubectl get podmetrics|nodemetrics` (also `pods.metrics.k8s.io`, `nodes.metrics.k8s.io`): the Metrics API's
 * kinds, served through the aggregator while metrics-server's APIService is Available; otherwise kubectl's discovery
 * does not know them (`the server doesn't have a resource type`). The table is the one metrics-server sends (NAME,
 * CPU, MEMORY, WINDOW: http/metrics-api.ts toMetricsTable), printed as kubectl prints a server-side table.
 */
import type { KubeObject } from '../../api/types';
import { isStatusError } from '../../api/status-error';
import { toMetricsTable } from '../../http/metrics-api';
import { metricsServerFor } from '../../metrics/metrics-server';
import {
  METRICS_GROUP,
  nodeMetrics,
  nodeMetricsList,
  podMetrics,
  podMetricsList,
  type NodeMetrics,
  type PodMetrics,
} from '../../metrics/objects';
import type { ParsedArgs } from '../argv';
import { namespaceFlag } from '../command';
import { CommandError, type KubectlContext } from '../context';
import { formatStatusError } from '../errors';
import { parseOutputFormat } from '../output';
import { asList, toGoJson } from '../printers/json';
import { GET_TABLE_OPTIONS, TabWriter } from '../printers/tabwriter';
import { toGoYaml } from '../printers/yaml';

type MetricsResource = 'pods' | 'nodes';

const NAMES: Record<string, MetricsResource> = {
  podmetrics: 'pods',
  'podmetrics.metrics.k8s.io': 'pods',
  'pods.metrics.k8s.io': 'pods',
  'pods.v1beta1.metrics.k8s.io': 'pods',
  'podmetrics.v1beta1.metrics.k8s.io': 'pods',
  nodemetrics: 'nodes',
  'nodemetrics.metrics.k8s.io': 'nodes',
  'nodes.metrics.k8s.io': 'nodes',
  'nodes.v1beta1.metrics.k8s.io': 'nodes',
  'nodemetrics.v1beta1.metrics.k8s.io': 'nodes',
};

/** The Metrics API resource a `get` names (`TYPE [NAME...]` or `TYPE/NAME`), when its API is served. */
export function metricsTarget(
  ctx: KubectlContext,
  positional: readonly string[],
): { resource: MetricsResource; names: string[] } | undefined {
  const [first] = positional;
  if (first === undefined) return undefined;
  const slash = first.indexOf('/');
  const type = (slash < 0 ? first : first.slice(0, slash)).toLowerCase();
  const resource = NAMES[type];
  if (!resource) return undefined;
  if (!metricsServerFor(ctx.cluster.store).state(ctx.cluster.now()).available) return undefined;
  if (slash >= 0) {
    // TYPE/NAME form: every argument must name the same metrics type (other mixes are left to the resource builder).
    const names: string[] = [];
    for (const arg of positional) {
      const i = arg.indexOf('/');
      if (i < 0 || NAMES[arg.slice(0, i).toLowerCase()] !== resource) return undefined;
      names.push(arg.slice(i + 1));
    }
    return { resource, names };
  }
  return { resource, names: positional.slice(1) };
}

export function runGetMetrics(
  ctx: KubectlContext,
  args: ParsedArgs,
  target: { resource: MetricsResource; names: string[] },
): number {
  const { cluster } = ctx;
  cluster.sync();
  const now = cluster.now();
  const state = metricsServerFor(cluster.store).state(now);
  const format = parseOutputFormat(args.flags.output as string, true, args.flags.template as string);
  const allNamespaces = args.flags['all-namespaces'] as boolean;
  const namespace = namespaceFlag(args);
  const selector = (args.flags.selector as string) || undefined;
  const fieldSelector = (args.flags['field-selector'] as string) || undefined;
  if (target.names.length > 0 && selector)
    throw new CommandError('name cannot be provided when a selector is specified');
  const errors: string[] = [];
  let items: (PodMetrics | NodeMetrics)[] = [];
  if (target.names.length > 0) {
    for (const name of target.names) {
      try {
        items.push(
          target.resource === 'pods'
            ? podMetrics(state, now, namespace, name)
            : nodeMetrics(state, cluster.store, now, name),
        );
      } catch (error) {
        if (!isStatusError(error)) throw error;
        errors.push(formatStatusError(error));
      }
    }
  } else {
    const query = { labelSelector: selector, fieldSelector };
    items =
      target.resource === 'pods'
        ? podMetricsList(state, now, { ...query, namespace: allNamespaces ? undefined : namespace })
        : nodeMetricsList(state, cluster.store, now, query);
  }
  const single = target.names.length === 1 && items.length === 1;
  const kindName = `${target.resource === 'pods' ? 'podmetrics' : 'nodemetrics'}.${METRICS_GROUP}`;
  switch (format.kind) {
    case 'table':
      printTable(
        ctx,
        items,
        target.resource === 'pods' && allNamespaces,
        args.flags['no-headers'] as boolean,
      );
      if (items.length === 0 && errors.length === 0)
        ctx.stderr(
          target.resource === 'pods' && !allNamespaces
            ? `No resources found in ${namespace} namespace.\n`
            : 'No resources found\n',
        );
      break;
    case 'name':
      ctx.stdout(items.map((i) => `${kindName}/${i.metadata.name}\n`).join(''));
      break;
    case 'json':
      ctx.stdout(toGoJson(single ? items[0] : asList(items as KubeObject[])));
      break;
    case 'yaml':
      ctx.stdout(toGoYaml(single ? items[0] : asList(items as KubeObject[])));
      break;
    default:
      throw new CommandError(
        `output format ${args.flags.output as string} is not available for metrics in this lab terminal`,
      );
  }
  for (const error of errors) ctx.stderr(error + '\n');
  return errors.length > 0 ? 1 : 0;
}

/** kubectl's printing of metrics-server's Table: upper-cased column names, NAMESPACE first with -A. */
function printTable(
  ctx: KubectlContext,
  items: (PodMetrics | NodeMetrics)[],
  withNamespace: boolean,
  noHeaders: boolean,
): void {
  if (items.length === 0) return;
  const table = toMetricsTable(items, 'None');
  const writer = new TabWriter(GET_TABLE_OPTIONS);
  const header = table.columnDefinitions.map((c) => c.name.toUpperCase());
  const line = (cells: string[]) => writer.write(cells.join('\t') + '\n');
  if (!noHeaders) line(withNamespace ? ['NAMESPACE', ...header] : header);
  table.rows.forEach((row, i) => {
    const cells = row.cells.map(String);
    line(withNamespace ? [items[i].metadata.namespace ?? '', ...cells] : cells);
  });
  ctx.stdout(writer.flush());
}
