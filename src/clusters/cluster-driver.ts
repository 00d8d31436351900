import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HomeSnapshot } from '../engine';
import type { CommandEffects } from '../engine/kubectl/effects';
import type { TextEditor } from '../engine/terminal/text-editor';

/**
 * ClusterDriver: the one interface every cluster backend (embedded engine, Docker) implements.
 * What one backend can do and another cannot is declared in `capabilities` (DriverCapabilities);
 * the platform reads those, never `name`, which is only for display, health and the cluster record.
 *
 * Lifecycle of one student cluster, as the platform drives it:
 *
 *  1. provision(request, onProgress)  – creates the cluster. Emits ordered progress events
 *     (step name, done/total) that the platform forwards to the student. Resolves with the
 *     driver-specific `attachState` the platform persists; it is everything needed to reach
 *     the cluster again after an API or worker restart. On failure it rejects after removing
 *     whatever it created, so a failed provision leaves nothing behind. With
 *     `capabilities.restoresFromSnapshot`, `request.snapshot` (a snapshot an earlier cluster of the
 *     session returned) starts the cluster with that state instead of a fresh one.
 *  2. status(ref)  – a cheap poll: 'ready', 'starting', 'missing' (the backing resources are
 *     gone, e.g. containers removed behind our back) or 'failed'. Never throws for a missing
 *     cluster; reports it.
 *  3. exec(ref, line, sink, signal, input?)  – runs one terminal command line. Output chunks go to
 *     the sink as they are produced (not at the end). Aborting the signal stops the command; the
 *     promise then resolves with exit code 130. A driver never interprets the line itself beyond
 *     handing it to the cluster's lab terminal. With `capabilities.interactiveInput`, `input` feeds
 *     the command what the student types (a heredoc, `read`); drivers without it ignore `input`.
 *     With `capabilities.backgroundRuns`, several exec calls of one cluster may be in flight at
 *     once (background jobs run beside later commands); without it the platform runs one at a time.
 *     `options.background` says the line is such a job (its `&` already removed): as bash runs a job
 *     in a subshell, it reads no typed input and what it sets in the shell (variables) does not
 *     outlive it; what it writes to files (the kubeconfig of `kubectl config`) stays, as in bash.
 *     With `capabilities.homeFiles`, `options.home` is the student's home directory as the platform
 *     stores it (it belongs to the lab session, not the cluster, so it outlives resets and
 *     idle-outs): the driver's copy is replaced by it first when the stored one is newer or the copy
 *     was never filled (a new or restored cluster), and `ExecResult.home` is the home after the
 *     line when the line changed it, which the platform stores (merging with an editor save that
 *     happened meanwhile).
 *  4. readObjects(ref, query)  – API objects as Kubernetes JSON (what `kubectl get -o json`
 *     prints), for grading. Same shape on every driver, so checks give the same verdict.
 *  5. snapshot(ref)  – with `capabilities.stateVersions`: a compact serialisable state, with a
 *     version string that changes whenever the state does, which the platform stores so a cluster
 *     survives a restart. The platform skips the write when the version equals the one it holds,
 *     and grading skips a command that left the version (and the checks' history) as it last graded
 *     them. Drivers whose state lives elsewhere return null: they are graded after every command.
 *  6. destroy(ref)  – removes everything; idempotent (destroying a missing cluster succeeds).
 *  7. list()  – the clusters the backend actually holds, read back from the backend itself
 *     (container labels for Docker), so reconcile can remove orphans and mark vanished ones.
 *
 * Re-attach after a restart: the platform calls exec/status with the persisted ref; a driver
 * whose in-memory copy is gone, or older than `ref.snapshotVersion` (another worker ran the
 * session's last command), restores it from `ref.snapshot` / `ref.loadSnapshot()` (embedded) or
 * finds it by labels (Docker).
 *
 * Around those: `health()` for /api/health; with `capabilities.multiHost`, `hostIds()` and
 * `hostFor(ref)` route a cluster's commands to the workers beside its host; `reconcile(liveIds)`
 * where the backend has its own (otherwise the platform reconciles through list()/destroy());
 * `warmUp()` before a worker takes its first job (one-time costs a student's command would otherwise pay while
 * every other command in flight waits), `fillWarmPool()` once a worker is up and `close()` at shutdown.
 *
 * Test doubles with the same contract: src/clusters/testing/fake-drivers.ts.
 */
export interface ClusterDriver {
  /** For display, /api/health and the cluster record; never branch on it (read `capabilities`). */
  readonly name: string;
  /** What this backend can do that another may not; constant for the driver's lifetime. */
  readonly capabilities: DriverCapabilities;
  provision(request: ProvisionRequest, onProgress: (event: ProvisionProgress) => void): Promise<ClusterRef>;
  status(ref: ClusterRef): Promise<ClusterStatus>;
  exec(
    ref: ClusterRef,
    line: string,
    sink: OutputSink,
    signal: AbortSignal,
    input?: ExecInput,
    options?: ExecOptions,
  ): Promise<ExecResult>;
  readObjects(ref: ClusterRef, query: ObjectQuery): Promise<KubeObjectJson[]>;
  snapshot(ref: ClusterRef): Promise<ClusterSnapshot | null>;
  destroy(ref: ClusterRef): Promise<void>;
  list(): Promise<ListedCluster[]>;
  /** Whether the backend itself is usable (for /api/health). */
  health(): Promise<DriverHealth>;

  /**
   * With `capabilities.multiHost`: the host a cluster lives on, so its commands go to that host's
   * workers (the platform records it when the cluster is ready).
   */
  hostFor?(ref: ClusterRef): string;
  /** With `capabilities.multiHost`: the hosts this driver reaches (queue names of their workers). */
  hostIds?(): string[];
  /**
   * Removes what the backend holds for clusters that are not live, and reports live clusters whose
   * resources are gone. Backends without their own version are reconciled through list()/destroy().
   */
  reconcile?(liveClusterIds: Iterable<string>): Promise<{ removed: string[]; missing: string[] }>;
  /**
   * Pays the backend's one-time costs in this process (an in-process engine builds its API schema and compiles
   * its hot paths); the worker awaits it before it takes jobs. Resolves with the problems it met ('' for none):
   * a failed warm-up only means the first commands are slower.
   */
  warmUp?(): Promise<string>;
  /**
   * With `capabilities.kubernetesApi`: serves one request of the cluster's Kubernetes API (the student's own
   * kubectl, issue 20) as the cluster's API server answers it, streaming (watches) until the client goes; resolves
   * when the response has ended. The platform has authenticated the request and strips its credentials.
   */
  serveApi?(ref: ClusterRef, request: IncomingMessage, response: ServerResponse): Promise<void>;
  /**
   * With `capabilities.kubernetesApi`: an upgraded request (exec, attach, port-forward). False when the backend
   * cannot serve upgrades yet (the platform then answers with a Status saying so).
   */
  upgradeApi?(ref: ClusterRef, request: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean>;
  /**
   * With `clustersLiveIn: 'process'`: the clusters this process holds in memory, by session, and a way to drop one
   * (its session was placed on another worker): the persisted snapshot stays, and a later attach restores it.
   */
  heldInMemory?(): { clusterId: string; labSessionId: string }[];
  dropFromMemory?(clusterId: string): void;
  /** Backends with a warm pool of ready clusters top it up (called once a worker is up). */
  fillWarmPool?(): Promise<void>;
  /** Releases connections and background work at shutdown. */
  close?(): Promise<void>;
}

/** Differences between backends, declared by each driver (see the lifecycle above). */
export interface DriverCapabilities {
  /**
   * The cluster's whole state is the snapshot the platform keeps: a cluster stopped for idleness
   * comes back with its objects when provisioned from the last snapshot (ProvisionRequest.snapshot),
   * and any worker can re-attach to it from the record.
   */
  readonly restoresFromSnapshot: boolean;
  /**
   * snapshot() returns a version that changes whenever the cluster's state does, so the platform
   * skips unchanged writes and grading may skip a command that changed nothing. False: snapshot()
   * returns null and every command is graded.
   */
  readonly stateVersions: boolean;
  /** Clusters live on several hosts: hostFor() and hostIds() are implemented and route commands. */
  readonly multiHost: boolean;
  /**
   * Where a running cluster lives: `process`, in the memory of one worker process (restored by another from its
   * snapshot), so each session's jobs go to the worker it is placed on (src/placement/); `host`, on a machine every
   * worker reaches, so only commands are routed (to the workers beside the host, with `multiHost`).
   */
  readonly clustersLiveIn: 'process' | 'host';
  /** exec() feeds `input` (what the student types) to the running command. */
  readonly interactiveInput: boolean;
  /**
   * exec() opens `kubectl edit`'s buffer in ExecOptions.editor (the page's editor pane) and hands the command the
   * text it is closed with. Needed only without `interactiveInput`, which covers it: with this alone, the lines
   * that wait for the editor pane only run (RunPlan.editorOnly) and those that read typed input are refused.
   */
  readonly editorPane?: boolean;
  /** Several exec() calls of one cluster may run at the same time (background jobs). */
  readonly backgroundRuns: boolean;
  /**
   * exec() takes the session's home (ExecOptions.home) and returns it when a line changed it
   * (ExecResult.home): files the student writes with the terminal are the ones the editor shows.
   */
  readonly homeFiles: boolean;
  /** serveApi() (and upgradeApi()) serve the cluster's Kubernetes API to the student's own kubectl. */
  readonly kubernetesApi?: boolean;
}

export interface ProvisionRequest {
  clusterId: string;
  labSessionId: string;
  ownerId: string;
  nodeCount: number;
  /** A saved snapshot to start from instead of a fresh cluster (embedded driver). */
  snapshot?: string | null;
}

export interface ProvisionProgress {
  step: string;
  done: number;
  total: number;
}

export interface ClusterRef {
  clusterId: string;
  /** Driver-specific JSON the platform persists and hands back unchanged. */
  attachState: Record<string, unknown>;
  /** Version of the latest persisted snapshot (what snapshot() returned), if any. */
  snapshotVersion?: string | null;
  /** The latest persisted snapshot itself, when the platform already has it in hand… */
  snapshot?: string | null;
  /** …or a way to load it, called only when the driver needs it (it is tens of KiB). */
  loadSnapshot?: () => Promise<string | null>;
}

export interface ClusterSnapshot {
  data: string;
  /** Changes whenever `data` does; equal versions mean equal state. */
  version: string;
  /**
   * Set when nothing but time has changed the cluster since the snapshot of this version was taken: restoring
   * that one reproduces this state (its timers fire at their times), so a record that holds it need not be
   * rewritten. Drivers that cannot tell leave it out.
   */
  replays?: string;
}

export type ClusterStatus = 'ready' | 'starting' | 'missing' | 'failed';

export interface OutputSink {
  stdout(chunk: string): void;
  stderr(chunk: string): void;
}

/** What the student types while a command runs (exec with `capabilities.interactiveInput`). */
export interface ExecInput {
  /** The next typed line without its newline; null at the end of input (Ctrl-D, or the run ended). */
  readLine(signal?: AbortSignal): Promise<string | null>;
}

/** How a line is run, beside the line itself. */
export interface ExecOptions {
  /** A background job (` &`): a subshell of the session's shell, without a terminal. */
  background?: boolean;
  /** With `capabilities.homeFiles`: the session's stored home. */
  home?: ExecHome;
  /** Interactive runs: the page's editor pane, where `kubectl edit` opens its buffer. */
  editor?: TextEditor;
}

/** The session's home as the platform stores it: its version, and the home itself when needed. */
export interface ExecHome {
  /** Only grows: a driver whose copy is at a lower version (or was never filled) loads the home. */
  version: number;
  load(): Promise<HomeSnapshot>;
}

export interface ExecResult {
  exitCode: number;
  /** With `capabilities.homeFiles`: the home after the line, when the line changed it. */
  home?: HomeSnapshot;
  /**
   * What the line did, as the cluster's terminal recorded it: the namespaces it ran in and the objects it
   * wrote. Drivers whose terminal cannot tell leave it out; graders then infer the namespace from the history.
   */
  effects?: RunEffects;
}

/** The recorded effects of one line (stored with its run; grading reads them in its history entries). */
export interface RunEffects extends CommandEffects {
  /** The kubeconfig context's namespace when the line started ('' = none, i.e. default). */
  contextNamespace: string;
  /**
   * A line that came through the session's Kubernetes API rather than the terminal (the student's own kubectl,
   * issue 20): the client (`kubectl`, or another client's User-Agent product) and how many requests it made. Its
   * contextNamespace means nothing and its output is not recorded (src/kube-api/invocation-history.service.ts).
   */
  origin?: RunOrigin;
}

export interface RunOrigin {
  client: string;
  requests: number;
}

export interface ObjectQuery {
  /** Kubernetes kind, e.g. "Pod", "Deployment", "Service", "Node". */
  kind: string;
  /** Omit for all namespaces (and for cluster-scoped kinds). */
  namespace?: string;
  name?: string;
  labelSelector?: string;
}

export type KubeObjectJson = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
};

export interface ListedCluster {
  clusterId: string;
  labSessionId?: string;
  ownerId?: string;
}

export interface DriverHealth {
  ok: boolean;
  detail: string;
}
