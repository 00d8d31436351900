/**
 * The simulated kubelet of every node: sandbox and pod IP, image pulls against the catalogue (serialised per
 * node, "already present" on later pulls), pull failures with exponential back-off, container start, probes
 * (prober.ts: readiness, liveness and startup, a failed liveness probe killing the container), crash loops, and
 * graceful termination. Each pod is a small state machine advanced by timers; the pod's status
 * is rendered from that state whenever it changes. All state is plain data so the cluster can snapshot it.
 */
import { parseQuantity } from '../api/quantity';
import type { Container, Node, Pod } from '../api/types';
import { podHostname, type ProbeRequest } from '../runtime/apps';
import { lookupImage, parseImage, PRELOADED_IMAGES, pullFailure } from '../runtime/images';
import { goDuration } from '../runtime/go-duration';
import { runProgram } from '../runtime/programs';
import {
  isServiceAccountVolume,
  isStale,
  subPathCopies,
  timestampedDir,
  volumeContent,
  type PodVolumes,
} from '../runtime/volumes';
import { deepEqual, withStatus } from '../store/store';
import { resolveEnv } from './container-env';
import type { Controller, ControllerContext } from './context';
import { renderStatus } from './kubelet-status';
import { newProbeWorkers, nextProbeAt, Prober, probesOnStart, probeSpec, type ProbeWorker } from './prober';

export { renderStatus } from './kubelet-status';

export const KUBELET_TIMER = 'kubelet';
/** Image pull back-off: 10 s, doubling, capped at 5 min (kubelet flowcontrol.Backoff). */
export const PULL_BACKOFF_INITIAL_MS = 10_000;
export const PULL_BACKOFF_MAX_MS = 300_000;
/** Crash-loop back-off (kubelet flowcontrol.Backoff): 10 s doubling to 5 min, forgotten after 10 min. */
export const CRASH_BACKOFF_INITIAL_MS = 10_000;
export const CRASH_BACKOFF_MAX_MS = 300_000;
/** Volume operation retries (nestedpendingoperations): 500 ms doubling to 2 min 2 s. */
const MOUNT_BACKOFF_INITIAL_MS = 500;
const MOUNT_BACKOFF_MAX_MS = 122_000;
/** The kubelet's periodic pod sync (--sync-frequency), when updated ConfigMaps and Secrets reach the files. */
export const VOLUME_SYNC_MS = 60_000;
/** How long a program is simulated ahead to find when it exits. */
const PROGRAM_HORIZON_MS = 7 * 86_400_000;

export type ContainerStage =
  | 'waiting' // sandbox not ready yet: ContainerCreating
  | 'pulling' // pull in flight; `pullFails` says how it ends
  | 'pull-error' // ErrImagePull, back-off running
  | 'pull-backoff' // ImagePullBackOff
  | 'invalid' // InvalidImageName / ErrImageNeverPull: never retried
  | 'starting' // image present, container being created
  | 'running'
  | 'exited' // just exited; the next sync decides on a restart
  | 'crash-backoff' // exited, waiting to restart: CrashLoopBackOff
  | 'config-error' // CreateContainerConfigError, retried on every sync
  | 'terminated'; // exited for good (restartPolicy), or an init container that succeeded

export interface ExitRecord {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerId: string;
}

export interface ContainerRecord {
  name: string;
  /** An init container (runs to completion, in order, before the app containers). */
  init?: boolean;
  image: string;
  stage: ContainerStage;
  /** When the pending step of this container is due. */
  nextAt?: number;
  pullRequestedAt?: number;
  pullFails?: boolean;
  /** Time the registry transfer itself took (the "in X" of the Pulled event; the rest is queueing). */
  pullDurationMs?: number;
  pullFailures: number;
  lastPullFailureAt?: number;
  waitingReason?: string;
  waitingMessage?: string;
  containerId?: string;
  startedAt?: number;
  restarts: number;
  /** The latest termination; `priorExit` the one before (State / Last State of a terminated container). */
  lastExit?: ExitRecord;
  priorExit?: ExitRecord;
  /** How the running instance will end (from its program). */
  exitCode?: number;
  exitReason?: string;
  /** Crash-loop back-off: current delay and when it was last advanced. */
  backoffMs?: number;
  backoffAt?: number;
  /** Times of the HTTP requests the app served (for its log), newest last, bounded. */
  served: number[];
  /** Commands exec'd so far (process IDs in `ps` grow with them). */
  execs?: number;
  /** Liveness/readiness/startup probe workers (prober.ts), and the HTTP probe requests nginx logged. */
  probes?: ProbeWorker[];
  probeRequests?: ProbeRequest[];
  /** The running instance is being killed for a failed liveness/startup probe; it restarts when it ends. */
  killed?: boolean;
  /** Files written into the container's own layer (`sh -c 'echo hi > /tmp/x'`), gone when it restarts. */
  files?: Record<string, string>;
  /** subPath mounts: mount path → the entry's content when the container started (runtime/volumes.ts). */
  subPaths?: Record<string, string>;
}

export interface PodRecord {
  uid: string;
  namespace: string;
  name: string;
  node: string;
  seenAt: number;
  sandboxAt?: number;
  ip?: string;
  terminatingAt?: number;
  containers: ContainerRecord[];
  /** Content volumes as last written, and emptyDir files (runtime/volumes.ts). */
  volumes?: PodVolumes['volumes'];
  emptyDirs?: PodVolumes['emptyDirs'];
  /** Failed MountVolume.SetUp attempts so far (their back-off), and the periodic sync that rewrites volumes. */
  mountFailures?: number;
  volumeSyncAt?: number;
}

export interface NodeRecord {
  /** image key → time it became present on the node. */
  images: Record<string, number>;
  /** Serialised pulls: when the puller is free again. */
  pullerFreeAt: number;
  /** host-local IPAM: last host number handed out in the node's /24. */
  lastIp: number;
}

export interface KubeletState {
  pods: PodRecord[];
  nodes: Record<string, NodeRecord>;
}

const SOURCE = (node: string) => ({ component: 'kubelet', host: node });

export function backoffFor(failures: number, initial = PULL_BACKOFF_INITIAL_MS): number {
  return Math.min(initial * 2 ** Math.max(0, failures - 1), PULL_BACKOFF_MAX_MS);
}

/** The node's pod subnet: 10.244.<index>.0/24 (minikube's kindnet/bridge layout, reference §4.6). */
export function podSubnetOf(node: Node): string {
  return (node.spec.podCIDR ?? '10.244.0.0/24').replace(/\.0\/24$/, '');
}

export class Kubelet implements Controller {
  readonly watches = ['pods', 'nodes', 'configmaps', 'secrets'] as const;

  private pods = new Map<string, PodRecord>();
  private nodes = new Map<string, NodeRecord>();
  /** Its targets (network, container runtime) are attached by the cluster once they exist. */
  readonly prober = new Prober({
    event: (pod, type, reason, message, container) => this.record(pod, type, reason, message, container),
    kill: (pod, rec, c, type, now) => this.killForProbe(pod, rec, c, type, now),
    syncDelay: () => this.ctx.random.int(20, 120),
  });

  constructor(private readonly ctx: ControllerContext) {}

  // ---------------------------------------------------------------- state

  state(): KubeletState {
    return { pods: [...this.pods.values()], nodes: Object.fromEntries(this.nodes) };
  }

  load(state: KubeletState): void {
    this.pods = new Map(state.pods.map((p) => [p.uid, p]));
    this.nodes = new Map(Object.entries(state.nodes));
  }

  nodeRecord(name: string): NodeRecord {
    let rec = this.nodes.get(name);
    if (!rec) {
      rec = { images: {}, pullerFreeAt: 0, lastIp: 1 };
      for (const ref of PRELOADED_IMAGES) rec.images[ref] = 0;
      this.nodes.set(name, rec);
    }
    return rec;
  }

  podRecord(uid: string | undefined): PodRecord | undefined {
    return uid ? this.pods.get(uid) : undefined;
  }

  /** Registers a pod that is already running (the system pods a fresh minikube boots with). */
  adoptRunning(pod: Pod, record: PodRecord): void {
    this.pods.set(pod.metadata.uid!, record);
  }

  // ---------------------------------------------------------------- reconcile (level-triggered)

  reconcile(): void {
    const now = this.ctx.now();
    const live = new Set<string>();
    for (const pod of this.ctx.store.values<Pod>('pods')) {
      if (!pod.spec.nodeName) continue;
      const uid = pod.metadata.uid!;
      live.add(uid);
      let rec = this.pods.get(uid);
      if (!rec) {
        rec = this.admit(pod, now);
      }
      if (pod.metadata.deletionTimestamp && rec.terminatingAt === undefined)
        this.beginTermination(pod, rec, now);
      else if (rec.volumes && rec.volumeSyncAt === undefined && rec.terminatingAt === undefined)
        this.noticeVolumeChanges(pod, rec, now);
    }
    for (const uid of [...this.pods.keys()]) if (!live.has(uid)) this.pods.delete(uid);
  }

  /** A pod newly bound to this node: ContainerCreating now, the sandbox (and its IP) a moment later. */
  private admit(pod: Pod, now: number): PodRecord {
    const rec: PodRecord = {
      uid: pod.metadata.uid!,
      namespace: pod.metadata.namespace!,
      name: pod.metadata.name,
      node: pod.spec.nodeName!,
      seenAt: now,
      containers: [
        ...(pod.spec.initContainers ?? []).map((c) => newContainer(c, true)),
        ...pod.spec.containers.map((c) => ({ ...newContainer(c, false), probes: newProbeWorkers(c, now) })),
      ],
    };
    this.pods.set(rec.uid, rec);
    if (pod.metadata.deletionTimestamp) {
      this.beginTermination(pod, rec, now);
      return rec;
    }
    this.schedule(rec, now + this.ctx.random.int(400, 900));
    this.writeStatus(pod, rec);
    return rec;
  }

  private schedule(rec: PodRecord, at: number): void {
    this.ctx.timers.schedule(at, KUBELET_TIMER, rec.uid);
  }

  // ---------------------------------------------------------------- timer-driven steps

  /** Advances every step of this pod that is due. */
  onTimer(uid: string): void {
    const rec = this.pods.get(uid);
    if (!rec) return;
    const pod = this.ctx.store.get<Pod>('pods', rec.namespace, rec.name);
    if (!pod || pod.metadata.uid !== uid) {
      this.pods.delete(uid);
      return;
    }
    const now = this.ctx.now();
    if (rec.terminatingAt !== undefined) {
      if (now >= rec.terminatingAt) this.finishTermination(rec);
      return;
    }
    if (rec.volumeSyncAt !== undefined && rec.volumeSyncAt <= now) this.rewriteVolumes(pod, rec, now);
    if (rec.sandboxAt === undefined) {
      // The pod's volumes are mounted before its sandbox starts (WaitForAttachAndMount).
      if (!this.mountVolumes(pod, rec, now)) return this.writeStatus(pod, rec);
      this.createSandbox(pod, rec, now);
    }
    for (const c of rec.containers) {
      if (c.nextAt !== undefined && c.nextAt <= now) {
        c.nextAt = undefined;
        this.step(pod, rec, c, now);
      }
    }
    this.prober.run(pod, rec, (c) => this.containerSpec(pod, c), now);
    const next = rec.containers
      .flatMap((c) => [c.nextAt, nextProbeAt(c)])
      .filter((t): t is number => t !== undefined);
    if (next.length) this.schedule(rec, Math.min(...next));
    const latest = this.ctx.store.get<Pod>('pods', rec.namespace, rec.name);
    if (latest) this.writeStatus(latest, rec);
  }

  // ---------------------------------------------------------------- volumes

  /**
   * Mounts every content volume (configMap, secret, downwardAPI, projected). A missing source fails the mount with
   * kubelet's FailedMount event, retried with the volume manager's back-off until the source appears.
   */
  private mountVolumes(pod: Pod, rec: PodRecord, now: number): boolean {
    const written: NonNullable<PodRecord['volumes']> = {};
    for (const volume of pod.spec.volumes ?? []) {
      if (isServiceAccountVolume(volume.name)) continue;
      const content = volumeContent(this.ctx.store, pod, volume);
      if (content === undefined) continue;
      if ('error' in content) {
        rec.mountFailures = (rec.mountFailures ?? 0) + 1;
        this.ctx.events.record(
          pod,
          'Warning',
          'FailedMount',
          `MountVolume.SetUp failed for volume "${volume.name}" : ${content.error}`,
          SOURCE(rec.node),
        );
        const delay = Math.min(MOUNT_BACKOFF_INITIAL_MS * 2 ** (rec.mountFailures - 1), MOUNT_BACKOFF_MAX_MS);
        this.schedule(rec, now + delay);
        return false;
      }
      written[volume.name] = { dir: this.stampDir(rec, volume.name, now), writtenAt: now, ...content };
    }
    if (Object.keys(written).length) rec.volumes = written;
    return true;
  }

  /** The directory name's random part comes from the pod, volume and time, not the shared random stream, so
   *  mounting volumes leaves the names of everything else unchanged. */
  private stampDir(rec: PodRecord, volume: string, now: number): string {
    let h = 0x811c9dc5;
    for (const ch of `${rec.uid}/${volume}/${now}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return timestampedDir(now, h);
  }

  /** A source of a mounted volume changed: the files follow at the pod's next periodic sync. */
  private noticeVolumeChanges(pod: Pod, rec: PodRecord, now: number): void {
    if (rec.sandboxAt === undefined) return;
    if (!Object.values(rec.volumes ?? {}).some((snap) => isStale(this.ctx.store, pod, snap))) return;
    const periods = Math.floor((now - rec.sandboxAt) / VOLUME_SYNC_MS) + 1;
    rec.volumeSyncAt = rec.sandboxAt + periods * VOLUME_SYNC_MS;
    this.schedule(rec, rec.volumeSyncAt);
  }

  /** The periodic sync: the atomic writer swaps `..data` to a new timestamped directory (subPath copies stay). */
  private rewriteVolumes(pod: Pod, rec: PodRecord, now: number): void {
    rec.volumeSyncAt = undefined;
    for (const volume of pod.spec.volumes ?? []) {
      const old = rec.volumes?.[volume.name];
      if (!old || !isStale(this.ctx.store, pod, old)) continue;
      const content = volumeContent(this.ctx.store, pod, volume);
      // A source deleted after the mount leaves the files as they were.
      if (!content || 'error' in content) continue;
      rec.volumes![volume.name] = { dir: this.stampDir(rec, volume.name, now), writtenAt: now, ...content };
    }
  }

  private createSandbox(pod: Pod, rec: PodRecord, now: number): void {
    rec.sandboxAt = now;
    rec.ip = pod.spec.hostNetwork ? this.nodeIp(rec.node) : this.allocateIp(rec.node);
    this.beginNext(pod, rec, now);
  }

  /** Starts the first init container that has not succeeded, or, with all of them done, the app containers. */
  private beginNext(pod: Pod, rec: PodRecord, now: number): void {
    const init = rec.containers.find(
      (c) => c.init && !(c.stage === 'terminated' && c.lastExit?.exitCode === 0),
    );
    if (init) {
      if (init.stage === 'waiting') this.beginImage(pod, rec, init, now);
      return;
    }
    for (const c of rec.containers) if (!c.init && c.stage === 'waiting') this.beginImage(pod, rec, c, now);
  }

  private containerSpec(pod: Pod, c: ContainerRecord): Container {
    const list = c.init ? (pod.spec.initContainers ?? []) : pod.spec.containers;
    return list.find((x) => x.name === c.name) ?? { name: c.name, image: c.image };
  }

  private record(
    pod: Pod,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    container: string,
  ): void {
    const init = pod.spec.initContainers?.some((c) => c.name === container);
    this.ctx.events.record(
      pod,
      type,
      reason,
      message,
      SOURCE(pod.spec.nodeName!),
      `spec.${init ? 'initContainers' : 'containers'}{${container}}`,
    );
  }

  private beginImage(pod: Pod, rec: PodRecord, c: ContainerRecord, now: number): void {
    const spec = this.containerSpec(pod, c);
    const parsed = parseImage(spec.image);
    if ('error' in parsed) {
      c.stage = 'invalid';
      c.waitingReason = 'InvalidImageName';
      c.waitingMessage = `Failed to apply default image tag "${spec.image}": ${parsed.error}`;
      this.record(pod, 'Warning', 'InspectFailed', c.waitingMessage, c.name);
      this.record(pod, 'Warning', 'Failed', 'Error: InvalidImageName', c.name);
      return;
    }
    const node = this.nodeRecord(rec.node);
    const presentSince = node.images[parsed.key];
    const present = presentSince !== undefined && presentSince <= now;
    if (present && spec.imagePullPolicy !== 'Always') {
      this.record(
        pod,
        'Normal',
        'Pulled',
        `Container image "${spec.image}" already present on machine`,
        c.name,
      );
      c.stage = 'starting';
      c.nextAt = now + this.ctx.random.int(150, 450);
      return;
    }
    if (spec.imagePullPolicy === 'Never') {
      c.stage = 'invalid';
      c.waitingReason = 'ErrImageNeverPull';
      c.waitingMessage = `Container image "${spec.image}" is not present with pull policy of Never`;
      this.record(pod, 'Warning', 'ErrImageNeverPull', c.waitingMessage, c.name);
      this.record(pod, 'Warning', 'Failed', 'Error: ErrImageNeverPull', c.name);
      return;
    }
    this.record(pod, 'Normal', 'Pulling', `Pulling image "${spec.image}"`, c.name);
    c.stage = 'pulling';
    c.pullRequestedAt = now;
    const img = lookupImage(spec.image);
    if (!img) {
      c.pullFails = true;
      c.nextAt = now + this.ctx.random.int(900, 1900);
      return;
    }
    c.pullFails = false;
    const start = Math.max(now, node.pullerFreeAt);
    const alreadyFetched = presentSince !== undefined && presentSince <= start;
    const duration = alreadyFetched
      ? this.ctx.random.int(300, 900)
      : Math.round(img.pullSeconds * 1000 * (0.9 + this.ctx.random.int(0, 200) / 1000));
    node.pullerFreeAt = start + duration;
    c.pullDurationMs = duration;
    if (presentSince === undefined || presentSince > start + duration)
      node.images[parsed.key] = start + duration;
    c.nextAt = start + duration;
  }

  private step(pod: Pod, rec: PodRecord, c: ContainerRecord, now: number): void {
    const spec = this.containerSpec(pod, c);
    switch (c.stage) {
      case 'pulling':
        if (c.pullFails) return this.pullFailed(pod, c, spec, now);
        return this.pullSucceeded(pod, rec, c, spec, now);
      case 'pull-error':
        // The pod worker's next sync finds the image in back-off.
        c.stage = 'pull-backoff';
        c.waitingReason = 'ImagePullBackOff';
        c.waitingMessage = `Back-off pulling image "${spec.image}"`;
        this.record(pod, 'Normal', 'BackOff', c.waitingMessage, c.name);
        this.record(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', c.name);
        c.nextAt = this.backoffEnds(c);
        return;
      case 'pull-backoff':
      case 'config-error':
        return this.beginImage(pod, rec, c, now);
      case 'starting':
        return this.startContainer(pod, rec, c, spec, now);
      case 'running':
        return this.containerExited(pod, rec, c, now);
      case 'exited':
      case 'crash-backoff':
        return this.syncCrashed(pod, rec, c, now);
      default:
        return;
    }
  }

  private backoffEnds(c: ContainerRecord): number {
    return (c.lastPullFailureAt ?? 0) + backoffFor(c.pullFailures);
  }

  private pullFailed(pod: Pod, c: ContainerRecord, spec: Container, now: number): void {
    const message = pullFailure(spec.image);
    c.stage = 'pull-error';
    c.pullFailures++;
    c.lastPullFailureAt = now;
    c.waitingReason = 'ErrImagePull';
    c.waitingMessage = message;
    this.record(pod, 'Warning', 'Failed', `Failed to pull image "${spec.image}": ${message}`, c.name);
    this.record(pod, 'Warning', 'Failed', 'Error: ErrImagePull', c.name);
    c.nextAt = now + 1000;
  }

  private pullSucceeded(pod: Pod, rec: PodRecord, c: ContainerRecord, spec: Container, now: number): void {
    const img = lookupImage(spec.image)!;
    const waited = now - (c.pullRequestedAt ?? now);
    const duration = c.pullDurationMs ?? waited;
    this.record(
      pod,
      'Normal',
      'Pulled',
      `Successfully pulled image "${spec.image}" in ${goDuration(duration)} (${goDuration(waited)} including waiting). Image size: ${img.sizeBytes} bytes.`,
      c.name,
    );
    this.startContainer(pod, rec, c, spec, now);
  }

  /** Creates and starts the container: its environment first (CreateContainerConfigError), then its program. */
  private startContainer(pod: Pod, rec: PodRecord, c: ContainerRecord, spec: Container, now: number): void {
    const env = resolveEnv(this.ctx.store, pod, spec);
    if ('error' in env) {
      c.stage = 'config-error';
      c.waitingReason = 'CreateContainerConfigError';
      c.waitingMessage = env.error;
      this.record(pod, 'Warning', 'Failed', `Error: ${env.error}`, c.name);
      c.nextAt = now + this.ctx.random.int(10_000, 15_000); // the pod worker's retry after an error
      return;
    }
    const limit = spec.resources?.limits?.memory;
    const memoryLimit = limit ? Number(parseQuantity(limit)?.milli ?? 0n) / 1000 || undefined : undefined;
    const run = runProgram({
      image: spec.image,
      command: spec.command,
      args: spec.args,
      env: Object.fromEntries(env.env),
      memoryLimit,
      hostname: pod.spec.hostname ?? podHostname(pod.metadata.name),
      startedAt: now,
      horizon: PROGRAM_HORIZON_MS,
    });
    if (c.lastExit) c.restarts++;
    c.containerId = this.ctx.random.hex(64);
    // A new container: a fresh writable layer, and subPath copies of the volumes as they are now.
    c.files = undefined;
    c.subPaths = subPathCopies(spec, rec);
    c.waitingReason = undefined;
    c.waitingMessage = undefined;
    c.served = [];
    c.probeRequests = undefined;
    c.startedAt = now;
    this.record(pod, 'Normal', 'Created', `Created container ${c.name}`, c.name);
    if (run.startError) {
      this.record(
        pod,
        'Warning',
        'Failed',
        `Error: failed to start container "${c.name}": Error response from daemon: ${run.startError}`,
        c.name,
      );
      c.exitCode = run.exitCode;
      c.exitReason = run.reason;
      return this.containerExited(pod, rec, c, now);
    }
    c.stage = 'running';
    this.record(pod, 'Normal', 'Started', `Started container ${c.name}`, c.name);
    // The PLEG relist reports it running (drawn only for probed containers, so others keep their randomness).
    if (c.probes) probesOnStart(c, now, now + this.ctx.random.int(300, 1000));
    c.exitCode = run.exitCode;
    c.exitReason = run.reason;
    if (run.exitAfter !== undefined)
      c.nextAt = now + Math.max(run.exitAfter, 0) + this.ctx.random.int(20, 80);
  }

  /**
   * A liveness/startup probe failed: the instance is stopped like on deletion (SIGTERM, SIGKILL when the grace
   * period, the probe's own or the pod's, ends) unless its program ends first.
   */
  private killForProbe(
    pod: Pod,
    rec: PodRecord,
    c: ContainerRecord,
    type: 'liveness' | 'startup',
    now: number,
  ) {
    const restart = (pod.spec.restartPolicy ?? 'Always') !== 'Never';
    const message = `Container ${c.name} failed ${type} probe${restart ? ', will be restarted' : ''}`;
    this.record(pod, 'Normal', 'Killing', message, c.name);
    const probe = probeSpec(this.containerSpec(pod, c), type);
    const grace =
      (probe?.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const stubborn = ignoresSigterm(c.image);
    const at = now + (stubborn ? grace : this.ctx.random.int(300, 900));
    c.killed = true;
    if (c.nextAt !== undefined && c.nextAt <= at) return;
    c.nextAt = at;
    c.exitCode = stubborn ? 137 : 0;
    c.exitReason = stubborn ? 'Error' : 'Completed';
  }

  /** The container's process ended: the restart policy decides whether the kubelet brings it back. */
  private containerExited(pod: Pod, rec: PodRecord, c: ContainerRecord, now: number): void {
    const killed = c.killed;
    c.killed = undefined;
    const exitCode = c.exitCode ?? 0;
    c.priorExit = c.lastExit;
    c.lastExit = {
      exitCode,
      reason: c.exitReason ?? (exitCode === 0 ? 'Completed' : 'Error'),
      startedAt: c.startedAt ?? now,
      finishedAt: now,
      containerId: c.containerId ?? '',
    };
    const policy = pod.spec.restartPolicy ?? 'Always';
    // Init containers restart like OnFailure under Always. A probe kill was decided together with the restart
    // (computePodActions), so OnFailure restarts it whatever its exit code.
    let restart = policy === 'Always' ? !c.init || exitCode !== 0 : policy === 'OnFailure' && exitCode !== 0;
    if (killed) restart = policy !== 'Never';
    if (!restart) {
      c.stage = 'terminated';
      c.nextAt = undefined;
      if (c.init && exitCode === 0) this.beginNext(pod, rec, now);
      return;
    }
    c.stage = 'exited';
    // Killed for a probe: the same sync starts it again, its back-off judged by the instance before.
    if (killed) {
      if (!c.priorExit) return this.beginImage(pod, rec, c, now);
      return this.syncCrashed(pod, rec, c, now, c.priorExit.finishedAt);
    }
    c.nextAt = now + this.ctx.random.int(300, 1000); // the PLEG relist notices the exit
  }

  /**
   * A sync of a crashed container (kuberuntime doBackOff): inside the back-off window it stays in
   * CrashLoopBackOff and the pod worker retries 10–15 s later; otherwise the back-off advances and it restarts.
   */
  private syncCrashed(
    pod: Pod,
    rec: PodRecord,
    c: ContainerRecord,
    now: number,
    finished = c.lastExit?.finishedAt ?? now,
  ): void {
    const expired = c.backoffAt === undefined || finished - c.backoffAt > 2 * CRASH_BACKOFF_MAX_MS;
    if (!expired && now - finished < (c.backoffMs ?? 0)) {
      c.stage = 'crash-backoff';
      c.waitingReason = 'CrashLoopBackOff';
      c.waitingMessage = `back-off ${goDuration(c.backoffMs ?? 0)} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
      this.record(
        pod,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
        c.name,
      );
      c.nextAt = now + this.ctx.random.int(10_000, 15_000);
      return;
    }
    c.backoffMs = expired
      ? CRASH_BACKOFF_INITIAL_MS
      : Math.min((c.backoffMs ?? CRASH_BACKOFF_INITIAL_MS) * 2, CRASH_BACKOFF_MAX_MS);
    c.backoffAt = now;
    this.beginImage(pod, rec, c, now);
  }

  // ---------------------------------------------------------------- termination

  private beginTermination(pod: Pod, rec: PodRecord, now: number): void {
    const deadline = Date.parse(pod.metadata.deletionTimestamp!);
    const running = rec.containers.filter((c) => c.stage === 'running');
    for (const c of running) this.record(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, c.name);
    // The bootcamp app runs under `/bin/sh -c`, which ignores SIGTERM: it is killed when the grace period ends.
    // Apps that handle SIGTERM (nginx) stop at once; pods with nothing running are torn down in a moment.
    const at = running.some((c) => ignoresSigterm(c.image)) ? deadline : now + this.ctx.random.int(300, 900);
    rec.terminatingAt = Math.min(Math.max(at, now), Math.max(deadline, now));
    this.ctx.timers.cancel(KUBELET_TIMER, rec.uid);
    this.schedule(rec, rec.terminatingAt);
  }

  private finishTermination(rec: PodRecord): void {
    this.pods.delete(rec.uid);
    this.ctx.server.removeObject('pods', rec.namespace, rec.name);
  }

  // ---------------------------------------------------------------- addresses

  private nodeIp(nodeName: string): string {
    const node = this.ctx.store.get<Node>('nodes', undefined, nodeName);
    return node?.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '';
  }

  /** host-local IPAM: the next free host after the last one handed out, wrapping within .2–.254. */
  private allocateIp(nodeName: string): string {
    const node = this.ctx.store.get<Node>('nodes', undefined, nodeName);
    const subnet = node ? podSubnetOf(node) : '10.244.0';
    const used = new Set<string>();
    for (const r of this.pods.values()) if (r.node === nodeName && r.ip) used.add(r.ip);
    const rec = this.nodeRecord(nodeName);
    for (let i = 0; i < 253; i++) {
      const host = ((rec.lastIp - 1 + i) % 253) + 2;
      const ip = `${subnet}.${host}`;
      if (!used.has(ip)) {
        rec.lastIp = host;
        return ip;
      }
    }
    return '';
  }

  // ---------------------------------------------------------------- status

  private writeStatus(pod: Pod, rec: PodRecord): void {
    const status = renderStatus(pod, rec, this.nodeIp(rec.node), this.ctx.now());
    if (deepEqual(status, pod.status)) return;
    this.ctx.server.updateObject(withStatus(pod, status), { fromClient: false });
  }
}

/** The bootcamp app runs under `/bin/sh -c` and busybox's sh is PID 1: neither handles SIGTERM. */
function ignoresSigterm(image: string): boolean {
  const app = lookupImage(image)?.app;
  return app === 'bootcamp' || app === 'busybox';
}

function newContainer(c: Container, init: boolean): ContainerRecord {
  return {
    name: c.name,
    image: c.image,
    ...(init ? { init } : {}),
    stage: 'waiting',
    pullFailures: 0,
    restarts: 0,
    served: [],
  };
}
