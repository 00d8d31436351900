/**
 * DockerClusterDriver (CLUSTER_DRIVER=docker): one bridge network and one container per node for each
 * cluster, on one of several Docker engines. Framework-free: the platform constructs it with settings.
 *
 * Docker is the source of truth: every resource is labelled (see cluster-names.ts), so a new driver
 * instance re-attaches to clusters from their refs and reconcile() works from Docker alone.
 * Platform duties: call reconcile(liveIds) at start-up and periodically, fillWarmPool() after start-up,
 * route commands by hostFor(ref), and close() at shutdown.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type {
  ClusterDriver,
  ClusterRef,
  ClusterSnapshot,
  ClusterStatus,
  DriverCapabilities,
  DriverHealth,
  ExecInput,
  ExecOptions,
  ExecResult,
  KubeObjectJson,
  ListedCluster,
  ObjectQuery,
  OutputSink,
  ProvisionProgress,
  ProvisionRequest,
} from '../cluster-driver';
import { DockerError } from '../../infra/docker/docker.repository';
import { KubeApiBridge } from './api-bridge';
import { assertUsableClusterId, LABEL } from './cluster-names';
import { type DockerHost, DockerHosts } from './docker-hosts';
import type { DockerDriverSettings, NodeFlavourName } from './docker-settings';
import { assignedClusterId, isFreePoolCluster, readInventory } from './inventory';
import { K3sFlavour } from './k3s-flavour';
import { KubelabFlavour } from './kubelab-flavour';
import type { NodeFlavour } from './node-flavour';
import { controlPlaneName, provisionCluster, removeCluster } from './provisioning';
import { WarmPool } from './warm-pool';

/** What the platform persists for a Docker cluster (ClusterRef.attachState). */
export interface DockerAttachState {
  [key: string]: unknown;
  /** Docker host id (see DockerHostSettings.id): where every call for this cluster goes. */
  host: string;
  dockerHost: string;
  /** The cluster's label key (its id, or the pool key it was claimed from). */
  key: string;
  flavour: NodeFlavourName;
  nodeCount: number;
}

export interface ReconcileReport {
  /** Clusters (ids, or keys of unassigned leftovers) whose containers and networks were removed. */
  removed: string[];
  /** Live ids with no control-plane container on any host: provision again on next use. */
  missing: string[];
  /** Engines that could not be read; nothing is reported missing while one is unreachable. */
  unreachableHosts: string[];
}

const MAX_NODES = 9;

export class DockerClusterDriver implements ClusterDriver {
  readonly name = 'docker';
  readonly capabilities: DriverCapabilities;
  private readonly hosts: DockerHosts;
  private readonly flavour: NodeFlavour;
  private readonly pool: WarmPool;
  private readonly starting = new Set<string>();
  private readonly api = new KubeApiBridge();

  constructor(private readonly settings: DockerDriverSettings) {
    this.hosts = new DockerHosts(settings.hosts);
    this.flavour =
      settings.flavour === 'k3s'
        ? new K3sFlavour(settings.image)
        : new KubelabFlavour(settings.image, settings.timeScale ?? 1);
    this.pool = new WarmPool(this.hosts, this.flavour, settings);
    this.capabilities = {
      // The state lives in the node containers; snapshot() returns null.
      restoresFromSnapshot: false,
      stateVersions: false,
      // Clusters are placed on one of several Docker engines; hostFor() names it.
      multiHost: true,
      clustersLiveIn: 'host',
      // `docker exec` of kubelab-exec / k3s kubectl is given no stdin: typed input cannot reach it.
      interactiveInput: false,
      backgroundRuns: this.flavour.concurrentRuns,
      // The kubelab flavour's terminal keeps the session's home in its control plane's volume, synced
      // with the stored one through exec (KubelabFlavour); k3s's bare kubectl has no home at all.
      homeFiles: this.flavour.homeFiles,
      // The kubelab flavour's `kubectl edit` opens its buffer in the page's editor pane (through exec, as a
      // cancel goes), although nothing typed reaches a command.
      editorPane: this.flavour.editorPane,
      // The kubelab agent serves its cluster's API on the container's loopback, reached through exec'd bridges.
      kubernetesApi: this.flavour.kubernetesApi,
    };
  }

  hostIds(): string[] {
    return this.hosts.all.map((h) => h.id);
  }

  /** The Docker host id a cluster lives on (for routing its commands to that host's queue). */
  hostFor(ref: ClusterRef): string {
    return this.attachStateOf(ref).host;
  }

  async provision(
    request: ProvisionRequest,
    onProgress: (event: ProvisionProgress) => void,
  ): Promise<ClusterRef> {
    assertUsableClusterId(request.clusterId);
    if (!Number.isInteger(request.nodeCount) || request.nodeCount < 1 || request.nodeCount > MAX_NODES) {
      throw new Error(`nodeCount must be a whole number from 1 to ${MAX_NODES}, got ${request.nodeCount}`);
    }
    if (this.starting.has(request.clusterId))
      throw new Error(`cluster ${request.clusterId} is already being provisioned`);
    this.starting.add(request.clusterId);
    try {
      return await this.provisionUnguarded(request, onProgress);
    } finally {
      this.starting.delete(request.clusterId);
    }
  }

  private async provisionUnguarded(
    request: ProvisionRequest,
    onProgress: (event: ProvisionProgress) => void,
  ) {
    // A retry after an interruption continues on the host that already holds part of the cluster.
    const existing = await this.findAssigned(request.clusterId);
    if (!existing && this.pool.serves(request.nodeCount)) {
      const claim = {
        clusterId: request.clusterId,
        labSessionId: request.labSessionId,
        ownerId: request.ownerId,
      };
      // A pool that cannot serve (empty, or a claim that broke and was cleaned up) falls back to a cold start.
      const claimed = await this.pool.claim(claim).catch((error: Error) => {
        this.pool.lastError = `claim failed: ${error.message}`;
        return undefined;
      });
      if (claimed) {
        void this.pool.fill();
        onProgress({ step: 'ready', done: 1, total: 1 });
        return this.refFor(request.clusterId, claimed.host, claimed.key, request.nodeCount);
      }
    }
    const key = existing?.key ?? request.clusterId;
    const host = existing?.host ?? (await this.hosts.place(key));
    try {
      const plan = {
        key,
        identity: request.clusterId,
        nodeCount: request.nodeCount,
        labSessionId: request.labSessionId,
        ownerId: request.ownerId,
        pool: false,
      };
      await provisionCluster(
        { docker: host.docker, flavour: this.flavour, settings: this.settings },
        plan,
        onProgress,
      );
    } finally {
      this.hosts.release(host, key);
    }
    if (this.pool.enabled) void this.pool.fill();
    return this.refFor(request.clusterId, host, key, request.nodeCount);
  }

  async status(ref: ClusterRef): Promise<ClusterStatus> {
    if (this.starting.has(ref.clusterId)) return 'starting';
    const state = this.attachStateOf(ref);
    const details = await this.hosts
      .byId(state.host)
      .docker.inspectContainer(controlPlaneName(ref.clusterId));
    if (!details) return 'missing';
    return details.running ? 'ready' : 'failed';
  }

  async exec(
    ref: ClusterRef,
    line: string,
    sink: OutputSink,
    signal: AbortSignal,
    _input?: ExecInput,
    options?: ExecOptions,
  ): Promise<ExecResult> {
    const docker = this.nodeApiOf(ref);
    const home = this.capabilities.homeFiles ? options?.home : undefined;
    const editor = this.capabilities.editorPane ? options?.editor : undefined;
    return this.explainMissing(ref, () =>
      this.flavour.exec(docker, controlPlaneName(ref.clusterId), line, sink, signal, home, editor),
    );
  }

  async readObjects(ref: ClusterRef, query: ObjectQuery): Promise<KubeObjectJson[]> {
    const docker = this.nodeApiOf(ref);
    return this.explainMissing(ref, () =>
      this.flavour.readObjects(docker, controlPlaneName(ref.clusterId), query),
    );
  }

  /**
   * The student's own kubectl (issue 20): the request goes to the API server of the agent that runs the cluster's
   * terminal too (one cluster object: what either writes, the other sees), through the Docker API (api-bridge.ts).
   */
  async serveApi(ref: ClusterRef, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const docker = this.apiOf(ref);
    await this.explainMissing(ref, () =>
      this.api.serve(docker, controlPlaneName(ref.clusterId), request, response),
    );
  }

  /** exec, attach and port-forward: the upgraded connection is carried to the agent's API server as it is. */
  async upgradeApi(
    ref: ClusterRef,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<boolean> {
    const docker = this.apiOf(ref);
    await this.explainMissing(ref, () =>
      this.api.upgrade(docker, controlPlaneName(ref.clusterId), request, socket, head),
    );
    return true;
  }

  async snapshot(): Promise<ClusterSnapshot | null> {
    return null; // the cluster's state lives in its containers
  }

  async destroy(ref: ClusterRef): Promise<void> {
    const state = this.attachStateOf(ref);
    const docker = this.hosts.byId(state.host).docker;
    this.api.forget(docker, controlPlaneName(ref.clusterId));
    await removeCluster(docker, state.key);
  }

  async list(): Promise<ListedCluster[]> {
    const listed: ListedCluster[] = [];
    for (const host of this.hosts.all) {
      for (const cluster of await readInventory(host)) {
        const clusterId = assignedClusterId(cluster);
        if (clusterId && cluster.controlPlane) {
          const labSessionId = cluster.claim?.labSessionId ?? cluster.labSessionId;
          listed.push({ clusterId, labSessionId, ownerId: cluster.claim?.ownerId ?? cluster.ownerId });
        }
      }
    }
    return listed;
  }

  /**
   * Removes containers and networks no live record accounts for (warm-pool clusters and anything younger
   * than orphanGraceMs excepted) and reports live ids whose control plane is gone.
   */
  async reconcile(liveClusterIds: Iterable<string>): Promise<ReconcileReport> {
    const live = new Set(liveClusterIds);
    const report: ReconcileReport = { removed: [], missing: [], unreachableHosts: [] };
    const present = new Set<string>();
    for (const host of this.hosts.all) {
      let clusters;
      try {
        clusters = await readInventory(host);
      } catch (error) {
        report.unreachableHosts.push(error instanceof Error ? error.message : String(error));
        continue;
      }
      for (const cluster of clusters) {
        const clusterId = assignedClusterId(cluster);
        if (clusterId && live.has(clusterId)) {
          if (cluster.controlPlane) present.add(clusterId);
          continue;
        }
        // Free pool clusters stay, unless made from another image (left by an older version: replaced).
        const pooled = isFreePoolCluster(cluster) && cluster.image === this.flavour.image;
        const young = Date.now() - cluster.createdAtMs < this.settings.orphanGraceMs;
        if (
          pooled ||
          young ||
          this.hosts.isInFlight(cluster.key) ||
          (clusterId && this.starting.has(clusterId))
        )
          continue;
        await removeCluster(host.docker, cluster.key);
        report.removed.push(clusterId ?? cluster.key);
      }
    }
    if (report.unreachableHosts.length === 0) report.missing = [...live].filter((id) => !present.has(id));
    return report;
  }

  async health(): Promise<DriverHealth> {
    const lines: string[] = [];
    let ok = true;
    for (const host of this.hosts.all) {
      try {
        const info = await host.docker.info();
        const hasImage = await host.docker.imageExists(this.flavour.image);
        if (!hasImage) ok = false;
        lines.push(
          `${host.id} ${host.dockerHost}: Docker ${info.version}, image ${this.flavour.image} ${hasImage ? 'present' : 'MISSING'}`,
        );
      } catch (error) {
        ok = false;
        lines.push(
          `${host.id} ${host.dockerHost}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    if (this.pool.lastError) lines.push(`warm pool refill failed: ${this.pool.lastError}`);
    return { ok, detail: lines.join('; ') };
  }

  /** Tops the warm pool up (call after start-up and reconcile); resolves when the refill ends. */
  fillWarmPool(): Promise<void> {
    return this.pool.fill();
  }

  /** Stops warm-pool refills and waits for one in progress (call at shutdown). */
  async close(): Promise<void> {
    this.api.close();
    await this.pool.close();
  }

  private refFor(clusterId: string, host: DockerHost, key: string, nodeCount: number): ClusterRef {
    const attachState: DockerAttachState = {
      host: host.id,
      dockerHost: host.dockerHost,
      key,
      flavour: this.flavour.name,
      nodeCount,
    };
    return { clusterId, attachState };
  }

  private attachStateOf(ref: ClusterRef): DockerAttachState {
    const state = ref.attachState as Partial<DockerAttachState>;
    if (typeof state?.host !== 'string' || typeof state.key !== 'string') {
      throw new Error(`cluster ${ref.clusterId}: attachState is not a Docker driver's (needs host and key)`);
    }
    return state as DockerAttachState;
  }

  /** The Docker API of the cluster's host, for talking to its nodes (which must be of this driver's flavour). */
  private nodeApiOf(ref: ClusterRef) {
    const state = this.attachStateOf(ref);
    if (state.flavour !== undefined && state.flavour !== this.flavour.name) {
      throw new Error(
        `cluster ${ref.clusterId} runs ${state.flavour} nodes but this driver is configured for ${this.flavour.name} (NODE_IMAGE)`,
      );
    }
    return this.hosts.byId(state.host).docker;
  }

  private apiOf(ref: ClusterRef) {
    if (!this.capabilities.kubernetesApi)
      throw new Error(
        `the ${this.flavour.name} node image does not serve the Kubernetes API to the platform`,
      );
    return this.nodeApiOf(ref);
  }

  /** A cluster's host and key when part of it exists on a reachable host (a provision to resume). */
  private async findAssigned(clusterId: string): Promise<{ host: DockerHost; key: string } | undefined> {
    for (const host of this.hosts.all) {
      try {
        const details = await host.docker.inspectContainer(controlPlaneName(clusterId));
        if (details) return { host, key: details.labels[LABEL.clusterKey] ?? clusterId };
        const networks = await host.docker.findNetworks({
          [LABEL.managed]: 'true',
          [LABEL.clusterKey]: clusterId,
        });
        if (networks.length > 0) return { host, key: clusterId };
      } catch (error) {
        if (error instanceof DockerError && error.unreachable) continue; // placement reports it if it matters
        throw error;
      }
    }
    return undefined;
  }

  private async explainMissing<T>(ref: ClusterRef, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof DockerError && error.statusCode === 404) {
        throw new Error(
          `cluster ${ref.clusterId} is missing (its control-plane container is gone): provision it again`,
        );
      }
      if (error instanceof DockerError && error.statusCode === 409) {
        throw new Error(
          `cluster ${ref.clusterId} is not running (its control-plane container stopped): ${error.message}`,
        );
      }
      throw error;
    }
  }
}
