/**
 * Cluster DNS as CoreDNS's kubernetes plugin answers it (kube-dns Service 10.96.0.10), and the pod resolver's
 * search path. Records under `cluster.local`:
 * - `svc.ns.svc.cluster.local`: the Service's cluster IP; a headless Service's ready endpoints' addresses;
 * - `host.svc.ns.svc.cluster.local`: the address of a headless Service's endpoint with that hostname (a
 *   StatefulSet pod `db-0` under its governing Service `db`).
 * Anything else under the zone is NXDOMAIN; names outside it are not served in the lab (no upstream).
 */
import type { EndpointSlice } from '../api/network-types';
import { SERVICE_NAME_LABEL } from '../api/network-types';
import type { Service } from '../api/types';
import type { ObjectStore } from '../store/store';

export const CLUSTER_DOMAIN = 'cluster.local';
export const DNS_SERVER = '10.96.0.10';

/** The pod's resolv.conf search list (ClusterFirst DNS policy). */
export function searchDomains(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

function readyAddresses(store: ObjectStore, namespace: string, service: string, hostname?: string): string[] {
  return store
    .valuesIn<EndpointSlice>('endpointslices', namespace)
    .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === service)
    .flatMap((s) => s.endpoints ?? [])
    .filter((e) => e.conditions?.ready !== false && (hostname === undefined || e.hostname === hostname))
    .flatMap((e) => e.addresses);
}

/** The A records of an absolute name (no search), or undefined for NXDOMAIN. */
export function aRecords(store: ObjectStore, fqdn: string): string[] | undefined {
  const name = fqdn.replace(/\.$/, '').toLowerCase();
  const zone = `.svc.${CLUSTER_DOMAIN}`;
  if (!name.endsWith(zone)) return undefined;
  const labels = name.slice(0, -zone.length).split('.');
  if (labels.length === 2) {
    const [svcName, namespace] = labels;
    const svc = store.get<Service>('services', namespace, svcName);
    if (!svc || svc.spec.type === 'ExternalName') return undefined;
    if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') return [svc.spec.clusterIP];
    const ips = readyAddresses(store, namespace, svcName);
    return ips.length > 0 ? ips : undefined;
  }
  if (labels.length === 3) {
    const [host, svcName, namespace] = labels;
    const svc = store.get<Service>('services', namespace, svcName);
    if (!svc || svc.spec.clusterIP !== 'None') return undefined;
    const ips = readyAddresses(store, namespace, svcName, host);
    return ips.length > 0 ? ips : undefined;
  }
  return undefined;
}

/**
 * What a pod's libc resolver finds (curl, wget): with fewer than 5 dots (ndots:5) the search domains first, then
 * the name itself; a trailing dot means the name is absolute.
 */
export function resolve(
  store: ObjectStore,
  name: string,
  namespace: string,
): { fqdn: string; ips: string[] } | undefined {
  const absolute = name.endsWith('.');
  const bare = name.replace(/\.$/, '');
  const dots = bare.split('.').length - 1;
  const expanded = searchDomains(namespace).map((d) => `${bare}.${d}`);
  const candidates = absolute ? [bare] : dots >= 5 ? [bare, ...expanded] : [...expanded, bare];
  for (const fqdn of candidates) {
    const ips = aRecords(store, fqdn);
    if (ips) return { fqdn, ips };
  }
  return undefined;
}
