/**
 * Server-side table columns of EndpointSlice, Ingress, IngressClass and NetworkPolicy (printers.go
 * printEndpointSlice, printIngress, printIngressClass, printNetworkPolicy; reference breadth §7.3, §7.4). The API
 * server builds its tables as wide ones, so a long ADDRESS is never cut.
 */
import type {
  EndpointSlice,
  Ingress,
  IngressClass,
  IngressRule,
  NetworkPolicy,
} from '../../api/network-types';
import type { KubeObject } from '../../api/types';
import { ageSince } from '../duration';
import type { Column } from './columns';
import { formatLabelSelector } from './format';

const name: Column<KubeObject> = { header: 'NAME', cell: (o) => o.metadata.name };
const age: Column<KubeObject> = {
  header: 'AGE',
  cell: (o, now) => ageSince(o.metadata.creationTimestamp, now),
};

/** listWithMoreString: the first three, then ` + N more...`; nothing at all is `<unset>`. */
function listWithMore(items: string[]): string {
  if (items.length > 3) return `${items.slice(0, 3).join(',')} + ${items.length - 3} more...`;
  return items.length === 0 ? '<unset>' : items.join(',');
}

export function sliceEndpoints(slice: EndpointSlice): string {
  return listWithMore((slice.endpoints ?? []).flatMap((e) => e.addresses));
}

export function slicePorts(slice: EndpointSlice): string {
  return listWithMore(
    (slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*'))),
  );
}

/** formatHosts: the rules' hosts (empty ones skipped), three at most; `*` when none names one. */
export function ingressHosts(rules: IngressRule[] | undefined): string {
  const hosts = (rules ?? []).map((r) => r.host ?? '').filter((h) => h !== '');
  if (hosts.length === 0) return '*';
  return hosts.length > 3 ? `${hosts.slice(0, 3).join(',')} + ${hosts.length - 3} more...` : hosts.join(',');
}

export function ingressAddress(ing: Ingress): string {
  return (ing.status?.loadBalancer?.ingress ?? [])
    .map((i) => i.ip || i.hostname || '')
    .filter((a) => a !== '')
    .join(',');
}

export function ingressClassParameters(ic: IngressClass): string {
  const p = ic.spec.parameters;
  if (!p) return '<none>';
  return `${p.kind}${p.apiGroup !== undefined ? `.${p.apiGroup}` : ''}/${p.name}`;
}

export const NETWORK_COLUMNS = {
  endpointslices: [
    name,
    { header: 'ADDRESSTYPE', cell: (s) => s.addressType },
    { header: 'PORTS', cell: slicePorts },
    { header: 'ENDPOINTS', cell: sliceEndpoints },
    age,
  ] as Column<EndpointSlice>[],
  ingresses: [
    name,
    { header: 'CLASS', cell: (i) => i.spec.ingressClassName ?? '<none>' },
    { header: 'HOSTS', cell: (i) => ingressHosts(i.spec.rules) },
    { header: 'ADDRESS', cell: ingressAddress },
    { header: 'PORTS', cell: (i) => ((i.spec.tls ?? []).length > 0 ? '80, 443' : '80') },
    age,
  ] as Column<Ingress>[],
  ingressclasses: [
    name,
    { header: 'CONTROLLER', cell: (c) => c.spec.controller ?? '' },
    { header: 'PARAMETERS', cell: ingressClassParameters },
    age,
  ] as Column<IngressClass>[],
  networkpolicies: [
    name,
    { header: 'POD-SELECTOR', cell: (p) => formatLabelSelector(p.spec.podSelector) },
    age,
  ] as Column<NetworkPolicy>[],
} as const;
