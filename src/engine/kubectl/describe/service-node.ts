import type { Lease } from '../../api/coordination-types';
import type { Endpoints, KubeEvent, Node, Pod, Service, Taint } from '../../api/types';
import { ageSince } from '../duration';
import { formatEndpoints } from '../printers/columns';
import { formatLabels, rfc1123z } from '../printers/format';
import { DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './common';

/** `kubectl describe service` (§5.9). */
export function describeService(
  svc: Service,
  endpoints: Endpoints | undefined,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  const spec = svc.spec;
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
  writeLabels(w, 'Labels', svc.metadata.labels);
  writeAnnotations(w, 'Annotations', svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? 'ClusterIP'}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  for (const port of spec.ports ?? []) {
    const name = port.name || '<unset>';
    w.write(0, `Port:\t${name}\t${port.port}/${port.protocol}\n`);
    w.write(0, `TargetPort:\t${port.targetPort ?? port.port}/${port.protocol}\n`);
    if (port.nodePort) w.write(0, `NodePort:\t${name}\t${port.nodePort}/${port.protocol}\n`);
    const formatted = endpoints ? formatEndpoints(endpoints, port.name ?? '') : '<none>';
    w.write(0, `Endpoints:\t${formatted === '' ? '<none>' : formatted}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (events) writeEvents(w, events, now);
  return w;
}

/** `kubectl describe node`, with the sections a minikube node shows. */
export function describeNode(
  node: Node,
  pods: Pod[],
  events: KubeEvent[] | undefined,
  now: number,
  lease: Lease | { error: string },
): DescribeWriter {
  const w = new DescribeWriter();
  const labels = node.metadata.labels ?? {};
  const roles = Object.keys(labels)
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  w.write(0, `Name:\t${node.metadata.name}\n`);
  w.write(0, `Roles:\t${roles.join(',') || '<none>'}\n`);
  writeLabels(w, 'Labels', node.metadata.labels);
  writeAnnotations(w, 'Annotations', node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
  // printTaintsMultilineWithIndent sorts by effect, then key.
  const taintOrder = (t: Taint) => `${t.effect},${t.key}`;
  const taints = [...(node.spec.taints ?? [])].sort((a, b) =>
    taintOrder(a) < taintOrder(b) ? -1 : taintOrder(a) > taintOrder(b) ? 1 : 0,
  );
  w.write(
    0,
    `Taints:\t${taints.length === 0 ? '<none>' : taints.map((t) => `${t.key}${t.value ? '=' + t.value : ''}:${t.effect}`).join('\n\t')}\n`,
  );
  w.write(0, `Unschedulable:\t${node.spec.unschedulable ? 'true' : 'false'}\n`);
  // The kubelet's heartbeat Lease (kube-node-lease/<node>), as kubectl reads it.
  if ('error' in lease) w.write(0, `Lease:\tFailed to get lease: ${lease.error}\n`);
  else {
    const spec = lease.spec ?? {};
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${spec.acquireTime ? rfc1123z(spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${spec.renewTime ? rfc1123z(spec.renewTime) : '<unset>'}\n`);
  }
  w.write(0, 'Conditions:\n');
  w.write(1, 'Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
  w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
  for (const c of node.status.conditions)
    w.write(
      1,
      `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason} \t${c.message}\n`,
    );
  w.write(0, 'Addresses:\n');
  for (const a of node.status.addresses) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, values] of [
    ['Capacity', node.status.capacity],
    ['Allocatable', node.status.allocatable],
  ] as const) {
    w.write(0, `${title}:\n`);
    for (const key of Object.keys(values).sort()) w.write(1, `${key}:\t${values[key]}\n`);
  }
  const info = node.status.nodeInfo;
  w.write(0, 'System Info:\n');
  for (const [label, value] of [
    ['Machine ID', info.machineID],
    ['System UUID', info.systemUUID],
    ['Boot ID', info.bootID],
    ['Kernel Version', info.kernelVersion],
    ['OS Image', info.osImage],
    ['Operating System', info.operatingSystem],
    ['Architecture', info.architecture],
    ['Container Runtime Version', info.containerRuntimeVersion],
    ['Kubelet Version', info.kubeletVersion],
    ['Kube-Proxy Version', info.kubeProxyVersion],
  ])
    w.write(1, `${label}:\t${value}\n`);
  if (node.spec.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  const running = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  w.write(0, `Non-terminated Pods:\t(${running.length} in total)\n`);
  // kubectl's format has an empty column after Name (two tabs), which widens the gap before CPU Requests.
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const cpuCapacity = parseCpu(node.status.allocatable.cpu ?? '0');
  const memCapacity = parseMemory(node.status.allocatable.memory ?? '0');
  const totals = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  for (const pod of running) {
    const sum = (kind: 'requests' | 'limits', res: 'cpu' | 'memory') =>
      pod.spec.containers.reduce(
        (n, c) =>
          n +
          (res === 'cpu'
            ? parseCpu(c.resources?.[kind]?.cpu ?? '0')
            : parseMemory(c.resources?.[kind]?.memory ?? '0')),
        0,
      );
    const cpuReq = sum('requests', 'cpu');
    const cpuLim = sum('limits', 'cpu');
    const memReq = sum('requests', 'memory');
    const memLim = sum('limits', 'memory');
    totals.cpuReq += cpuReq;
    totals.cpuLim += cpuLim;
    totals.memReq += memReq;
    totals.memLim += memLim;
    w.write(
      1,
      `${pod.metadata.namespace}\t${pod.metadata.name}\t\t${cpuCell(cpuReq, cpuCapacity)}\t${cpuCell(cpuLim, cpuCapacity)}\t${memCell(memReq, memCapacity)}\t${memCell(memLim, memCapacity)}\t${ageSince(pod.metadata.creationTimestamp, now)}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  w.write(1, `cpu\t${cpuCell(totals.cpuReq, cpuCapacity)}\t${cpuCell(totals.cpuLim, cpuCapacity)}\n`);
  w.write(1, `memory\t${memCell(totals.memReq, memCapacity)}\t${memCell(totals.memLim, memCapacity)}\n`);
  for (const extra of ['ephemeral-storage', 'hugepages-1Gi', 'hugepages-2Mi'])
    w.write(1, `${extra}\t0 (0%)\t0 (0%)\n`);
  if (events) writeEvents(w, events, now);
  return w;
}

/** Millicores. */
function parseCpu(value: string): number {
  return value.endsWith('m') ? Number(value.slice(0, -1)) : Number(value) * 1000;
}

/** Bytes. */
function parseMemory(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(value);
  if (!match) return 0;
  const factor: Record<string, number> = {
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Number(match[1]) * (match[2] ? factor[match[2]] : 1);
}

function percent(value: number, capacity: number): number {
  return capacity > 0 ? Math.floor((value / capacity) * 100) : 0;
}

function cpuCell(millis: number, capacity: number): string {
  const text = millis === 0 ? '0' : millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
  return `${text} (${percent(millis, capacity)}%)`;
}

function memCell(bytes: number, capacity: number): string {
  const text =
    bytes === 0
      ? '0'
      : bytes % 1024 ** 2 === 0
        ? `${bytes / 1024 ** 2}Mi`
        : bytes % 1024 === 0
          ? `${bytes / 1024}Ki`
          : String(bytes);
  return `${text} (${percent(bytes, capacity)}%)`;
}
