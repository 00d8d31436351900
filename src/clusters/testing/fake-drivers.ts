/**
 * Test doubles of ClusterDriver (as JupyterHub tests its hub with slow, never-starting and broken
 * spawners), so services that drive clusters get fast unit specs without an engine or Docker:
 *
 * - FakeDriver: a working backend in memory. Echoes each line (or answers a canned reply), keeps the
 *   lines run as the cluster's state (versioned snapshots that restore), and records every call.
 * - SlowDriver: the same after a delay on provision and exec (real short timers, or any `wait`).
 * - NeverReadyDriver: provision never settles; status stays 'starting'.
 * - BadDriver: provision and exec reject; status 'failed'; it holds nothing.
 *
 * Lines a FakeDriver understands beyond echoing: `sleep` (and the lines `runsUntilAborted` picks)
 * run until aborted (exit 130); `cat` echoes typed input (ExecInput) until it ends, with
 * `capabilities.interactiveInput`; `write PATH TEXT` writes TEXT to the file PATH of the cluster's
 * home (a copy of the session's stored home, as the embedded driver keeps one), with
 * `capabilities.homeFiles`.
 */
import { HomeDirectory } from '../../engine';
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
import { HomeCopy } from '../home-sync';

export const ABORTED_EXIT = 130;

export interface CannedReply {
  stdout?: string;
  stderr?: string;
  exitCode: number;
}

export interface DriverCall {
  method: 'provision' | 'status' | 'exec' | 'readObjects' | 'snapshot' | 'destroy' | 'list';
  clusterId?: string;
  line?: string;
  /** exec: the line ran as a background job (ExecOptions.background). */
  background?: boolean;
}

export interface FakeDriverOptions {
  name?: string;
  /** Overrides of the defaults (embedded-like: snapshots, input and background runs, one host). */
  capabilities?: Partial<DriverCapabilities>;
  /** Answers by exact line; any other line is echoed with exit 0. */
  replies?: Record<string, CannedReply>;
  /** What readObjects selects from (by kind, namespace and name). */
  objects?: KubeObjectJson[];
  /** The host clusters are placed on when `capabilities.multiHost`. */
  host?: string;
  /**
   * Lines that run until aborted (exit 130), as `kubectl get pods -w` follows until Ctrl-C; by
   * default only `sleep`.
   */
  runsUntilAborted?: (line: string) => boolean;
}

/** Waits `ms`, or less when `signal` aborts first. */
export type Wait = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realTimers: Wait = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

interface FakeCluster {
  labSessionId: string;
  ownerId: string;
  /** The lines run so far: the cluster's whole state. */
  lines: string[];
  /** Not part of the cluster's state: the session's home, loaded on the first exec. */
  home: HomeCopy;
}

/** A home with a fixed clock, so the fakes' files have stable times. */
function fakeHome(): HomeCopy {
  return new HomeCopy(new HomeDirectory(() => 0));
}

const DEFAULT_CAPABILITIES: DriverCapabilities = {
  restoresFromSnapshot: true,
  stateVersions: true,
  multiHost: false,
  clustersLiveIn: 'process',
  interactiveInput: true,
  backgroundRuns: true,
  homeFiles: true,
};

export class FakeDriver implements ClusterDriver {
  readonly name: string;
  readonly capabilities: DriverCapabilities;
  /** Every call, in order. */
  readonly calls: DriverCall[] = [];
  protected readonly held = new Map<string, FakeCluster>();

  constructor(protected readonly options: FakeDriverOptions = {}) {
    this.name = options.name ?? 'fake';
    this.capabilities = { ...DEFAULT_CAPABILITIES, ...options.capabilities };
  }

  /** The calls of one method, for assertions. */
  callsOf(method: DriverCall['method']): DriverCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The lines a cluster has run (its state). */
  linesOf(clusterId: string): string[] | undefined {
    return this.held.get(clusterId)?.lines;
  }

  async provision(
    request: ProvisionRequest,
    onProgress: (event: ProvisionProgress) => void,
  ): Promise<ClusterRef> {
    this.calls.push({ method: 'provision', clusterId: request.clusterId });
    onProgress({ step: 'Creating the fake cluster', done: 0, total: 1 });
    const lines =
      request.snapshot && this.capabilities.restoresFromSnapshot
        ? (JSON.parse(request.snapshot) as string[])
        : [];
    this.held.set(request.clusterId, {
      labSessionId: request.labSessionId,
      ownerId: request.ownerId,
      lines,
      home: fakeHome(),
    });
    onProgress({ step: 'Cluster ready', done: 1, total: 1 });
    const attachState: Record<string, unknown> = {
      labSessionId: request.labSessionId,
      ownerId: request.ownerId,
    };
    if (this.capabilities.multiHost) attachState.host = this.options.host ?? 'host-1';
    return { clusterId: request.clusterId, attachState };
  }

  async status(ref: ClusterRef): Promise<ClusterStatus> {
    this.calls.push({ method: 'status', clusterId: ref.clusterId });
    return this.held.has(ref.clusterId) ? 'ready' : 'missing';
  }

  async exec(
    ref: ClusterRef,
    line: string,
    sink: OutputSink,
    signal: AbortSignal,
    input?: ExecInput,
    options?: ExecOptions,
  ): Promise<ExecResult> {
    this.calls.push({ method: 'exec', clusterId: ref.clusterId, line, background: options?.background });
    const cluster = await this.attach(ref);
    if (signal.aborted) return { exitCode: ABORTED_EXIT };
    cluster.lines.push(line);
    const home = this.capabilities.homeFiles ? options?.home : undefined;
    const before = await cluster.home.sync(home);
    const write = /^write (\S+) (.*)$/.exec(line);
    if (write && home) {
      try {
        cluster.home.home.writeFile(write[1], `${write[2]}\n`);
      } catch (error) {
        sink.stderr(`write: ${write[1]}: ${(error as Error).message}\n`);
        return { exitCode: 1 };
      }
      return { exitCode: 0, home: cluster.home.changedSince(before, home) };
    }
    const canned = this.options.replies?.[line];
    if (canned) {
      if (canned.stdout) sink.stdout(canned.stdout);
      if (canned.stderr) sink.stderr(canned.stderr);
      return { exitCode: canned.exitCode };
    }
    if (line === 'sleep' || this.options.runsUntilAborted?.(line)) {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return { exitCode: ABORTED_EXIT };
    }
    if (line === 'cat' && input && this.capabilities.interactiveInput) {
      for (let typed = await input.readLine(signal); typed !== null; typed = await input.readLine(signal)) {
        if (signal.aborted) break;
        sink.stdout(`${typed}\n`);
      }
      return { exitCode: signal.aborted ? ABORTED_EXIT : 0 };
    }
    sink.stdout(`${line}\n`);
    return { exitCode: 0 };
  }

  async readObjects(ref: ClusterRef, query: ObjectQuery): Promise<KubeObjectJson[]> {
    this.calls.push({ method: 'readObjects', clusterId: ref.clusterId });
    await this.attach(ref);
    return (this.options.objects ?? []).filter(
      (object) =>
        object.kind === query.kind &&
        (query.namespace === undefined || object.metadata.namespace === query.namespace) &&
        (query.name === undefined || object.metadata.name === query.name),
    );
  }

  async snapshot(ref: ClusterRef): Promise<ClusterSnapshot | null> {
    this.calls.push({ method: 'snapshot', clusterId: ref.clusterId });
    const cluster = this.held.get(ref.clusterId);
    if (!cluster || !this.capabilities.stateVersions) return null;
    // Lines are only ever added: their count versions the state.
    return { data: JSON.stringify(cluster.lines), version: `v${cluster.lines.length}` };
  }

  async destroy(ref: ClusterRef): Promise<void> {
    this.calls.push({ method: 'destroy', clusterId: ref.clusterId });
    this.held.delete(ref.clusterId);
  }

  async list(): Promise<ListedCluster[]> {
    this.calls.push({ method: 'list' });
    return [...this.held].map(([clusterId, cluster]) => ({
      clusterId,
      labSessionId: cluster.labSessionId,
      ownerId: cluster.ownerId,
    }));
  }

  async health(): Promise<DriverHealth> {
    return { ok: true, detail: `${this.held.size} fake cluster(s)` };
  }

  hostFor(ref: ClusterRef): string {
    return String(ref.attachState.host ?? this.options.host ?? 'host-1');
  }

  hostIds(): string[] {
    return [this.options.host ?? 'host-1'];
  }

  /** The held cluster, restored from the ref's snapshot when this driver does not hold it. */
  protected async attach(ref: ClusterRef): Promise<FakeCluster> {
    const existing = this.held.get(ref.clusterId);
    if (existing) return existing;
    const snapshot = this.capabilities.restoresFromSnapshot
      ? (ref.snapshot ?? (await ref.loadSnapshot?.()) ?? null)
      : null;
    if (snapshot) {
      const restored: FakeCluster = {
        labSessionId: String(ref.attachState.labSessionId ?? ''),
        ownerId: String(ref.attachState.ownerId ?? ''),
        lines: JSON.parse(snapshot) as string[],
        home: fakeHome(),
      };
      this.held.set(ref.clusterId, restored);
      return restored;
    }
    throw new Error(`cluster ${ref.clusterId} is missing`);
  }
}

export interface SlowDriverOptions extends FakeDriverOptions {
  /** How long provision takes. */
  provisionMs?: number;
  /** How long each exec takes before it answers (abort ends the wait: exit 130). */
  execMs?: number;
  /** Real timers by default; pass a controllable clock's wait to step time by hand. */
  wait?: Wait;
}

/** A working backend that takes its time: status is 'starting' while a provision is under way. */
export class SlowDriver extends FakeDriver {
  private readonly starting = new Set<string>();
  private readonly wait: Wait;

  constructor(private readonly slow: SlowDriverOptions = {}) {
    super({ name: 'slow', ...slow });
    this.wait = slow.wait ?? realTimers;
  }

  override async provision(
    request: ProvisionRequest,
    onProgress: (event: ProvisionProgress) => void,
  ): Promise<ClusterRef> {
    this.starting.add(request.clusterId);
    try {
      onProgress({ step: 'Waiting for the slow backend', done: 0, total: 1 });
      await this.wait(this.slow.provisionMs ?? 200);
      return await super.provision(request, onProgress);
    } finally {
      this.starting.delete(request.clusterId);
    }
  }

  override async status(ref: ClusterRef): Promise<ClusterStatus> {
    return this.starting.has(ref.clusterId) ? 'starting' : super.status(ref);
  }

  override async exec(
    ref: ClusterRef,
    line: string,
    sink: OutputSink,
    signal: AbortSignal,
    input?: ExecInput,
    options?: ExecOptions,
  ): Promise<ExecResult> {
    await this.wait(this.slow.execMs ?? 50, signal);
    if (signal.aborted) {
      this.calls.push({ method: 'exec', clusterId: ref.clusterId, line, background: options?.background });
      return { exitCode: ABORTED_EXIT };
    }
    return super.exec(ref, line, sink, signal, input, options);
  }
}

/** A backend whose clusters never come up: provision never settles and status stays 'starting'. */
export class NeverReadyDriver extends FakeDriver {
  constructor(options: FakeDriverOptions = {}) {
    super({ name: 'never-ready', ...options });
  }

  override provision(
    request: ProvisionRequest,
    onProgress: (event: ProvisionProgress) => void,
  ): Promise<ClusterRef> {
    this.calls.push({ method: 'provision', clusterId: request.clusterId });
    onProgress({ step: 'Waiting forever', done: 0, total: 1 });
    return new Promise<ClusterRef>(() => undefined);
  }

  override async status(ref: ClusterRef): Promise<ClusterStatus> {
    this.calls.push({ method: 'status', clusterId: ref.clusterId });
    return 'starting';
  }
}

/** A broken backend: provision and every use of a cluster reject; it never holds anything. */
export class BadDriver extends FakeDriver {
  constructor(readonly failure = 'the backend refused to create the cluster') {
    super({ name: 'bad' });
  }

  override async provision(request: ProvisionRequest): Promise<ClusterRef> {
    this.calls.push({ method: 'provision', clusterId: request.clusterId });
    throw new Error(this.failure);
  }

  override async status(ref: ClusterRef): Promise<ClusterStatus> {
    this.calls.push({ method: 'status', clusterId: ref.clusterId });
    return 'failed';
  }

  override async exec(ref: ClusterRef, line: string): Promise<ExecResult> {
    this.calls.push({ method: 'exec', clusterId: ref.clusterId, line });
    throw new Error(this.failure);
  }

  override async readObjects(ref: ClusterRef): Promise<KubeObjectJson[]> {
    this.calls.push({ method: 'readObjects', clusterId: ref.clusterId });
    throw new Error(this.failure);
  }

  override async health(): Promise<DriverHealth> {
    return { ok: false, detail: this.failure };
  }
}
