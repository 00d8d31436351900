/**
 * The simulated kubelet of every node: sandbox and pod IP, image pulls against the catalogue (serialised per
 * node, "already present" on later pulls), pull failures with exponential back-off, container start, readiness,
 * crash loops, and graceful termination. Each pod is a small state machine advanced by timers; the pod's status
 * is rendered from that state whenever it changes. All state is plain data so the cluster can snapshot it.
 */
import { rfc3339 } from '../api/time';
import type { Container, ContainerStatus, Node, Pod, PodCondition, PodStatus } from '../api/types';
import { imageId, lookupImage, parseImage, PRELOADED_IMAGES, pullFailure } from '../runtime/images';
import { goDuration } from '../runtime/go-duration';
import { deepEqual, withStatus } from '../store/store';
import type { Controller, ControllerContext } from './context';

export const KUBELET_TIMER = 'kubelet';
/** Image pull back-off: 10 s, doubling, capped at 5 min (kubelet flowcontrol.Backoff). */
export const PULL_BACKOFF_INITIAL_MS = 10_000;
export const PULL_BACKOFF_MAX_MS = 300_000;

export type ContainerStage =
  | 'waiting' // sandbox not ready yet: ContainerCreating
  | 'pulling' // pull in flight; `pullFails` says how it ends
  | 'pull-error' // ErrImagePull, back-off running
  | 'pull-backoff' // ImagePullBackOff
  | 'invalid' // InvalidImageName / ErrImageNeverPull: never retried
  | 'starting' // image present, container being created
  | 'running'
  | 'crash-backoff'; // exited, waiting to restart: CrashLoopBackOff

export interface ContainerRecord {
  name: string;
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
  lastExit?: { exitCode: number; reason: string; startedAt: number; finishedAt: number; containerId: string };
  /** Times of the HTTP requests the app served (for its log), newest last, bounded. */
  served: number[];
  /** Commands exec'd so far (process IDs in `ps` grow with them). */
  execs?: number;
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
  readonly watches = ['pods', 'nodes'] as const;

  private pods = new Map<string, PodRecord>();
  private nodes = new Map<string, NodeRecord>();

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
      containers: pod.spec.containers.map((c) => ({
        name: c.name,
        image: c.image,
        stage: 'waiting',
        pullFailures: 0,
        restarts: 0,
        served: [],
      })),
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
    if (rec.sandboxAt === undefined) {
      this.createSandbox(pod, rec, now);
    }
    for (const c of rec.containers) {
      if (c.nextAt !== undefined && c.nextAt <= now) {
        c.nextAt = undefined;
        this.step(pod, rec, c, now);
      }
    }
    const next = rec.containers.map((c) => c.nextAt).filter((t): t is number => t !== undefined);
    if (next.length) this.schedule(rec, Math.min(...next));
    const latest = this.ctx.store.get<Pod>('pods', rec.namespace, rec.name);
    if (latest) this.writeStatus(latest, rec);
  }

  private createSandbox(pod: Pod, rec: PodRecord, now: number): void {
    rec.sandboxAt = now;
    rec.ip = pod.spec.hostNetwork ? this.nodeIp(rec.node) : this.allocateIp(rec.node);
    for (const c of rec.containers) this.beginImage(pod, rec, c, now);
  }

  private containerSpec(pod: Pod, name: string): Container {
    return pod.spec.containers.find((c) => c.name === name)!;
  }

  private record(
    pod: Pod,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    container: string,
  ): void {
    this.ctx.events.record(
      pod,
      type,
      reason,
      message,
      SOURCE(pod.spec.nodeName!),
      `spec.containers{${container}}`,
    );
  }

  private beginImage(pod: Pod, rec: PodRecord, c: ContainerRecord, now: number): void {
    const spec = this.containerSpec(pod, c.name);
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
    const spec = this.containerSpec(pod, c.name);
    switch (c.stage) {
      case 'pulling':
        if (c.pullFails) return this.pullFailed(pod, c, spec, now);
        return this.pullSucceeded(pod, c, spec, now);
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
        return this.beginImage(pod, rec, c, now);
      case 'starting':
        return this.startContainer(pod, c, spec, now);
      case 'running':
        return this.containerExited(pod, c, now);
      case 'crash-backoff':
        this.record(
          pod,
          'Normal',
          'Pulled',
          `Container image "${spec.image}" already present on machine`,
          c.name,
        );
        return this.startContainer(pod, c, spec, now);
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

  private pullSucceeded(pod: Pod, c: ContainerRecord, spec: Container, now: number): void {
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
    this.startContainer(pod, c, spec, now);
  }

  private startContainer(pod: Pod, c: ContainerRecord, spec: Container, now: number): void {
    c.containerId = this.ctx.random.hex(64);
    c.stage = 'running';
    c.startedAt = now;
    c.waitingReason = undefined;
    c.waitingMessage = undefined;
    c.served = [];
    this.record(pod, 'Normal', 'Created', `Created container ${c.name}`, c.name);
    this.record(pod, 'Normal', 'Started', `Started container ${c.name}`, c.name);
    const img = lookupImage(spec.image);
    if (img?.app === 'busybox' && !runsForever(spec)) c.nextAt = now + 50; // `sh` with no tty exits at once
  }

  /** A container whose process ended: restartPolicy Always brings it back after the crash-loop back-off. */
  private containerExited(pod: Pod, c: ContainerRecord, now: number): void {
    c.lastExit = {
      exitCode: 0,
      reason: 'Completed',
      startedAt: c.startedAt ?? now,
      finishedAt: now,
      containerId: c.containerId ?? '',
    };
    c.restarts++;
    c.stage = 'crash-backoff';
    const delay = backoffFor(c.restarts);
    c.waitingReason = 'CrashLoopBackOff';
    c.waitingMessage = `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    if (c.restarts > 1)
      this.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', c.name);
    c.nextAt = now + (c.restarts === 1 ? 1000 : delay);
  }

  // ---------------------------------------------------------------- termination

  private beginTermination(pod: Pod, rec: PodRecord, now: number): void {
    const deadline = Date.parse(pod.metadata.deletionTimestamp!);
    const running = rec.containers.filter((c) => c.stage === 'running');
    for (const c of running) this.record(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, c.name);
    // The bootcamp app runs under `/bin/sh -c`, which ignores SIGTERM: it is killed when the grace period ends.
    // Apps that handle SIGTERM (nginx) stop at once; pods with nothing running are torn down in a moment.
    const ignoresSigterm = running.some((c) => {
      const app = lookupImage(c.image)?.app;
      return app === 'bootcamp' || app === 'busybox';
    });
    const at = ignoresSigterm ? deadline : now + this.ctx.random.int(300, 900);
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

function runsForever(spec: Container): boolean {
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])].join(' ');
  return /\bsleep\b|\btail\s+-f\b|while\s+true/.test(argv);
}

function containerStatus(pod: Pod, c: ContainerRecord): ContainerStatus {
  const img = lookupImage(c.image);
  const running = c.stage === 'running';
  const lastState = c.lastExit
    ? {
        terminated: {
          exitCode: c.lastExit.exitCode,
          reason: c.lastExit.reason,
          startedAt: rfc3339(c.lastExit.startedAt),
          finishedAt: rfc3339(c.lastExit.finishedAt),
          containerID: `docker://${c.lastExit.containerId}`,
        },
      }
    : {};
  const created = running || c.lastExit !== undefined;
  return {
    name: c.name,
    state: running
      ? { running: { startedAt: rfc3339(c.startedAt!) } }
      : {
          waiting: c.waitingReason
            ? { reason: c.waitingReason, ...(c.waitingMessage ? { message: c.waitingMessage } : {}) }
            : { reason: 'ContainerCreating' },
        },
    lastState,
    ready: running,
    restartCount: c.restarts,
    image: c.image,
    imageID: created && img ? imageId(img) : '',
    ...(created ? { containerID: `docker://${running ? c.containerId : c.lastExit!.containerId}` } : {}),
    started: running,
  };
}

function podCondition(
  prev: PodStatus | undefined,
  type: PodCondition['type'],
  ok: boolean,
  stamp: string,
  reason?: string,
  message?: string,
): PodCondition {
  const status = ok ? 'True' : 'False';
  const old = prev?.conditions?.find((c) => c.type === type);
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: old && old.status === status ? old.lastTransitionTime : stamp,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

/** The pod status the kubelet reports for this state (condition order as 1.30 writes them, reference §5.2). */
export function renderStatus(pod: Pod, rec: PodRecord, hostIp: string, now: number): PodStatus {
  const prev = pod.status;
  const stamp = rfc3339(now);
  const statuses = rec.containers.map((c) => containerStatus(pod, c));
  const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
  const allReady = notReady.length === 0;
  const everRan = rec.containers.every((c) => c.stage === 'running' || c.lastExit !== undefined);
  const hasResources = pod.spec.containers.some(
    (c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length,
  );
  const unready = `containers with unready status: [${notReady.join(' ')}]`;
  const scheduled = prev?.conditions?.find((c) => c.type === 'PodScheduled');
  return {
    phase: everRan ? 'Running' : 'Pending',
    conditions: [
      podCondition(prev, 'PodReadyToStartContainers', rec.sandboxAt !== undefined, stamp),
      podCondition(prev, 'Initialized', true, rfc3339(rec.seenAt)),
      podCondition(
        prev,
        'Ready',
        allReady,
        stamp,
        allReady ? undefined : 'ContainersNotReady',
        allReady ? undefined : unready,
      ),
      podCondition(
        prev,
        'ContainersReady',
        allReady,
        stamp,
        allReady ? undefined : 'ContainersNotReady',
        allReady ? undefined : unready,
      ),
      scheduled ?? podCondition(prev, 'PodScheduled', true, rfc3339(rec.seenAt)),
    ],
    hostIP: hostIp,
    hostIPs: [{ ip: hostIp }],
    ...(rec.ip ? { podIP: rec.ip, podIPs: [{ ip: rec.ip }] } : {}),
    startTime: rfc3339(rec.seenAt),
    containerStatuses: statuses,
    qosClass: hasResources ? 'Burstable' : 'BestEffort',
  };
}
