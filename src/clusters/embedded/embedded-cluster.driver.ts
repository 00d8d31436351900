import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiHandler } from '../../engine/http/handler';
import {
  Cluster,
  createCluster,
  LabTerminal,
  queryObjects,
  restoreCluster,
  type TerminalIO,
  warmUpEngine,
  wallClock,
  type Clock,
} from '../../engine';
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
import { EffectsRecorder } from '../../engine/kubectl/effects';
import { HomeCopy } from '../home-sync';

interface LiveCluster {
  cluster: Cluster;
  terminal: LabTerminal;
  /** The terminal's home, a copy of the session's stored home (ExecOptions.home). */
  home: HomeCopy;
  labSessionId: string;
  ownerId: string;
  /**
   * Versions this copy has restored from or produced, most recent last. A persisted version among
   * them means the copy is as new as the record or newer (a grading read may carry a version older
   * than a command that just ran); any other version was written by another worker.
   */
  versions: string[];
  /** The cluster's change counter when `cached` was taken, so an unchanged cluster is not serialised again. */
  cachedAtRevision: number;
  cached: ClusterSnapshot | undefined;
  /**
   * The first version produced (or restored) since the cluster's last external change (Cluster.externalRevision):
   * every later state until the next such change is what restoring it becomes with time (ClusterSnapshot.replays).
   * Kept apart from `versions`, which forgets old ones: a record holding it is never older than this copy.
   */
  basis: { version: string; externalRevision: number } | undefined;
  /** The cluster's API server over HTTP, made on its first request (serveApi). */
  api?: ApiHandler;
}

export interface EmbeddedDriverOptions {
  /** Seeds the engine's random choices (names, ports); unset in production. */
  seed?: number;
  /** How many times faster than real time the clusters' clocks run (CLUSTER_TIME_SCALE); 1 in production. */
  timeScale?: number;
  /** One clock for every cluster, in place of real time (specs: a ManualClock moves only when told). */
  clock?: Clock;
}

export function snapshotVersion(data: string): string {
  return createHash('sha1').update(data).digest('base64url');
}

const KNOWN_VERSIONS = 64;

function noteVersion(live: LiveCluster, version: string): void {
  if (live.versions[live.versions.length - 1] === version) return;
  live.versions.push(version);
  if (live.versions.length > KNOWN_VERSIONS) live.versions.shift();
}

function revisionOf(cluster: Cluster): number {
  return cluster.revision;
}

/**
 * Clusters of the in-process engine, held in this process's memory. The platform persists each
 * cluster's snapshot; after a restart (or when another worker ran the session's last command) the
 * cluster is rebuilt from the persisted snapshot, so no student loses work.
 */
export class EmbeddedClusterDriver implements ClusterDriver {
  readonly name = 'embedded';
  readonly capabilities: DriverCapabilities = {
    // The engine's whole state serialises (Cluster.snapshot) and restores (restoreCluster).
    restoresFromSnapshot: true,
    // snapshot() versions by content (sha1 of the serialised state).
    stateVersions: true,
    // Every cluster lives in the memory of the worker its session is placed on.
    multiHost: false,
    clustersLiveIn: 'process',
    // The lab terminal reads typed lines through TerminalIO.stdin (heredocs, `read`).
    interactiveInput: true,
    // LabTerminal.run calls are independent promises on one in-process cluster.
    backgroundRuns: true,
    // The lab terminal's home is loaded from and handed back to the platform (HomeCopy).
    homeFiles: true,
    // The engine's ApiHandler serves the cluster's API over HTTP, as `engine serve` does.
    kubernetesApi: true,
  };
  private readonly live = new Map<string, LiveCluster>();

  constructor(private readonly options: EmbeddedDriverOptions = {}) {}

  /** The options' clock, shared; else every cluster gets its own clock object (scaled ones share the anchor, so they agree). */
  private clock(): Clock {
    return this.options.clock ?? wallClock(this.options.timeScale ?? 1);
  }

  async provision(
    request: ProvisionRequest,
    onProgress: (event: ProvisionProgress) => void,
  ): Promise<ClusterRef> {
    const total = 3;
    onProgress({ step: 'Creating the control plane', done: 0, total });
    const cluster = request.snapshot
      ? restoreCluster(request.snapshot, { clock: this.clock() })
      : createCluster({ nodeCount: request.nodeCount, seed: this.options.seed, clock: this.clock() });
    onProgress({ step: 'Starting system pods', done: 1, total });
    cluster.sync();
    this.keep(request.clusterId, cluster, request.labSessionId, request.ownerId, undefined);
    onProgress({ step: 'Cluster ready', done: total, total });
    return {
      clusterId: request.clusterId,
      attachState: { labSessionId: request.labSessionId, ownerId: request.ownerId },
    };
  }

  warmUp(): Promise<string> {
    return warmUpEngine();
  }

  async status(ref: ClusterRef): Promise<ClusterStatus> {
    return this.live.has(ref.clusterId) || ref.snapshotVersion ? 'ready' : 'missing';
  }

  async exec(
    ref: ClusterRef,
    line: string,
    sink: OutputSink,
    signal: AbortSignal,
    input?: ExecInput,
    options: ExecOptions = {},
  ): Promise<ExecResult> {
    const live = await this.attach(ref);
    const io: TerminalIO & { stdin?: ExecInput } = {
      stdout: sink.stdout,
      stderr: sink.stderr,
      signal,
      stdin: input,
      editor: options.editor,
      // A job runs in a subshell: the session's variables are not changed by it.
      background: options.background === true,
    };
    const before = await live.home.sync(options.home);
    // Read as the line starts: the namespace a command without -n runs in (graders use it, see RunEffects).
    const contextNamespace = live.cluster.kubeconfig.namespace();
    const effects = new EffectsRecorder();
    const exitCode = await live.terminal.run(line, { ...io, effects });
    return {
      exitCode,
      home: live.home.changedSince(before, options.home),
      effects: { contextNamespace, ...effects.effects() },
    };
  }

  async readObjects(ref: ClusterRef, query: ObjectQuery): Promise<KubeObjectJson[]> {
    const { cluster } = await this.attach(ref);
    // The API server's list already hands out copies of its objects: a second deep copy here cost a grading
    // that reads 200 objects more than everything else it does (bench:commands, BENCH_LAB=grading-200).
    return queryObjects(cluster, query) as unknown as KubeObjectJson[];
  }

  async serveApi(ref: ClusterRef, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const handler = this.apiOf(await this.attach(ref));
    const ended = new Promise<void>((resolve) => response.once('close', () => resolve()));
    handler.handle(request, response);
    await ended;
  }

  async upgradeApi(
    ref: ClusterRef,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<boolean> {
    const handler = this.apiOf(await this.attach(ref)) as ApiHandler & {
      upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
    };
    // Exec, attach and port-forward streams come with the engine's upgrade support (ApiHandler.upgrade).
    if (typeof handler.upgrade !== 'function') return false;
    handler.upgrade(request, socket, head);
    return true;
  }

  private apiOf(live: LiveCluster): ApiHandler {
    // The address /api reports to clients; kubectl ignores it (it keeps talking to the server it was given).
    live.api ??= new ApiHandler({ cluster: live.cluster, address: () => '127.0.0.1:6443' });
    return live.api;
  }

  async snapshot(ref: ClusterRef): Promise<ClusterSnapshot | null> {
    const live = this.live.get(ref.clusterId);
    if (!live) return null;
    live.cluster.sync();
    const revision = revisionOf(live.cluster);
    if (!live.cached || live.cachedAtRevision !== revision) {
      const data = live.cluster.snapshot();
      live.cached = { data, version: snapshotVersion(data) };
      live.cachedAtRevision = revision;
    }
    noteVersion(live, live.cached.version);
    const external = live.cluster.externalRevision;
    if (live.basis?.externalRevision !== external)
      live.basis = { version: live.cached.version, externalRevision: external };
    return live.basis.version === live.cached.version
      ? live.cached
      : { ...live.cached, replays: live.basis.version };
  }

  async destroy(ref: ClusterRef): Promise<void> {
    this.live.get(ref.clusterId)?.api?.close();
    this.live.delete(ref.clusterId);
  }

  heldInMemory(): { clusterId: string; labSessionId: string }[] {
    return [...this.live].map(([clusterId, live]) => ({ clusterId, labSessionId: live.labSessionId }));
  }

  dropFromMemory(clusterId: string): void {
    this.live.get(clusterId)?.api?.close();
    this.live.delete(clusterId);
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

  private async attach(ref: ClusterRef): Promise<LiveCluster> {
    const existing = this.live.get(ref.clusterId);
    const persisted = ref.snapshotVersion ?? undefined;
    if (
      existing &&
      (persisted === undefined ||
        existing.versions.includes(persisted) ||
        existing.basis?.version === persisted)
    )
      return existing;
    const snapshot = ref.snapshot ?? (await ref.loadSnapshot?.()) ?? null;
    if (!snapshot) {
      if (existing) return existing;
      throw new Error(`cluster ${ref.clusterId} is not in this process and has no snapshot to restore from`);
    }
    const labSessionId = String(ref.attachState.labSessionId ?? '');
    const ownerId = String(ref.attachState.ownerId ?? '');
    return this.keep(
      ref.clusterId,
      restoreCluster(snapshot, { clock: this.clock() }),
      labSessionId,
      ownerId,
      snapshotVersion(snapshot),
    );
  }

  private keep(
    clusterId: string,
    cluster: Cluster,
    labSessionId: string,
    ownerId: string,
    version: string | undefined,
  ): LiveCluster {
    // A copy replaced by a newer state ends its watches: they would never see another event.
    this.live.get(clusterId)?.api?.close();
    const terminal = new LabTerminal(cluster);
    const live: LiveCluster = {
      cluster,
      terminal,
      home: new HomeCopy(terminal.home),
      labSessionId,
      ownerId,
      versions: version ? [version] : [],
      cachedAtRevision: -1,
      cached: undefined,
      // Restored from `version`: until something changes it, the cluster is that snapshot plus time.
      basis: version ? { version, externalRevision: cluster.externalRevision } : undefined,
    };
    this.live.set(clusterId, live);
    return live;
  }
}
