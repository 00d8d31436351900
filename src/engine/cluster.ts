import type { Clock } from './clock/clock';
import type { ApiServer } from './server/api-server';
import type { ClusterNetwork, ContainerRuntime } from './runtime/types';

export interface ClusterOptions {
  /** Seeds every random choice (uids, name suffixes, IPs, NodePorts): same seed + same commands = same output. */
  seed?: number;
  /** Default 1: "minikube"; extra nodes are "minikube-m02", "minikube-m03", ... */
  nodeCount?: number;
  /** Default RealClock. */
  clock?: Clock;
  /** minikube profile name; the first node is named after it (default "minikube"). */
  profile?: string;
}

/** A per-student Kubernetes simulation. Interim declaration: the implementation lands in the next commit. */
export interface Cluster {
  readonly clock: Clock;
  readonly api: ApiServer;
  readonly network: ClusterNetwork;
  readonly runtime: ContainerRuntime;
  readonly nodeIp: string;
  sync(): void;
  nextDueAt(): number | undefined;
  snapshot(): string;
}

export function createCluster(_options?: ClusterOptions): Cluster {
  throw new Error('createCluster: engine core not committed yet');
}

export function restoreCluster(_snapshot: string, _options?: { clock?: Clock }): Cluster {
  throw new Error('restoreCluster: engine core not committed yet');
}
