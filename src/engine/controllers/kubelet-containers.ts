/**
 * A container's life on the simulated kubelet once its step is due: creation and start (its environment, then
 * its program), exit and the restart policy, CrashLoopBackOff, and the kill after a failed liveness/startup probe.
 */
import { parseQuantity } from '../api/quantity';
import type { Container, Pod } from '../api/types';
import { podHostname } from '../runtime/apps';
import { goDuration } from '../runtime/go-duration';
import { runProgram } from '../runtime/programs';
import { subPathCopies } from '../runtime/volumes';
import { resolveEnv } from './container-env';
import { beginImage, enterPullBackoff, pullFailed, pullSucceeded } from './kubelet-images';
import {
  CRASH_BACKOFF_INITIAL_MS,
  CRASH_BACKOFF_MAX_MS,
  ignoresSigterm,
  type ContainerRecord,
  type PodRecord,
  type PodWorker,
} from './kubelet-state';
import { probesOnStart, probeSpec } from './prober';

/** How long a program is simulated ahead to find when it exits. */
const PROGRAM_HORIZON_MS = 7 * 86_400_000;

/** Advances the container's due step according to its stage. */
export function step(k: PodWorker, pod: Pod, rec: PodRecord, c: ContainerRecord, now: number): void {
  const spec = k.containerSpec(pod, c);
  switch (c.stage) {
    case 'pulling':
      if (c.pullFails) return pullFailed(k, pod, c, spec, now);
      pullSucceeded(k, pod, c, spec, now);
      return startContainer(k, pod, rec, c, spec, now);
    case 'pull-error':
      return enterPullBackoff(k, pod, c, spec);
    case 'pull-backoff':
    case 'config-error':
      return beginImage(k, pod, rec, c, now);
    case 'starting':
      return startContainer(k, pod, rec, c, spec, now);
    case 'running':
      return containerExited(k, pod, rec, c, now);
    case 'exited':
    case 'crash-backoff':
      return syncCrashed(k, pod, rec, c, now);
    default:
      return;
  }
}

/** Creates and starts the container: its environment first (CreateContainerConfigError), then its program. */
function startContainer(
  k: PodWorker,
  pod: Pod,
  rec: PodRecord,
  c: ContainerRecord,
  spec: Container,
  now: number,
): void {
  const env = resolveEnv(k.ctx.store, pod, spec);
  if ('error' in env) {
    c.stage = 'config-error';
    c.waitingReason = 'CreateContainerConfigError';
    c.waitingMessage = env.error;
    k.record(pod, 'Warning', 'Failed', `Error: ${env.error}`, c.name);
    c.nextAt = now + k.ctx.random.int(10_000, 15_000); // the pod worker's retry after an error
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
    stdin: spec.stdin,
  });
  if (c.lastExit) c.restarts++;
  c.containerId = k.ctx.random.hex(64);
  c.env = env.env;
  // A new container: a fresh writable layer, and subPath copies of the volumes as they are now.
  c.files = undefined;
  c.subPaths = subPathCopies(spec, rec);
  c.waitingReason = undefined;
  c.waitingMessage = undefined;
  c.served = [];
  c.probeRequests = undefined;
  c.startedAt = now;
  k.record(pod, 'Normal', 'Created', `Created container ${c.name}`, c.name);
  if (run.startError) {
    k.record(
      pod,
      'Warning',
      'Failed',
      `Error: failed to start container "${c.name}": Error response from daemon: ${run.startError}`,
      c.name,
    );
    c.exitCode = run.exitCode;
    c.exitReason = run.reason;
    return containerExited(k, pod, rec, c, now);
  }
  c.stage = 'running';
  k.record(pod, 'Normal', 'Started', `Started container ${c.name}`, c.name);
  // The PLEG relist reports it running (drawn only for probed containers, so others keep their randomness).
  if (c.probes) probesOnStart(c, now, now + k.ctx.random.int(300, 1000));
  c.exitCode = run.exitCode;
  c.exitReason = run.reason;
  if (run.exitAfter !== undefined) c.nextAt = now + Math.max(run.exitAfter, 0) + k.ctx.random.int(20, 80);
}

/**
 * A liveness/startup probe failed: the instance is stopped like on deletion (SIGTERM, SIGKILL when the grace
 * period, the probe's own or the pod's, ends) unless its program ends first.
 */
export function killForProbe(
  k: PodWorker,
  pod: Pod,
  c: ContainerRecord,
  type: 'liveness' | 'startup',
  now: number,
): void {
  const restart = (pod.spec.restartPolicy ?? 'Always') !== 'Never';
  // A sidecar is restarted whatever the policy (computeInitContainerActions words it its own way).
  const message = c.sidecar
    ? `Init container ${c.name} failed ${type} probe`
    : `Container ${c.name} failed ${type} probe${restart ? ', will be restarted' : ''}`;
  k.record(pod, 'Normal', 'Killing', message, c.name);
  const probe = probeSpec(k.containerSpec(pod, c), type);
  const grace = (probe?.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  const stubborn = ignoresSigterm(c.image);
  const at = now + (stubborn ? grace : k.ctx.random.int(300, 900));
  c.killed = true;
  if (c.nextAt !== undefined && c.nextAt <= at) return;
  c.nextAt = at;
  c.exitCode = stubborn ? 137 : 0;
  c.exitReason = stubborn ? 'Error' : 'Completed';
}

/**
 * Once every app container has ended for good, the sidecars are stopped, the last one first, like on deletion
 * (SIGTERM; SIGKILL when the grace period ends for programs that ignore it); until then they keep the pod Running.
 */
function stopSidecars(k: PodWorker, pod: Pod, rec: PodRecord, now: number): void {
  if (rec.containers.some((x) => !x.init && x.stage !== 'terminated')) return;
  const grace = (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
  for (const s of rec.containers.filter((x) => x.sidecar && !x.shutdown).reverse()) {
    s.shutdown = true;
    if (s.stage !== 'running') {
      s.stage = 'terminated';
      s.nextAt = undefined;
      continue;
    }
    k.record(pod, 'Normal', 'Killing', `Stopping container ${s.name}`, s.name);
    const stubborn = ignoresSigterm(s.image);
    const at = now + (stubborn ? grace : k.ctx.random.int(300, 900));
    if (s.nextAt !== undefined && s.nextAt <= at) continue;
    s.nextAt = at;
    s.exitCode = stubborn ? 137 : 0;
    s.exitReason = stubborn ? 'Error' : 'Completed';
  }
}

/** The container's process ended: the restart policy decides whether the kubelet brings it back. */
function containerExited(k: PodWorker, pod: Pod, rec: PodRecord, c: ContainerRecord, now: number): void {
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
    env: c.env,
  };
  const policy = pod.spec.restartPolicy ?? 'Always';
  // Init containers restart like OnFailure under Always. A probe kill was decided together with the restart
  // (computePodActions), so OnFailure restarts it whatever its exit code.
  let restart = policy === 'Always' ? !c.init || exitCode !== 0 : policy === 'OnFailure' && exitCode !== 0;
  if (killed) restart = policy !== 'Never';
  if (c.sidecar) restart = !c.shutdown;
  if (!restart) {
    c.stage = 'terminated';
    c.nextAt = undefined;
    if (c.init && !c.sidecar && exitCode === 0) k.beginNext(pod, rec, now);
    if (!c.init) stopSidecars(k, pod, rec, now);
    return;
  }
  c.stage = 'exited';
  // Killed for a probe: the same sync starts it again, its back-off judged by the instance before.
  if (killed) {
    if (!c.priorExit) return beginImage(k, pod, rec, c, now);
    return syncCrashed(k, pod, rec, c, now, c.priorExit.finishedAt);
  }
  c.nextAt = now + k.ctx.random.int(300, 1000); // the PLEG relist notices the exit
}

/**
 * A sync of a crashed container (kuberuntime doBackOff): inside the back-off window it stays in
 * CrashLoopBackOff and the pod worker retries 10–15 s later; otherwise the back-off advances and it restarts.
 */
function syncCrashed(
  k: PodWorker,
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
    k.record(
      pod,
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      c.name,
    );
    c.nextAt = now + k.ctx.random.int(10_000, 15_000);
    return;
  }
  c.backoffMs = expired
    ? CRASH_BACKOFF_INITIAL_MS
    : Math.min((c.backoffMs ?? CRASH_BACKOFF_INITIAL_MS) * 2, CRASH_BACKOFF_MAX_MS);
  c.backoffAt = now;
  beginImage(k, pod, rec, c, now);
}
