/**
 * The pod status the kubelet reports for its record of a pod (kubelet_pods.go generateAPIPodStatus): container and
 * init container statuses, the phase (getPhase), the conditions in 1.30's order and the QoS class.
 */
import { flat } from '../api/flat-string';
import { rfc3339 } from '../api/time';
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from '../api/types';
import { imageId, lookupImage } from '../runtime/images';
import type { ContainerRecord, ExitRecord, PodRecord } from './kubelet';
import { containerReady, containerStarted } from './prober';

function terminated(exit: ExitRecord): ContainerState {
  return {
    terminated: {
      exitCode: exit.exitCode,
      reason: exit.reason,
      startedAt: rfc3339(exit.startedAt),
      finishedAt: rfc3339(exit.finishedAt),
      containerID: flat(`docker://${exit.containerId}`),
    },
  };
}

function containerStatus(c: ContainerRecord, defaultWaiting: string): ContainerStatus {
  const img = lookupImage(c.image);
  const running = c.stage === 'running';
  // A finished instance stays the container's state until the kubelet creates the next one.
  const done =
    c.lastExit !== undefined &&
    (c.stage === 'terminated' || c.stage === 'exited' || c.stage === 'starting' || c.stage === 'pulling');
  const previous = done ? c.priorExit : c.lastExit;
  const created = running || c.lastExit !== undefined;
  let state: ContainerState;
  if (running) state = { running: { startedAt: rfc3339(c.startedAt!) } };
  else if (done) state = terminated(c.lastExit!);
  else
    state = {
      waiting: c.waitingReason
        ? { reason: c.waitingReason, ...(c.waitingMessage ? { message: c.waitingMessage } : {}) }
        : { reason: defaultWaiting },
    };
  const id = running ? c.containerId : c.lastExit?.containerId;
  return {
    name: c.name,
    state,
    lastState: previous ? terminated(previous) : {},
    ready: containerReady(c),
    restartCount: c.restarts,
    image: c.image,
    imageID: created && img ? imageId(img) : '',
    ...(created && id ? { containerID: flat(`docker://${id}`) } : {}),
    started: containerStarted(c),
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

const succeededExit = (c: ContainerRecord) => c.stage === 'terminated' && c.lastExit?.exitCode === 0;

/** getPhase: Pending while initialising or a container never ran; then by restart policy. */
export function podPhase(pod: Pod, rec: PodRecord): PodStatus['phase'] {
  const policy = pod.spec.restartPolicy ?? 'Always';
  const inits = rec.containers.filter((c) => c.init && !c.sidecar);
  const failedInit = inits.find((c) => c.stage === 'terminated' && c.lastExit?.exitCode !== 0);
  if (failedInit) return 'Failed';
  if (inits.some((c) => !succeededExit(c))) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of rec.containers) {
    // A sidecar counts while it runs (Pending until it has started); once it has ended it no longer matters.
    if (c.sidecar && c.stage === 'running') {
      if (!containerStarted(c)) return 'Pending';
      running++;
    } else if (c.sidecar && !c.lastExit && c.stage !== 'terminated') return 'Pending';
    if (c.init) continue;
    if (c.stage === 'running') running++;
    else if (c.stage === 'terminated') {
      stopped++;
      if (c.lastExit?.exitCode === 0) succeeded++;
    } else if (c.lastExit) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (policy === 'Always') return 'Running';
  if (policy === 'OnFailure') return stopped === succeeded ? 'Succeeded' : 'Running';
  return stopped === succeeded ? 'Succeeded' : 'Failed';
}

/** qos.GetPodQOS: Guaranteed when every container has equal cpu and memory requests and limits. */
export function qosClass(pod: Pod): PodStatus['qosClass'] {
  const all: Container[] = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    if (Object.keys(limits).length || Object.keys(requests).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (limits[r] === undefined || (requests[r] !== undefined && requests[r] !== limits[r]))
        guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The pod status the kubelet reports for this state (condition order as 1.30 writes them, reference §5.2). */
export function renderStatus(pod: Pod, rec: PodRecord, hostIp: string, now: number): PodStatus {
  const prev = pod.status;
  const stamp = rfc3339(now);
  const hasInit = rec.containers.some((c) => c.init);
  const initRecs = rec.containers.filter((c) => c.init);
  const appRecs = rec.containers.filter((c) => !c.init);
  const waitingReason = hasInit ? 'PodInitializing' : 'ContainerCreating';
  const statuses = appRecs.map((c) => containerStatus(c, waitingReason));
  const initStatuses = initRecs.map((c) => containerStatus(c, 'PodInitializing'));
  const phase = podPhase(pod, rec);
  const finished = phase === 'Succeeded' || phase === 'Failed';
  const pendingInit = initRecs
    .filter((c) => (c.sidecar ? !containerStarted(c) : !succeededExit(c)))
    .map((c) => c.name);
  // With sidecars, a pod whose app containers have run stays initialized while a sidecar restarts.
  const initialized =
    pendingInit.length === 0 ||
    (initRecs.some((c) => c.sidecar) && appRecs.some((c) => c.stage === 'running' || c.lastExit));
  const sidecarStatuses = initStatuses.filter((_, i) => initRecs[i].sidecar);
  const notReady = [...sidecarStatuses, ...statuses].filter((s) => !s.ready).map((s) => s.name);
  const allReady = notReady.length === 0 && !finished;
  const readyReason = allReady ? undefined : finished ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage =
    allReady || finished ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
  const scheduled = prev?.conditions?.find((c) => c.type === 'PodScheduled');
  const initStamp = initialized && !hasInit ? rfc3339(rec.seenAt) : stamp;
  return {
    phase,
    conditions: [
      podCondition(prev, 'PodReadyToStartContainers', rec.sandboxAt !== undefined && !finished, stamp),
      podCondition(
        prev,
        'Initialized',
        initialized,
        initStamp,
        initialized ? (finished && hasInit ? 'PodCompleted' : undefined) : 'ContainersNotInitialized',
        initialized ? undefined : `containers with incomplete status: [${pendingInit.join(' ')}]`,
      ),
      podCondition(prev, 'Ready', allReady, stamp, readyReason, readyMessage),
      podCondition(prev, 'ContainersReady', allReady, stamp, readyReason, readyMessage),
      scheduled ?? podCondition(prev, 'PodScheduled', true, rfc3339(rec.seenAt)),
    ],
    hostIP: hostIp,
    hostIPs: [{ ip: hostIp }],
    ...(rec.ip ? { podIP: rec.ip, podIPs: [{ ip: rec.ip }] } : {}),
    startTime: rfc3339(rec.seenAt),
    ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: qosClass(pod),
  };
}
