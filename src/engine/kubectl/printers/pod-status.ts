import type { Pod } from '../../api/types';
import { ageSince } from '../duration';

const NO_SIDECARS: ReadonlySet<string> = new Set();

/** The STATUS, READY and RESTARTS cells of `get pods` (server printer printPod, reference §6). */
export function podRowState(pod: Pod, nowMs: number): { ready: string; status: string; restarts: string } {
  const status = pod.status;
  // Sidecars (init containers restarted Always) count in READY and, once initialised, in RESTARTS.
  const sidecars: ReadonlySet<string> = pod.spec.initContainers?.length
    ? new Set(pod.spec.initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => c.name))
    : NO_SIDECARS;
  const total = pod.spec.containers.length + sidecars.size;
  let reason: string = status?.reason || status?.phase || 'Pending';
  let readyCount = 0;
  let restarts = 0;
  let lastRestart: string | undefined;
  let hasRunning = false;
  // Init containers first: the first one not finished decides (Init:i/n, Init:<reason>).
  const inits = status?.initContainerStatuses ?? [];
  const initCount = pod.spec.initContainers?.length ?? 0;
  let initializing = false;
  let sidecarRestarts = 0;
  let sidecarLastRestart: string | undefined;
  for (let i = 0; i < inits.length; i++) {
    const container = inits[i];
    restarts += container.restartCount;
    const finished = container.lastState?.terminated?.finishedAt;
    if (finished && (!lastRestart || finished > lastRestart)) lastRestart = finished;
    const sidecar = sidecars.has(container.name);
    if (sidecar) {
      sidecarRestarts += container.restartCount;
      if (finished && (!sidecarLastRestart || finished > sidecarLastRestart)) sidecarLastRestart = finished;
    }
    const { waiting, terminated } = container.state;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && container.started) {
      if (container.ready) readyCount++;
      continue;
    }
    initializing = true;
    if (terminated)
      reason = terminated.reason ? `Init:${terminated.reason}` : `Init:ExitCode:${terminated.exitCode}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initCount}`;
    break;
  }
  const initialized = status?.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True');
  const statuses = !initializing || initialized ? (status?.containerStatuses ?? []) : [];
  if (statuses.length) [restarts, lastRestart] = [sidecarRestarts, sidecarLastRestart];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const container = statuses[i];
    restarts += container.restartCount;
    const finished = container.lastState?.terminated?.finishedAt;
    if (finished && (!lastRestart || finished > lastRestart)) lastRestart = finished;
    const { waiting, terminated, running } = container.state;
    if (waiting?.reason) reason = waiting.reason;
    else if (terminated?.reason) reason = terminated.reason;
    else if (terminated) reason = `ExitCode:${terminated.exitCode}`;
    else if (container.ready && running) {
      hasRunning = true;
      readyCount++;
    }
  }
  if (reason === 'Completed' && hasRunning) {
    reason = status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
      ? 'Running'
      : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp) reason = status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const restartsCell =
    restarts > 0 && lastRestart ? `${restarts} (${ageSince(lastRestart, nowMs)} ago)` : String(restarts);
  return { ready: `${readyCount}/${total}`, status: reason, restarts: restartsCell };
}
