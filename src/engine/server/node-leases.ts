/**
 * The kubelet's heartbeat Leases (coordination.k8s.io/v1, `kube-node-lease/<node>`), which `kubectl describe node`
 * reads. The kubelet renews its lease every 10 s (a quarter of the 40 s lease duration); rather than writing an
 * object every 10 s of virtual time, each node's lease is derived from the Node and the clock when it is read, so
 * renewals cost nothing. They are not stored, so they carry the Node's resourceVersion and send no watch events.
 */
import type { Lease } from '../api/coordination-types';
import { rfc3339 } from '../api/time';
import type { Node } from '../api/types';
import type { ObjectStore } from '../store/store';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const LEASE_DURATION_SECONDS = 40;
const RENEW_INTERVAL_MS = (LEASE_DURATION_SECONDS * 1000) / 4;

/** A MicroTime as the API serialises it: RFC 3339 with six fractional digits. */
function microTime(ms: number): string {
  return rfc3339(ms).replace(/Z$/, `.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}000Z`);
}

/** A stable uid for a node's lease (FNV-1a of the node's uid, four seeds), not drawn from the cluster's random. */
function leaseUid(nodeUid: string): string {
  let hex = '';
  for (const seed of [0x811c9dc5, 0x01000193, 0x050c5d1f, 0x6b8b4567]) {
    let h = seed >>> 0;
    for (const ch of `lease/${nodeUid}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The node's lease at `now`: renewed at the node's creation and every 10 s after. */
export function nodeLease(node: Node, now: number): Lease {
  const created = Date.parse(node.metadata.creationTimestamp ?? '') || now;
  const renewed = created + Math.max(0, Math.floor((now - created) / RENEW_INTERVAL_MS)) * RENEW_INTERVAL_MS;
  const name = node.metadata.name;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: NODE_LEASE_NAMESPACE,
      uid: leaseUid(node.metadata.uid ?? name),
      resourceVersion: node.metadata.resourceVersion,
      creationTimestamp: node.metadata.creationTimestamp,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }],
    },
    spec: {
      holderIdentity: name,
      leaseDurationSeconds: LEASE_DURATION_SECONDS,
      renewTime: microTime(renewed),
    },
  };
}

/** The node leases of a namespace (`undefined`: every namespace) that no stored lease of the same name hides. */
export function nodeLeases(store: ObjectStore, namespace: string | undefined, now: number): Lease[] {
  if (namespace !== undefined && namespace !== NODE_LEASE_NAMESPACE) return [];
  return store
    .values<Node>('nodes')
    .filter((n) => !store.get('leases', NODE_LEASE_NAMESPACE, n.metadata.name))
    .map((n) => nodeLease(n, now));
}
