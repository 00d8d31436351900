/**
 * The kubelet's plain-data records (what a cluster snapshot keeps of it), its timing constants, and the small
 * interface the pod worker steps in kubelet-*.ts use to reach the kubelet that owns them.
 */
import type { Container, Node, Pod } from '../api/types';
import type { ProbeRequest } from '../runtime/apps';
import { lookupImage } from '../runtime/images';
import type { PodVolumes } from '../runtime/volumes';
import type { ControllerContext } from './context';
import type { ProbeWorker } from './prober';

export const KUBELET_TIMER = 'kubelet';
/** Image pull back-off: 10 s, doubling, capped at 5 min (kubelet flowcontrol.Backoff). */
export const PULL_BACKOFF_INITIAL_MS = 10_000;
export const PULL_BACKOFF_MAX_MS = 300_000;
/** Crash-loop back-off (kubelet flowcontrol.Backoff): 10 s doubling to 5 min, forgotten after 10 min. */
export const CRASH_BACKOFF_INITIAL_MS = 10_000;
export const CRASH_BACKOFF_MAX_MS = 300_000;
/** The kubelet's periodic pod sync (--sync-frequency), when updated ConfigMaps and Secrets reach the files. */
export const VOLUME_SYNC_MS = 60_000;

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
  /** The environment that instance was started with (its replayed log uses it). */
  env?: [string, string][];
}

export interface ContainerRecord {
  name: string;
  /** An init container (runs to completion, in order, before the app containers). */
  init?: boolean;
  /** An init container with restartPolicy Always: it keeps running beside the app containers, restarted
   *  whatever the pod's policy, until they have all ended (`shutdown`). */
  sidecar?: boolean;
  shutdown?: boolean;
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
  /** The environment the kubelet resolved when it created the instance: later ConfigMap/Secret changes do not
   *  reach a running container, only a new one. */
  env?: [string, string][];
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

/** What the pod worker steps (images, containers, volumes) need from the kubelet that runs them. */
export interface PodWorker {
  readonly ctx: ControllerContext;
  /** Wakes the pod's worker at `at`. */
  schedule(rec: PodRecord, at: number): void;
  /** A kubelet event about one container of the pod. */
  record(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, container: string): void;
  nodeRecord(name: string): NodeRecord;
  containerSpec(pod: Pod, c: ContainerRecord): Container;
  /** Starts the next init container, or the app containers once every init container is done. */
  beginNext(pod: Pod, rec: PodRecord, now: number): void;
}

export const SOURCE = (node: string) => ({ component: 'kubelet', host: node });

export function backoffFor(failures: number, initial = PULL_BACKOFF_INITIAL_MS): number {
  return Math.min(initial * 2 ** Math.max(0, failures - 1), PULL_BACKOFF_MAX_MS);
}

/** The node's pod subnet: 10.244.<index>.0/24 (minikube's kindnet/bridge layout, reference §4.6). */
export function podSubnetOf(node: Node): string {
  return (node.spec.podCIDR ?? '10.244.0.0/24').replace(/\.0\/24$/, '');
}

/** The bootcamp app runs under `/bin/sh -c` and busybox's sh is PID 1: neither handles SIGTERM. */
export function ignoresSigterm(image: string): boolean {
  const app = lookupImage(image)?.app;
  return app === 'bootcamp' || app === 'busybox';
}

/**
 * Records have every field from the start (undefined until used), in one order: the steps set them in place instead
 * of growing each record through shapes of its own, which made every store a slow one. The order is also the order
 * of the fields in a snapshot (undefined ones are not written), so a restored record is given the same shape first.
 */
function blankContainer(): ContainerRecord {
  return {
    name: '',
    init: undefined,
    sidecar: undefined,
    shutdown: undefined,
    image: '',
    stage: 'waiting',
    nextAt: undefined,
    pullRequestedAt: undefined,
    pullFails: undefined,
    pullDurationMs: undefined,
    pullFailures: 0,
    lastPullFailureAt: undefined,
    waitingReason: undefined,
    waitingMessage: undefined,
    containerId: undefined,
    startedAt: undefined,
    restarts: 0,
    lastExit: undefined,
    priorExit: undefined,
    exitCode: undefined,
    exitReason: undefined,
    backoffMs: undefined,
    backoffAt: undefined,
    served: [],
    execs: undefined,
    probes: undefined,
    probeRequests: undefined,
    killed: undefined,
    files: undefined,
    subPaths: undefined,
  };
}

/** A new pod record in the common shape (see blankContainer). */
export function newPodRecord(
  fields: Pick<PodRecord, 'uid' | 'namespace' | 'name' | 'node' | 'seenAt' | 'containers'>,
): PodRecord {
  return {
    uid: fields.uid,
    namespace: fields.namespace,
    name: fields.name,
    node: fields.node,
    seenAt: fields.seenAt,
    sandboxAt: undefined,
    ip: undefined,
    terminatingAt: undefined,
    volumes: undefined,
    emptyDirs: undefined,
    mountFailures: undefined,
    volumeSyncAt: undefined,
    containers: fields.containers,
  };
}

/** A record loaded from a snapshot or the boot image, given the common shape and field order. */
export function shapedPodRecord(loaded: PodRecord): PodRecord {
  const rec = newPodRecord(loaded);
  Object.assign(rec, loaded);
  rec.containers = loaded.containers.map((c) => Object.assign(blankContainer(), c));
  return rec;
}

export function newContainer(c: Container, init: boolean): ContainerRecord {
  const rec = blankContainer();
  rec.name = c.name;
  rec.init = init ? true : undefined;
  rec.sidecar = init && c.restartPolicy === 'Always' ? true : undefined;
  rec.image = c.image;
  return rec;
}
