/**
 * `kubectl top pod` and `kubectl top node` (kubectl v1.30 pkg/cmd/top, metricsutil): usage from the Metrics API
 * that the metrics-server add-on serves, `error: Metrics API not available` without it, kubectl's checks for
 * missing metrics (`metrics not available yet`, a pod older than two minutes), and its table: every cell ends with
 * a TAB, so the last column is padded too; CPU in millicores rounded up, memory in MiB rounded down.
 */
import { parseQuantity } from '../../api/quantity';
import type { Node, Pod } from '../../api/types';
import { metricsServerFor } from '../../metrics/metrics-server';
import {
  nodeMetrics,
  nodeMetricsList,
  podMetrics,
  podMetricsList,
  type NodeMetrics,
  type PodMetrics,
  type Usage,
} from '../../metrics/objects';
import { goDuration } from '../../runtime/go-duration';
import { parseRequirements, SelectorSyntaxError } from '../../server/selectors';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, UsageError, type KubectlContext } from '../context';
import { GET_TABLE_OPTIONS, TabWriter } from '../printers/tabwriter';

/** kubectl's metricsCreationDelay: a pod this old without metrics is reported as such. */
const METRICS_CREATION_DELAY_MS = 120_000;
const MI = 1024 * 1024;

const SORT_FLAG = (what: string) =>
  flag.string(
    'sort-by',
    undefined,
    '',
    `If non-empty, sort ${what} list using specified field. The field can be either 'cpu' or 'memory'.`,
  );
const PROTOBUF_FLAG = flag.bool(
  'use-protocol-buffers',
  undefined,
  true,
  'Enables using protocol-buffers to access Metrics API.',
);

interface Row {
  cells: string[];
  cpuMilli: number;
  memoryBytes: number;
}

export const topPodCommand: CommandDef = {
  path: ['top', 'pod'],
  aliases: ['pods', 'po'],
  short: 'Display resource (CPU/memory) usage of pods',
  usage: 'kubectl top pod [NAME | -l label] [options]',
  flags: [
    flag.allNamespaces(),
    flag.bool('containers', undefined, false, 'If present, print usage of containers within a pod.'),
    flag.string('field-selector', undefined, '', 'Selector (field query) to filter on.'),
    flag.bool('no-headers', undefined, false, 'If present, print output without headers.'),
    flag.selector(),
    SORT_FLAG('pods'),
    flag.bool('sum', undefined, false, 'Print the sum of the resource usage'),
    PROTOBUF_FLAG,
  ],
  run(ctx, args) {
    if (args.positional.length > 1) throw new UsageError('pod [NAME | -l label]');
    const name = args.positional[0] ?? '';
    const sortBy = validSortBy(args.flags['sort-by'] as string);
    const selector = args.flags.selector as string;
    const fieldSelector = args.flags['field-selector'] as string;
    if (name && (selector || fieldSelector))
      throw new CommandError('only one of NAME or selector can be provided');
    checkSelector(selector);
    const namespace = namespaceFlag(args);
    const all = args.flags['all-namespaces'] as boolean;
    const state = metricsState(ctx);
    const now = ctx.cluster.now();
    const metrics = name
      ? [podMetrics(state, now, namespace, name)]
      : podMetricsList(state, now, {
          namespace: all ? undefined : namespace,
          labelSelector: selector,
          fieldSelector,
        });
    if (metrics.length === 0) {
      verifyEmptyMetrics(ctx, namespace, selector, fieldSelector);
      ctx.stderr(all ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
      return 0;
    }
    ctx.stdout(
      podTable(metrics, {
        containers: args.flags.containers as boolean,
        withNamespace: all,
        noHeaders: args.flags['no-headers'] as boolean,
        sortBy,
        sum: args.flags.sum as boolean,
      }),
    );
    return 0;
  },
};

export const topNodeCommand: CommandDef = {
  path: ['top', 'node'],
  aliases: ['nodes', 'no'],
  short: 'Display resource (CPU/memory) usage of nodes',
  usage: 'kubectl top node [NAME | -l label] [options]',
  flags: [
    flag.bool('no-headers', undefined, false, 'If present, print output without headers'),
    flag.selector(),
    flag.bool(
      'show-capacity',
      undefined,
      false,
      'Print node resources based on Capacity instead of Allocatable(default) of the nodes.',
    ),
    SORT_FLAG('nodes'),
    PROTOBUF_FLAG,
  ],
  run(ctx, args) {
    if (args.positional.length > 1) throw new UsageError('node [NAME | -l label]');
    const name = args.positional[0] ?? '';
    const sortBy = validSortBy(args.flags['sort-by'] as string);
    const selector = args.flags.selector as string;
    if (name && selector) throw new CommandError('only one of NAME or --selector can be provided');
    checkSelector(selector);
    const state = metricsState(ctx);
    const now = ctx.cluster.now();
    const store = ctx.cluster.store;
    const metrics = name
      ? [nodeMetrics(state, store, now, name)]
      : nodeMetricsList(state, store, now, { labelSelector: selector });
    if (metrics.length === 0) throw new CommandError('metrics not available yet');
    const nodes = name
      ? [ctx.cluster.api.get<Node>('nodes', undefined, name)]
      : ctx.cluster.api.list<Node>('nodes', { labelSelector: selector || undefined });
    const capacity = args.flags['show-capacity'] as boolean;
    const available = new Map(
      nodes.map((n) => [n.metadata.name, capacity ? n.status.capacity : n.status.allocatable]),
    );
    ctx.stdout(nodeTable(metrics, available, args.flags['no-headers'] as boolean, sortBy));
    return 0;
  },
};

function validSortBy(sortBy: string): string {
  if (sortBy && sortBy !== 'cpu' && sortBy !== 'memory')
    throw new CommandError('--sort-by accepts only cpu or memory');
  return sortBy;
}

function checkSelector(selector: string): void {
  try {
    if (selector) parseRequirements(selector);
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw new CommandError(error.message);
    throw error;
  }
}

function metricsState(ctx: KubectlContext) {
  ctx.cluster.sync();
  const state = metricsServerFor(ctx.cluster.store).state(ctx.cluster.now());
  if (!state.available) throw new CommandError('Metrics API not available');
  return state;
}

/** kubectl's verifyEmptyMetrics: pods too young for metrics are waited for; older ones are named. */
function verifyEmptyMetrics(
  ctx: KubectlContext,
  namespace: string,
  selector: string,
  fieldSelector: string,
): void {
  const pods = ctx.cluster.api.list<Pod>('pods', {
    namespace,
    labelSelector: selector || undefined,
    fieldSelector: fieldSelector || undefined,
  });
  if (pods.length === 0) return;
  for (const pod of pods) {
    const age = ctx.cluster.now() - Date.parse(pod.metadata.creationTimestamp ?? '');
    if (age > METRICS_CREATION_DELAY_MS)
      throw new CommandError(
        `Metrics not available for pod ${pod.metadata.namespace}/${pod.metadata.name}, age: ${goDuration(age)}`,
      );
  }
  throw new CommandError('metrics not available yet');
}

function milli(text: string | undefined): number {
  return text ? Number(parseQuantity(text)?.milli ?? 0n) : 0;
}

/** CPU in nanocores (metrics-server's unit, kept exact so sums round once) and memory in bytes of a usage. */
function amounts(usage: Usage): { cpuNanos: number; memoryBytes: number } {
  const cpuNanos = usage.cpu.endsWith('n') ? Number(usage.cpu.slice(0, -1)) : milli(usage.cpu) * 1_000_000;
  return { cpuNanos, memoryBytes: Math.ceil(milli(usage.memory) / 1000) };
}

/** Quantity.MilliValue: rounded up. */
function toMilli(nanos: number): number {
  return Math.ceil(nanos / 1_000_000);
}

function usageCells(cpuMilli: number, memoryBytes: number): string[] {
  return [`${cpuMilli}m`, `${Math.floor(memoryBytes / MI)}Mi`];
}

function sortRows(rows: Row[], sortBy: string, byName: (a: Row, b: Row) => number): Row[] {
  if (sortBy === 'cpu') return rows.sort((a, b) => b.cpuMilli - a.cpuMilli);
  if (sortBy === 'memory') return rows.sort((a, b) => b.memoryBytes - a.memoryBytes);
  return rows.sort(byName);
}

function render(lines: string[][]): string {
  const writer = new TabWriter(GET_TABLE_OPTIONS);
  writer.write(lines.map((cells) => cells.map((c) => `${c}\t`).join('') + '\n').join(''));
  return writer.flush();
}

function podTable(
  metrics: PodMetrics[],
  o: { containers: boolean; withNamespace: boolean; noHeaders: boolean; sortBy: string; sum: boolean },
): string {
  const lines: string[][] = [];
  // kubectl counts the extra columns only when it prints the header (it uses the count for --sum's layout).
  let columns = 3;
  if (!o.noHeaders) {
    const header = ['NAME', 'CPU(cores)', 'MEMORY(bytes)'];
    if (o.containers) header.unshift('POD');
    if (o.withNamespace) header.unshift('NAMESPACE');
    columns = header.length;
    lines.push(header);
  }
  const pods = metrics.map((m) => {
    const containers = m.containers.map((c) => {
      const { cpuNanos, memoryBytes } = amounts(c.usage);
      return { name: c.name, cpuNanos, cpuMilli: toMilli(cpuNanos), memoryBytes };
    });
    const cpuNanos = containers.reduce((s, c) => s + c.cpuNanos, 0);
    return {
      m,
      containers,
      cpuNanos,
      cpuMilli: toMilli(cpuNanos),
      memoryBytes: containers.reduce((s, c) => s + c.memoryBytes, 0),
      cells: [] as string[],
    };
  });
  sortRows(pods, o.sortBy, (a, b) => {
    const x = (a as (typeof pods)[number]).m.metadata;
    const y = (b as (typeof pods)[number]).m.metadata;
    if (o.withNamespace && x.namespace !== y.namespace)
      return (x.namespace ?? '') < (y.namespace ?? '') ? -1 : 1;
    return x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
  });
  const prefix = (m: PodMetrics) => (o.withNamespace ? [m.metadata.namespace ?? ''] : []);
  for (const pod of pods) {
    if (!o.containers) {
      lines.push([...prefix(pod.m), pod.m.metadata.name, ...usageCells(pod.cpuMilli, pod.memoryBytes)]);
      continue;
    }
    const rows: Row[] = pod.containers.map((c) => ({ ...c, cells: [c.name] }));
    sortRows(rows, o.sortBy, (a, b) => (a.cells[0] < b.cells[0] ? -1 : a.cells[0] > b.cells[0] ? 1 : 0));
    for (const row of rows)
      lines.push([
        ...prefix(pod.m),
        pod.m.metadata.name,
        row.cells[0],
        ...usageCells(row.cpuMilli, row.memoryBytes),
      ]);
  }
  if (o.sum) {
    const cpu = toMilli(pods.reduce((s, p) => s + p.cpuNanos, 0));
    const memory = pods.reduce((s, p) => s + p.memoryBytes, 0);
    lines.push([...Array<string>(Math.max(0, columns - 2)).fill(''), '________', '________']);
    lines.push([...Array<string>(Math.max(0, columns - 3)).fill(''), '', ...usageCells(cpu, memory)]);
  }
  return render(lines);
}

function nodeTable(
  metrics: NodeMetrics[],
  available: Map<string, Record<string, string> | undefined>,
  noHeaders: boolean,
  sortBy: string,
): string {
  const lines: string[][] = noHeaders ? [] : [['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%']];
  const rows: Row[] = metrics.map((m) => {
    const { cpuNanos, memoryBytes } = amounts(m.usage);
    return { cells: [m.metadata.name], cpuMilli: toMilli(cpuNanos), memoryBytes };
  });
  sortRows(rows, sortBy, (a, b) => (a.cells[0] < b.cells[0] ? -1 : a.cells[0] > b.cells[0] ? 1 : 0));
  const remaining = new Map(available);
  for (const row of rows) {
    const name = row.cells[0];
    const resources = remaining.get(name);
    const cells = [name, `${row.cpuMilli}m`];
    const cpuAvailable = milli(resources?.cpu);
    if (resources?.cpu !== undefined) cells.push(`${Math.trunc((row.cpuMilli / cpuAvailable) * 100)}%`);
    cells.push(`${Math.floor(row.memoryBytes / MI)}Mi`);
    const memoryAvailable = milli(resources?.memory);
    // kubectl divides MilliValues: memory in thousandths of a byte on both sides.
    if (resources?.memory !== undefined)
      cells.push(`${Math.trunc(((row.memoryBytes * 1000) / memoryAvailable) * 100)}%`);
    lines.push(cells);
    remaining.delete(name);
  }
  // Nodes the Metrics API has nothing for, in map order in kubectl (random); sorted here.
  for (const name of [...remaining.keys()].sort())
    lines.push([name, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
  return render(lines);
}
