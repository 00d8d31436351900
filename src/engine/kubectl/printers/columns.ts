import type { Lease } from '../../api/coordination-types';
import type { ResourceName } from '../../api/resources';
import type {
  Deployment,
  Endpoints,
  KubeEvent,
  KubeObject,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  Service,
} from '../../api/types';
import { ageSince } from '../duration';
import { formatLabelSelector, formatLabels } from './format';
import { podRowState } from './pod-status';
import { CONFIG_COLUMNS } from './config-columns';
import { POLICY_COLUMNS } from './policy-columns';
import { WORKLOAD_COLUMNS } from './workload-columns';
import { BATCH_COLUMNS } from './batch-columns';
import { STORAGE_COLUMNS } from './storage-columns';
import { CLUSTER_COLUMNS, TABLE_ORDER } from './cluster-columns';
import { NETWORK_COLUMNS } from './network-columns';

/** A server-side printer column; `wide` ones show only with `-o wide` (Priority != 0). */
export interface Column<T> {
  header: string;
  wide?: boolean;
  cell(obj: T, now: number): string;
}

const name: Column<KubeObject> = { header: 'NAME', cell: (o) => o.metadata.name };
const age: Column<KubeObject> = {
  header: 'AGE',
  cell: (o, now) => ageSince(o.metadata.creationTimestamp, now),
};

const podColumns: Column<Pod>[] = [
  name,
  { header: 'READY', cell: (p, now) => rowState(p, now).ready },
  { header: 'STATUS', cell: (p, now) => rowState(p, now).status },
  { header: 'RESTARTS', cell: (p, now) => rowState(p, now).restarts },
  age,
  { header: 'IP', wide: true, cell: (p) => p.status?.podIPs?.[0]?.ip || p.status?.podIP || '<none>' },
  { header: 'NODE', wide: true, cell: (p) => p.spec.nodeName || '<none>' },
  { header: 'NOMINATED NODE', wide: true, cell: () => '<none>' },
  { header: 'READINESS GATES', wide: true, cell: () => '<none>' },
];

/** The pod's READY, STATUS and RESTARTS, worked out once for the three cells of one tableRow (outside a row, every
 *  time: a caller may change a pod between two calls). */
let rowPodState: { pod: Pod; now: number; state: ReturnType<typeof podRowState> } | undefined;
let inRow = false;
function rowState(pod: Pod, now: number): ReturnType<typeof podRowState> {
  if (!inRow) return podRowState(pod, now);
  if (rowPodState?.pod !== pod || rowPodState.now !== now)
    rowPodState = { pod, now, state: podRowState(pod, now) };
  return rowPodState.state;
}

const containers = (spec: { template: { spec: { containers: { name: string; image: string }[] } } }) =>
  spec.template.spec.containers;

const deploymentColumns: Column<Deployment>[] = [
  name,
  { header: 'READY', cell: (d) => `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}` },
  { header: 'UP-TO-DATE', cell: (d) => String(d.status?.updatedReplicas ?? 0) },
  { header: 'AVAILABLE', cell: (d) => String(d.status?.availableReplicas ?? 0) },
  age,
  {
    header: 'CONTAINERS',
    wide: true,
    cell: (d) =>
      containers(d.spec)
        .map((c) => c.name)
        .join(','),
  },
  {
    header: 'IMAGES',
    wide: true,
    cell: (d) =>
      containers(d.spec)
        .map((c) => c.image)
        .join(','),
  },
  { header: 'SELECTOR', wide: true, cell: (d) => formatLabelSelector(d.spec.selector) },
];

const replicaSetColumns: Column<ReplicaSet>[] = [
  name,
  { header: 'DESIRED', cell: (r) => String(r.spec.replicas ?? 1) },
  { header: 'CURRENT', cell: (r) => String(r.status?.replicas ?? 0) },
  { header: 'READY', cell: (r) => String(r.status?.readyReplicas ?? 0) },
  age,
  {
    header: 'CONTAINERS',
    wide: true,
    cell: (r) =>
      containers(r.spec)
        .map((c) => c.name)
        .join(','),
  },
  {
    header: 'IMAGES',
    wide: true,
    cell: (r) =>
      containers(r.spec)
        .map((c) => c.image)
        .join(','),
  },
  { header: 'SELECTOR', wide: true, cell: (r) => formatLabelSelector(r.spec.selector) },
];

export function servicePorts(svc: Service): string {
  const ports = svc.spec.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(',');
}

function serviceExternalIp(svc: Service): string {
  const external = svc.spec.externalIPs ?? [];
  if (svc.spec.type === 'LoadBalancer') {
    const ingress = (svc.status?.loadBalancer.ingress ?? []).map((i) => i.ip || i.hostname || '');
    const all = [...ingress, ...external].filter((x) => x !== '');
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  if (svc.spec.type === 'ExternalName')
    return (svc.spec as { externalName?: string }).externalName ?? '<none>';
  return external.length > 0 ? external.join(',') : '<none>';
}

const serviceColumns: Column<Service>[] = [
  name,
  { header: 'TYPE', cell: (s) => s.spec.type ?? 'ClusterIP' },
  { header: 'CLUSTER-IP', cell: (s) => s.spec.clusterIPs?.[0] || s.spec.clusterIP || '<none>' },
  { header: 'EXTERNAL-IP', cell: serviceExternalIp },
  { header: 'PORT(S)', cell: servicePorts },
  age,
  { header: 'SELECTOR', wide: true, cell: (s) => formatLabels(s.spec.selector) },
];

/** formatEndpoints: `ip:port` for the first 3, then ` + N more...`; no subsets → `<none>`. */
export function formatEndpoints(endpoints: Endpoints | undefined, portName?: string): string {
  const subsets = endpoints?.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  const add = (entry: string) => {
    if (list.length < 3) list.push(entry);
    count++;
  };
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    if (!subset.ports || subset.ports.length === 0) addresses.forEach((a) => add(a.ip));
    else
      for (const port of subset.ports)
        if (portName === undefined || (port.name ?? '') === portName)
          addresses.forEach((a) => add(`${a.ip}:${port.port}`));
  }
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

const endpointsColumns: Column<Endpoints>[] = [
  name,
  { header: 'ENDPOINTS', cell: (e) => formatEndpoints(e) },
  age,
];

function nodeStatus(node: Node): string {
  const ready = node.status.conditions.find((c) => c.type === 'Ready');
  const status = !ready
    ? 'Unknown'
    : ready.status === 'True'
      ? 'Ready'
      : ready.status === 'False'
        ? 'NotReady'
        : 'Unknown';
  return node.spec.unschedulable ? `${status},SchedulingDisabled` : status;
}

function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) roles.add(key.slice('node-role.kubernetes.io/'.length));
    else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

const nodeAddress = (node: Node, type: string) =>
  node.status.addresses.find((a) => a.type === type)?.address ?? '<none>';

const nodeColumns: Column<Node>[] = [
  name,
  { header: 'STATUS', cell: nodeStatus },
  { header: 'ROLES', cell: nodeRoles },
  age,
  { header: 'VERSION', cell: (n) => n.status.nodeInfo.kubeletVersion },
  { header: 'INTERNAL-IP', wide: true, cell: (n) => nodeAddress(n, 'InternalIP') },
  { header: 'EXTERNAL-IP', wide: true, cell: (n) => nodeAddress(n, 'ExternalIP') },
  { header: 'OS-IMAGE', wide: true, cell: (n) => n.status.nodeInfo.osImage || '<unknown>' },
  { header: 'KERNEL-VERSION', wide: true, cell: (n) => n.status.nodeInfo.kernelVersion || '<unknown>' },
  {
    header: 'CONTAINER-RUNTIME',
    wide: true,
    cell: (n) => n.status.nodeInfo.containerRuntimeVersion || '<unknown>',
  },
];

const namespaceColumns: Column<Namespace>[] = [name, { header: 'STATUS', cell: (n) => n.status.phase }, age];

const eventColumns: Column<KubeEvent>[] = [
  { header: 'LAST SEEN', cell: (e, now) => ageSince(e.lastTimestamp || e.firstTimestamp, now) },
  { header: 'TYPE', cell: (e) => e.type },
  { header: 'REASON', cell: (e) => e.reason },
  { header: 'OBJECT', cell: (e) => `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}` },
  { header: 'SUBOBJECT', wide: true, cell: (e) => e.involvedObject.fieldPath ?? '' },
  {
    header: 'SOURCE',
    wide: true,
    cell: (e) => [e.source.component, e.source.host].filter(Boolean).join(', '),
  },
  { header: 'MESSAGE', cell: (e) => e.message },
  { header: 'FIRST SEEN', wide: true, cell: (e, now) => ageSince(e.firstTimestamp, now) },
  { header: 'COUNT', wide: true, cell: (e) => String(e.count) },
  { header: 'NAME', wide: true, cell: (e) => e.metadata.name },
];

/** printLease: the holder's identity, empty when nobody holds the lease. */
const leaseColumns: Column<Lease>[] = [
  name,
  { header: 'HOLDER', cell: (l) => l.spec?.holderIdentity ?? '' },
  age,
];

/** The review APIs are never listed (the server answers 405), so they have no printer of their own. */
const unlisted: Column<KubeObject>[] = [name, age];

const COLUMNS: Record<ResourceName, Column<never>[]> = {
  pods: podColumns,
  deployments: deploymentColumns,
  replicasets: replicaSetColumns,
  services: serviceColumns,
  endpoints: endpointsColumns,
  nodes: nodeColumns,
  namespaces: namespaceColumns,
  events: eventColumns,
  leases: leaseColumns,
  selfsubjectreviews: unlisted,
  tokenreviews: unlisted,
  localsubjectaccessreviews: unlisted,
  selfsubjectaccessreviews: unlisted,
  selfsubjectrulesreviews: unlisted,
  subjectaccessreviews: unlisted,
  ...(CONFIG_COLUMNS as unknown as Record<keyof typeof CONFIG_COLUMNS, Column<never>[]>),
  ...(POLICY_COLUMNS as unknown as Record<keyof typeof POLICY_COLUMNS, Column<never>[]>),
  ...(WORKLOAD_COLUMNS as unknown as Record<keyof typeof WORKLOAD_COLUMNS, Column<never>[]>),
  ...(BATCH_COLUMNS as unknown as Record<keyof typeof BATCH_COLUMNS, Column<never>[]>),
  ...(STORAGE_COLUMNS as unknown as Record<keyof typeof STORAGE_COLUMNS, Column<never>[]>),
  ...(CLUSTER_COLUMNS as unknown as Record<keyof typeof CLUSTER_COLUMNS, Column<never>[]>),
  ...(NETWORK_COLUMNS as unknown as Record<keyof typeof NETWORK_COLUMNS, Column<never>[]>),
};

/**
 * The server-side column definitions of a resource, as the API server's Table answer lists them (the built-in
 * printers and `engine serve`'s `as=Table` share them). Kinds without a printer get NAME and CREATED AT.
 */
export function tableColumns(resource: string): readonly Column<KubeObject>[] | undefined {
  return (COLUMNS as Record<string, Column<KubeObject>[] | undefined>)[resource];
}

/** The rows of a server-side table in the order the API server prints them (TABLE_ORDER; otherwise as listed). */
export function inTableOrder<T extends KubeObject>(resource: string, objects: T[]): T[] {
  const order = (TABLE_ORDER as Record<string, ((a: KubeObject, b: KubeObject) => number) | undefined>)[
    resource
  ];
  return order ? [...objects].sort(order) : objects;
}

export interface TableOptions {
  wide: boolean;
  /** NAMESPACE first column (`-A`). */
  withNamespace: boolean;
  showLabels: boolean;
  /** `kind.group/` prefix on names (several types in one `get`). */
  namePrefix?: string;
  /** `-L key,...`: one column per label key, before LABELS. */
  labelColumns?: readonly string[];
}

/** A `-L` column's header: the key's last `/`-separated part, upper-cased (cli-runtime tableprinter). */
function labelColumnHeader(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).toUpperCase();
}

export function tableHeaders(resource: ResourceName, options: TableOptions): string[] {
  const headers = COLUMNS[resource].filter((c) => options.wide || !c.wide).map((c) => c.header);
  if (options.withNamespace) headers.unshift('NAMESPACE');
  for (const key of options.labelColumns ?? []) headers.push(labelColumnHeader(key));
  if (options.showLabels) headers.push('LABELS');
  return headers;
}

/**
 * kubectl's table printer cuts a cell at its first line break (newline, carriage return or form feed) and marks
 * the cut with `...` (an exec probe's output ends in a newline, so its Unhealthy events print that way).
 */
function printedCell(cell: string): string {
  const at = cell.search(/[\f\n\r]/);
  return at < 0 ? cell : `${cell.slice(0, at)}...`;
}

/** Each resource's columns shown with and without `-o wide`, filtered once instead of on every row. */
const VISIBLE = new Map<string, readonly Column<KubeObject>[]>();
const VISIBLE_WIDE = new Map<string, readonly Column<KubeObject>[]>();
function visibleColumns(resource: ResourceName, wide: boolean): readonly Column<KubeObject>[] {
  const cache = wide ? VISIBLE_WIDE : VISIBLE;
  let columns = cache.get(resource);
  if (!columns) {
    columns = (COLUMNS[resource] as Column<KubeObject>[]).filter((c) => wide || !c.wide);
    cache.set(resource, columns);
  }
  return columns;
}

export function tableRow(
  resource: ResourceName,
  obj: KubeObject,
  now: number,
  options: TableOptions,
): string[] {
  const columns = visibleColumns(resource, options.wide);
  const cells: string[] = [];
  if (options.withNamespace) cells.push(obj.metadata.namespace ?? '');
  const first = cells.length;
  inRow = true;
  try {
    for (let i = 0; i < columns.length; i++) cells.push(printedCell(columns[i].cell(obj, now)));
  } finally {
    inRow = false;
    rowPodState = undefined;
  }
  if (options.namePrefix && resource !== 'events') cells[first] = `${options.namePrefix}/${cells[first]}`;
  for (const key of options.labelColumns ?? []) cells.push(obj.metadata.labels?.[key] ?? '');
  if (options.showLabels) cells.push(formatLabels(obj.metadata.labels));
  return cells;
}
