/**
 * Nodes joining and leaving the cluster after it was created (`minikube node add`, `minikube node delete`), as the
 * API server sees them: the joining kubelet registers its Node NotReady with the not-ready taint (its CSINode beside
 * it); once the node's network is ready the kubelet reports Ready and the taint goes. The DaemonSet controller puts
 * a kube-proxy pod on it, and the scheduler uses it once it is Ready. Leaving is minikube's teardown: `kubectl
 * drain --force --grace-period=1 --ignore-daemonsets --delete-emptydir-data --disable-eviction`, then the Node is
 * deleted, and the pod garbage collector removes the pods still bound to it (the DaemonSet's).
 */
import type { CSINode } from '../api/cluster-types';
import type { Node, Pod, Taint } from '../api/types';
import { rfc3339 } from '../api/time';
import type { Cluster } from '../cluster';
import { bootCsiNode } from '../store/minikube-apis';
import { minikubeNode } from '../store/minikube';
import { Random } from '../store/random';

const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';

/** minikube's node names: m02, m03, ... after the highest one in use (`node.ID` of the last node, plus one). */
export function nextNodeIndex(cluster: Cluster): number {
  let last = 0;
  for (const node of cluster.api.list<Node>('nodes')) {
    const id = new RegExp(`^${cluster.profile}-m(\\d+)$`).exec(node.metadata.name);
    last = Math.max(last, id ? Number(id[1]) - 1 : 0);
  }
  return last + 1;
}

/** The short name minikube prints (`m02`) for the node of this index. */
export function shortNodeName(index: number): string {
  return `m${String(index + 1).padStart(2, '0')}`;
}

/** The lowest 10.244.N.0/24 no node holds (the node IPAM controller's allocation). */
function freePodCidr(cluster: Cluster): string {
  const used = new Set(cluster.api.list<Node>('nodes').map((n) => n.spec.podCIDR));
  for (let i = 0; ; i++) if (!used.has(`10.244.${i}.0/24`)) return `10.244.${i}.0/24`;
}

/** The joining kubelet registers its node: NotReady until the node's network is up. */
export function registerNode(cluster: Cluster, index: number): Node {
  const now = cluster.clock.now();
  const node = minikubeNode(
    cluster.profile,
    index,
    now,
    new Random(cluster.seed * 97 + index * 7919 + cluster.revision),
  );
  const cidr = freePodCidr(cluster);
  node.spec = {
    podCIDR: cidr,
    podCIDRs: [cidr],
    taints: [{ key: NOT_READY_TAINT, effect: 'NoSchedule' }],
  };
  const ready = node.status.conditions.find((c) => c.type === 'Ready')!;
  ready.status = 'False';
  ready.reason = 'KubeletNotReady';
  ready.message =
    'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized';
  const created = cluster.server.createObject(node);
  cluster.server.createObject(bootCsiNode(created));
  const name = created.metadata.name;
  cluster.recordKubeletStart(name);
  cluster.recordNodeEvent(
    name,
    'RegisteredNode',
    `Node ${name} event: Registered Node ${name} in Controller`,
    'node-controller',
  );
  cluster.sync();
  return created;
}

/** The kubelet reports the node Ready; the node lifecycle controller takes the not-ready taint off. */
export function markNodeReady(cluster: Cluster, name: string): void {
  const node = cluster.api.list<Node>('nodes').find((n) => n.metadata.name === name);
  if (!node) return;
  const ready = node.status.conditions.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'True') return;
  const stamp = rfc3339(cluster.clock.now());
  Object.assign(ready, {
    status: 'True',
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
    lastHeartbeatTime: stamp,
    lastTransitionTime: stamp,
  });
  const taints = (node.spec.taints ?? []).filter((t: Taint) => t.key !== NOT_READY_TAINT);
  if (taints.length > 0) node.spec.taints = taints;
  else delete node.spec.taints;
  cluster.server.updateObject(node, { fromClient: false });
  cluster.sync();
}

/** `kubectl drain` as minikube runs it: every pod on the node but DaemonSet pods, deleted with a 1 s grace. */
export function drainNode(cluster: Cluster, name: string): void {
  const node = cluster.api.get<Node>('nodes', undefined, name);
  if (!node.spec.unschedulable) cluster.api.update({ ...node, spec: { ...node.spec, unschedulable: true } });
  for (const pod of podsOn(cluster, name)) {
    if (pod.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.controller)) continue;
    if (pod.metadata.deletionTimestamp) continue;
    cluster.api.delete('pods', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 1 });
  }
}

/** Pods still bound to the node (drained ones until they have terminated). */
export function podsOn(cluster: Cluster, name: string): Pod[] {
  return cluster.api
    .list<Pod>('pods', { fieldSelector: `spec.nodeName=${name}` })
    .filter((p) => p.spec.nodeName === name);
}

/** The Node is deleted; the pod garbage collector removes the pods bound to a node that no longer exists. */
export function removeNode(cluster: Cluster, name: string): void {
  cluster.api.delete('nodes', undefined, name);
  // The garbage collector removes the node's CSINode (owned by the Node).
  if (cluster.api.list<CSINode>('csinodes').some((c) => c.metadata.name === name))
    cluster.api.delete('csinodes', undefined, name);
  for (const pod of podsOn(cluster, name))
    cluster.api.delete('pods', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0 });
  cluster.sync();
}

/** The node a `minikube node` command names: `m02` or the machine name `minikube-m02` (node.Retrieve). */
export function findNode(cluster: Cluster, given: string): Node | undefined {
  return cluster.api
    .list<Node>('nodes')
    .find((n) => n.metadata.name === given || n.metadata.name === `${cluster.profile}-${given}`);
}
