/**
 * How a cluster is written into Docker, so that Docker alone is the source of truth when reconciling.
 *
 * Labels (immutable once a container exists) carry the cluster's *key*: the platform's cluster id for a
 * cluster provisioned on request, or `pool-<hex>` for a warm-pool cluster. Container *names* (mutable,
 * renamed atomically by the engine) carry the cluster's current identity:
 *   kubelab-warming-<hex>-<node>   a warm-pool cluster still starting
 *   kubelab-pool-<hex>-<node>      a ready warm-pool cluster, free to claim
 *   kubelab-<clusterId>-<node>     a student's cluster (provisioned for it, or a claimed pool cluster)
 * A claim first creates the pool cluster's *claim marker*, a container that is never started, named
 * `kubelab-claim-<pool key>`: the engine reserves names atomically, so of two claimers exactly one
 * succeeds. The marker's labels record the claim (cluster id, lab session, owner); then the winner
 * renames the cluster's containers to the student's cluster id and tells the node agent. A cluster
 * provisioned on request carries its lab session and owner in its own labels.
 */
export const LABEL = {
  managed: 'kubelab.managed',
  clusterKey: 'kubelab.cluster-id',
  labSession: 'kubelab.lab-session',
  owner: 'kubelab.owner',
  role: 'kubelab.role',
  nodeName: 'kubelab.node-name',
  nodeCount: 'kubelab.node-count',
  flavour: 'kubelab.node-image',
  pool: 'kubelab.pool',
  /** The node image reference, so a warm pool never hands out clusters of an older image. */
  image: 'kubelab.image',
  /** On a claim marker: the cluster id the pool cluster was handed to. */
  claimedAs: 'kubelab.claimed-as',
} as const;

export type NodeRole = 'control-plane' | 'worker';
/** Containers of a cluster: its nodes, and for a claimed pool cluster its claim marker. */
export type ContainerRole = NodeRole | 'claim';

export function claimMarkerName(poolKey: string): string {
  return `kubelab-claim-${poolKey}`;
}

const CLUSTER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

/** Cluster ids become part of container names: Docker's name alphabet, and no clash with pool names. */
export function assertUsableClusterId(clusterId: string): void {
  if (!CLUSTER_ID.test(clusterId)) {
    throw new Error(
      `cluster id "${clusterId}" must be 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit`,
    );
  }
  if (/^(pool|warming)-/.test(clusterId))
    throw new Error(`cluster id "${clusterId}": the prefixes pool- and warming- are reserved`);
}

/** minikube's node names: "minikube", then "minikube-m02", "minikube-m03"… */
export function nodeNames(nodeCount: number): string[] {
  return Array.from({ length: nodeCount }, (_, i) =>
    i === 0 ? 'minikube' : `minikube-m${String(i + 1).padStart(2, '0')}`,
  );
}

export function containerName(identity: string, nodeName: string): string {
  return `kubelab-${identity}-${nodeName}`;
}

export function networkName(clusterKey: string): string {
  return `kubelab-net-${clusterKey}`;
}

/** A warm-pool cluster's key is `pool-<hex>`; while it starts its containers are named `warming-<hex>`. */
export function warmingIdentity(poolKey: string): string {
  return poolKey.replace(/^pool-/, 'warming-');
}

export type ContainerIdentity =
  { state: 'warming' | 'pooled'; poolKey: string } | { state: 'assigned'; clusterId: string };

/** Reads a container's identity back from its name and node-name label; undefined for foreign names. */
export function identityOf(name: string, nodeName: string): ContainerIdentity | undefined {
  const suffix = `-${nodeName}`;
  if (!name.startsWith('kubelab-') || !name.endsWith(suffix)) return undefined;
  const middle = name.slice('kubelab-'.length, -suffix.length);
  if (middle.startsWith('warming-'))
    return { state: 'warming', poolKey: middle.replace(/^warming-/, 'pool-') };
  if (middle.startsWith('pool-')) return { state: 'pooled', poolKey: middle };
  return middle === '' ? undefined : { state: 'assigned', clusterId: middle };
}
