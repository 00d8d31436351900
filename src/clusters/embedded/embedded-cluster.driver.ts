import { Cluster, createCluster, LabTerminal, restoreCluster } from '../../engine';
import type {
  ClusterDriver,
  ClusterRef,
  ClusterStatus,
  DriverHealth,
  ExecResult,
  KubeObjectJson,
  ListedCluster,
  ObjectQuery,
  OutputSink,
  ProvisionProgress,
  ProvisionRequest,
} from '../cluster-driver';

interface LiveCluster {
  cluster: Cluster;
  terminal: LabTerminal;
  labSessionId: string;
  ownerId: string;
  /** Which persisted snapshot this in-memory copy continues from; a newer one elsewhere means ours is stale. */
  snapshotVersion: string | undefined;
}

export interface EmbeddedDriverOptions {
  /** Seeds the engine's random choices (names, ports); unset in production. */
  seed?: number;
}

/**
 * Clusters of the in-process engine, held in this process's memory. The platform persists each
 * cluster's snapshot; after a restart (or when another worker ran the session's last command) the
 * cluster is rebuilt from the snapshot the ref carries, so no student loses work.
 */
export class EmbeddedClusterDriver implements ClusterDriver {
  readonly name = 'embedded' as const;
  private readonly live = new Map<string, LiveCluster>();

  constructor(private readonly options: EmbeddedDriverOptions = {}) {}

  async provision(
    request: ProvisionRequest,
    onProgress: (event: ProvisionProgress) => void,
  ): Promise<ClusterRef> {
    const total = 3;
    onProgress({ step: 'Creating the control plane', done: 0, total });
    const cluster = request.snapshot
      ? restoreCluster(request.snapshot)
      : createCluster({ nodeCount: request.nodeCount, seed: this.options.seed });
    onProgress({ step: 'Starting system pods', done: 1, total });
    cluster.sync();
    this.live.set(request.clusterId, {
      cluster,
      terminal: new LabTerminal(cluster),
      labSessionId: request.labSessionId,
      ownerId: request.ownerId,
      snapshotVersion: undefined,
    });
    onProgress({ step: 'Cluster ready', done: total, total });
    return {
      clusterId: request.clusterId,
      attachState: { labSessionId: request.labSessionId, ownerId: request.ownerId },
    };
  }

  async status(ref: ClusterRef): Promise<ClusterStatus> {
    return this.live.has(ref.clusterId) || ref.snapshot ? 'ready' : 'missing';
  }

  async exec(ref: ClusterRef, line: string, sink: OutputSink, signal: AbortSignal): Promise<ExecResult> {
    const live = this.attach(ref);
    const exitCode = await live.terminal.run(line, { stdout: sink.stdout, stderr: sink.stderr, signal });
    return { exitCode };
  }

  async readObjects(ref: ClusterRef, query: ObjectQuery): Promise<KubeObjectJson[]> {
    const { cluster } = this.attach(ref);
    cluster.sync();
    const info = cluster.api.resourceFor(query.kind);
    if (!info) return [];
    const objects = cluster.api.list(info.resource, {
      namespace: info.namespaced ? query.namespace : undefined,
      labelSelector: query.labelSelector,
    });
    const matching = query.name ? objects.filter((object) => object.metadata.name === query.name) : objects;
    return structuredClone(matching) as unknown as KubeObjectJson[];
  }

  async snapshot(ref: ClusterRef): Promise<string | null> {
    const live = this.live.get(ref.clusterId);
    return live ? live.cluster.snapshot() : (ref.snapshot ?? null);
  }

  /** Records that the in-memory copy now matches the snapshot persisted under this version. */
  markPersisted(clusterId: string, version: string): void {
    const live = this.live.get(clusterId);
    if (live) live.snapshotVersion = version;
  }

  async destroy(ref: ClusterRef): Promise<void> {
    this.live.delete(ref.clusterId);
  }

  async list(): Promise<ListedCluster[]> {
    return [...this.live].map(([clusterId, live]) => ({
      clusterId,
      labSessionId: live.labSessionId,
      ownerId: live.ownerId,
    }));
  }

  async health(): Promise<DriverHealth> {
    return { ok: true, detail: `${this.live.size} cluster(s) in this process` };
  }

  private attach(ref: ClusterRef): LiveCluster {
    const version =
      typeof ref.attachState.snapshotVersion === 'string' ? ref.attachState.snapshotVersion : undefined;
    const existing = this.live.get(ref.clusterId);
    if (existing && (version === undefined || existing.snapshotVersion === version)) return existing;
    if (!ref.snapshot) {
      if (existing) return existing;
      throw new Error(`cluster ${ref.clusterId} is not in this process and has no snapshot to restore from`);
    }
    const cluster = restoreCluster(ref.snapshot);
    const labSessionId = String(ref.attachState.labSessionId ?? '');
    const ownerId = String(ref.attachState.ownerId ?? '');
    const live = {
      cluster,
      terminal: new LabTerminal(cluster),
      labSessionId,
      ownerId,
      snapshotVersion: version,
    };
    this.live.set(ref.clusterId, live);
    return live;
  }
}
