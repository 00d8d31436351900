/**
 * Reads the clusters an engine holds back from Docker alone (labels and names), grouping containers and
 * networks by cluster key. Reconcile, list and the warm pool all start from this.
 */
import type { ContainerSummary, NetworkSummary } from '../../infra/docker/docker.repository';
import { type ContainerIdentity, identityOf, LABEL } from './cluster-names';
import type { DockerHost } from './docker-hosts';
import type { ClaimRecord } from './node-flavour';

export interface DockerCluster {
  key: string;
  host: DockerHost;
  /** From the container names; undefined when only a network is left. */
  identity: ContainerIdentity | undefined;
  controlPlane: ContainerSummary | undefined;
  containers: ContainerSummary[];
  networks: NetworkSummary[];
  nodeCount: number;
  /** Node image the cluster was created from. */
  image: string | undefined;
  labSessionId: string | undefined;
  ownerId: string | undefined;
  /** For a warm-pool cluster: who claimed it, read from its claim marker. */
  claim: ClaimRecord | undefined;
  /** Creation time of the oldest resource, for reconcile's grace period. */
  createdAtMs: number;
}

export async function readInventory(host: DockerHost): Promise<DockerCluster[]> {
  const managed = { [LABEL.managed]: 'true' };
  const [containers, networks] = await Promise.all([
    host.docker.findContainers(managed),
    host.docker.findNetworks(managed),
  ]);
  const byKey = new Map<string, DockerCluster>();
  const entry = (key: string, labels: Record<string, string>): DockerCluster => {
    let cluster = byKey.get(key);
    if (!cluster) {
      cluster = {
        key,
        host,
        identity: undefined,
        controlPlane: undefined,
        containers: [],
        networks: [],
        nodeCount: Number(labels[LABEL.nodeCount] ?? 1),
        image: labels[LABEL.image],
        labSessionId: labels[LABEL.labSession] || undefined,
        ownerId: labels[LABEL.owner] || undefined,
        claim: undefined,
        createdAtMs: Number.POSITIVE_INFINITY,
      };
      byKey.set(key, cluster);
    }
    return cluster;
  };
  // Nodes before claim markers and networks: the first resource of a key supplies the cluster-wide labels.
  const ordered = [...containers].sort(
    (a, b) => Number(a.labels[LABEL.role] === 'claim') - Number(b.labels[LABEL.role] === 'claim'),
  );
  for (const container of ordered) {
    const cluster = entry(container.labels[LABEL.clusterKey] ?? '', container.labels);
    cluster.containers.push(container);
    cluster.createdAtMs = Math.min(cluster.createdAtMs, container.createdAtMs);
    if (container.labels[LABEL.role] === 'claim') {
      cluster.claim = {
        clusterId: container.labels[LABEL.claimedAs] ?? '',
        labSessionId: container.labels[LABEL.labSession] ?? '',
        ownerId: container.labels[LABEL.owner] ?? '',
      };
      continue;
    }
    const identity = identityOf(container.name, container.labels[LABEL.nodeName] ?? '');
    if (container.labels[LABEL.role] === 'control-plane') {
      cluster.controlPlane = container;
      cluster.identity = identity;
    } else {
      cluster.identity ??= identity;
    }
  }
  for (const network of networks) {
    const cluster = entry(network.labels[LABEL.clusterKey] ?? '', network.labels);
    cluster.networks.push(network);
    cluster.createdAtMs = Math.min(cluster.createdAtMs, network.createdAtMs);
  }
  return [...byKey.values()];
}

/**
 * The platform's cluster id of an assigned cluster (from its container names, or from its key when only
 * a network is left); undefined for warm-pool clusters, including one whose claim never finished.
 */
export function assignedClusterId(cluster: DockerCluster): string | undefined {
  if (cluster.identity?.state === 'assigned') return cluster.identity.clusterId;
  return cluster.identity === undefined && !cluster.key.startsWith('pool-') ? cluster.key : undefined;
}

/** A ready warm-pool cluster nobody has claimed. */
export function isFreePoolCluster(cluster: DockerCluster): boolean {
  return (
    cluster.identity?.state === 'pooled' &&
    cluster.controlPlane?.running === true &&
    cluster.claim === undefined
  );
}
