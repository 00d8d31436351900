/**
 * `kubectl describe` for EndpointSlice, Ingress, IngressClass and NetworkPolicy (describe.go
 * describeEndpointSliceV1, describeIngressV1, describeIngressClassV1, describeNetworkPolicy; reference breadth
 * §7.3, §7.4). An Ingress backend shows the ready addresses of its Service's Endpoints object, as 1.30 reads them.
 */
import type {
  EndpointSlice,
  Ingress,
  IngressBackend,
  IngressClass,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from '../../api/network-types';
import type { Endpoints, KubeEvent, Service } from '../../api/types';
import { formatEndpoints } from '../printers/columns';
import { formatLabelSelector } from '../printers/format';
import { ingressAddress } from '../printers/network-columns';
import { DescribeWriter, writeAnnotations, writeEvents, writeLabels } from './common';

export function describeEndpointSlice(
  slice: EndpointSlice,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${slice.metadata.name}\n`);
  w.write(0, `Namespace:\t${slice.metadata.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', slice.metadata.labels);
  writeAnnotations(w, 'Annotations', slice.metadata.annotations);
  w.write(0, `AddressType:\t${slice.addressType}\n`);
  const ports = slice.ports ?? [];
  if (ports.length === 0) w.write(0, 'Ports: <unset>\n');
  else {
    w.write(0, 'Ports:\n');
    w.write(1, 'Name\tPort\tProtocol\n');
    w.write(1, '----\t----\t--------\n');
    for (const p of ports)
      w.write(
        1,
        `${p.name || '<unset>'}\t${p.port !== undefined ? p.port : '<unset>'}\t${p.protocol ?? ''}\n`,
      );
  }
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length === 0) w.write(0, 'Endpoints: <none>\n');
  else {
    w.write(0, 'Endpoints:\n');
    for (const e of endpoints) {
      w.write(1, `- Addresses:\t${e.addresses.join(', ') || '<none>'}\n`);
      w.write(2, 'Conditions:\n');
      const ready = e.conditions?.ready;
      w.write(3, `Ready:\t${ready === undefined ? '<unset>' : String(ready)}\n`);
      w.write(2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
      if (e.targetRef) w.write(2, `TargetRef:\t${e.targetRef.kind}/${e.targetRef.name}\n`);
      w.write(2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
      w.write(2, `Zone:\t${e.zone ?? '<unset>'}\n`);
    }
  }
  if (events) writeEvents(w, events, now);
  return w;
}

/** What describe reads for a backend: its Service and that Service's Endpoints, or the error of either read. */
export interface BackendLookup {
  endpoints(namespace: string, name: string): Endpoints | { error: string };
  service(namespace: string, name: string): Service | { error: string };
}

/** describeBackendV1: `svc:port (ready endpoints of the matching service port)`. */
export function describeBackend(namespace: string, backend: IngressBackend, lookup: BackendLookup): string {
  const svcBackend = backend.service;
  if (svcBackend) {
    const port = svcBackend.port.number ? String(svcBackend.port.number) : (svcBackend.port.name ?? '');
    const label = `${svcBackend.name}:${port}`;
    const endpoints = lookup.endpoints(namespace, svcBackend.name);
    if ('error' in endpoints) return `${label} (<error: ${endpoints.error}>)`;
    const service = lookup.service(namespace, svcBackend.name);
    if ('error' in service) return `${label}(<error: ${service.error}>)`;
    let portName = '';
    for (const sp of service.spec.ports ?? []) {
      if (svcBackend.port.number && svcBackend.port.number === sp.port) portName = sp.name ?? '';
      else if (svcBackend.port.name && svcBackend.port.name === sp.name) portName = sp.name ?? '';
    }
    return `${label} (${formatEndpoints(endpoints, portName)})`;
  }
  const resource = backend.resource;
  if (resource)
    return `APIGroup: ${resource.apiGroup ?? '<none>'}, Kind: ${resource.kind}, Name: ${resource.name}`;
  return '';
}

export function describeIngress(
  ing: Ingress,
  lookup: BackendLookup,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  const namespace = ing.metadata.namespace ?? '';
  w.write(0, `Name:\t${ing.metadata.name}\n`);
  writeLabels(w, 'Labels', ing.metadata.labels);
  w.write(0, `Namespace:\t${namespace}\n`);
  w.write(0, `Address:\t${ingressAddress(ing)}\n`);
  w.write(0, `Ingress Class:\t${ing.spec.ingressClassName ?? '<none>'}\n`);
  const def = ing.spec.defaultBackend;
  w.write(0, `Default backend:\t${def ? describeBackend(namespace, def, lookup) : '<default>'}\n`);
  const tls = ing.spec.tls ?? [];
  if (tls.length > 0) {
    w.write(0, 'TLS:\n');
    for (const t of tls) {
      const hosts = (t.hosts ?? []).join(',');
      w.write(1, t.secretName ? `${t.secretName} terminates ${hosts}\n` : `SNI routes ${hosts}\n`);
    }
  }
  w.write(0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(1, '----\t----\t--------\n');
  let count = 0;
  for (const rule of ing.spec.rules ?? []) {
    if (!rule.http) continue;
    count++;
    w.write(1, `${rule.host || '*'}\t\n`);
    for (const path of rule.http.paths)
      w.write(2, `\t${path.path ?? ''} \t${describeBackend(namespace, path.backend, lookup)}\n`);
  }
  if (count === 0)
    w.write(1, `*\t*\t${def ? describeBackend(namespace, def, lookup) : '<default backend>'}\n`);
  writeAnnotations(w, 'Annotations', ing.metadata.annotations);
  if (events) writeEvents(w, events, now);
  return w;
}

export function describeIngressClass(
  ic: IngressClass,
  events: KubeEvent[] | undefined,
  now: number,
): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${ic.metadata.name}\n`);
  writeLabels(w, 'Labels', ic.metadata.labels);
  writeAnnotations(w, 'Annotations', ic.metadata.annotations);
  w.write(0, `Controller:\t${ic.spec.controller ?? ''}\n`);
  const params = ic.spec.parameters;
  if (params) {
    w.write(0, 'Parameters:\n');
    if (params.apiGroup !== undefined) w.write(1, `APIGroup:\t${params.apiGroup}\n`);
    w.write(1, `Kind:\t${params.kind}\n`);
    w.write(1, `Name:\t${params.name}\n`);
  }
  if (events) writeEvents(w, events, now);
  return w;
}

/** Go's time.Time String() of a UTC timestamp: `2024-06-03 02:15:00 +0000 UTC`. */
function goTime(rfc3339: string | undefined): string {
  if (!rfc3339) return '0001-01-01 00:00:00 +0000 UTC';
  return `${rfc3339.replace('T', ' ').replace('Z', '')} +0000 UTC`;
}

function writePorts(w: DescribeWriter, ports: NetworkPolicyPort[] | undefined, indent: string): void {
  if (!ports || ports.length === 0) {
    w.write(0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    return;
  }
  for (const port of ports) {
    const proto = port.protocol ?? 'TCP';
    const number = port.port === undefined ? '<nil>' : String(port.port);
    if (port.endPort === undefined) w.write(0, `${indent}To Port: ${number}/${proto}\n`);
    else w.write(0, `${indent}To Port Range: ${number}-${port.endPort}/${proto}\n`);
  }
}

function writePeers(w: DescribeWriter, peers: NetworkPolicyPeer[], title: string, indent: string): void {
  for (const peer of peers) {
    w.write(0, `${indent}${title}:\n`);
    if (peer.podSelector && peer.namespaceSelector) {
      w.write(1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
      w.write(1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
    } else if (peer.podSelector)
      w.write(1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
    else if (peer.namespaceSelector)
      w.write(1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
    else if (peer.ipBlock) {
      w.write(1, `${indent}IPBlock:\n`);
      w.write(2, `${indent}CIDR: ${peer.ipBlock.cidr}\n`);
      w.write(2, `${indent}Except: ${(peer.ipBlock.except ?? []).join(', ')}\n`);
    }
  }
}

type Direction = 'ingress' | 'egress';

function writeRules(w: DescribeWriter, policy: NetworkPolicy, direction: Direction): void {
  const indent = '    ';
  const rules =
    direction === 'ingress'
      ? (policy.spec.ingress ?? []).map((r) => ({ ports: r.ports, peers: r.from }))
      : (policy.spec.egress ?? []).map((r) => ({ ports: r.ports, peers: r.to }));
  if (rules.length === 0) {
    w.write(0, `${indent}<none> (Selected pods are isolated for ${direction} connectivity)\n`);
    return;
  }
  rules.forEach((rule, i) => {
    writePorts(w, rule.ports, indent);
    if (!rule.peers || rule.peers.length === 0)
      w.write(
        0,
        direction === 'ingress'
          ? `${indent}From: <any> (traffic not restricted by source)\n`
          : `${indent}To: <any> (traffic not restricted by destination)\n`,
      );
    else writePeers(w, rule.peers, direction === 'ingress' ? 'From' : 'To', indent);
    if (i !== rules.length - 1) w.write(0, `${indent}----------\n`);
  });
}

/** describeNetworkPolicy: no events section (the describer never lists them). */
export function describeNetworkPolicy(policy: NetworkPolicy): DescribeWriter {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${policy.metadata.name}\n`);
  w.write(0, `Namespace:\t${policy.metadata.namespace ?? ''}\n`);
  w.write(0, `Created on:\t${goTime(policy.metadata.creationTimestamp)}\n`);
  writeLabels(w, 'Labels', policy.metadata.labels);
  writeAnnotations(w, 'Annotations', policy.metadata.annotations);
  w.write(0, 'Spec:\n');
  w.write(1, 'PodSelector: ');
  const selector = policy.spec.podSelector ?? {};
  const empty =
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  w.write(
    2,
    empty
      ? '<none> (Allowing the specific traffic to all pods in this namespace)\n'
      : `${formatLabelSelector(selector)}\n`,
  );
  const types = policy.spec.policyTypes ?? [];
  for (const direction of ['ingress', 'egress'] as const) {
    const title = direction === 'ingress' ? 'Ingress' : 'Egress';
    if (types.includes(title)) {
      w.write(1, `Allowing ${direction} traffic:\n`);
      writeRules(w, policy, direction);
    } else w.write(1, `Not affecting ${direction} traffic\n`);
  }
  w.write(1, `Policy Types: ${types.join(', ')}\n`);
  return w;
}
