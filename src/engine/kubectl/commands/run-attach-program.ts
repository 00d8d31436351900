/**
 * `kubectl run NAME -i [-t] [--rm] --image=IMAGE [-- PROGRAM ARGS...]` for anything but a lone shell (a program
 * such as `date` or `sh -c '...'`, or the image's own server), as kubectl's run.go does it: create the pod with
 * stdin (and a terminal), wait until it is running and ready (`--pod-running-timeout`, one minute) or has already
 * ended. An ended pod's logs are printed whole (handleAttachPod's fallback); a running one is attached: the hint,
 * then what the container writes from then on, until its process ends. A pod that is not restarted (Never,
 * OnFailure) is then awaited for its exit code; `--rm` deletes the pod (`pod "x" deleted`) before the exit is
 * reported, and a failed program exits kubectl with its status (`pod default/x terminated (Error)`).
 */
import type { Pod } from '../../api/types';
import { containerArgv } from '../../runtime/programs';
import { CommandError, KubectlContext } from '../context';
import { kindWithGroup } from '../resource-args';
import { waitForClusterChange } from '../wait';
import { parseGoDuration } from './rollout-status';

export interface AttachOptions {
  remove: boolean;
  tty: boolean;
  quiet: boolean;
  runningTimeout: string;
}

/** Creates the pod as `run -i` sends it: its container keeps stdin open once (and has a terminal with `-t`). */
export function createAttachable(
  ctx: KubectlContext,
  pod: Pod,
  tty: boolean,
): { created: Pod; namespace: string; name: string } {
  const container = pod.spec.containers[0];
  container.stdin = true;
  container.stdinOnce = true;
  if (tty) container.tty = true;
  const created = ctx.cluster.api.create(pod);
  return { created, namespace: created.metadata.namespace ?? 'default', name: created.metadata.name };
}

/** Clients of the cluster network, which a pod's own simulated program cannot run (they run through exec). */
const NETWORK_CLIENT = /(^|[\s;&|(/])(nslookup|wget|curl|ping|nc|telnet|dig|host)(\s|$)/;

/** The network client the pod's program would start (`-- nslookup web`, `-- sh -c 'wget ...'`), if any. */
export function networkClient(pod: Pod): string | undefined {
  const c = pod.spec.containers[0];
  const argv = containerArgv(c.image, c.command, c.args);
  const text =
    /(^|\/)(sh|ash|bash)$/.test(argv[0] ?? '') && argv[1] === '-c' ? (argv[2] ?? '') : (argv[0] ?? '');
  return NETWORK_CLIENT.exec(text)?.[2];
}

export async function runAttachedProgram(
  ctx: KubectlContext,
  pod: Pod,
  opts: AttachOptions,
): Promise<number> {
  const api = ctx.cluster.api;
  const { created, namespace, name } = createAttachable(ctx, pod, opts.tty);
  const container = created.spec.containers[0];
  const timeoutMs = parseGoDuration(opts.runningTimeout) || 60_000;
  ctx.cluster.sync();
  const started = await waitForPod(ctx, namespace, name, timeoutMs, runningAndReadyOrEnded);
  if (ended(started)) ctx.stdout(ctx.cluster.runtime.logs(namespace, name, container.name));
  else {
    // attach's hint, shown when the terminal is put in raw mode (a TTY).
    if (opts.tty && !opts.quiet) ctx.stderr("If you don't see a command prompt, try pressing enter.\n");
    await streamAttached(ctx, started, container.name);
  }
  const policy = created.spec.restartPolicy ?? 'Always';
  let final: Pod | undefined;
  let failure: unknown;
  if (policy === 'Always') {
    if (opts.tty && !opts.quiet)
      ctx.stderr(
        `Session ended, resume using 'kubectl attach ${name} -c ${container.name} -i -t' command when the pod is running\n`,
      );
  } else {
    // Never: any end; OnFailure: only success (a failing program is restarted until the wait times out).
    const condition = policy === 'Never' ? ended : (p: Pod) => p.status?.phase === 'Succeeded';
    try {
      final = await waitForPod(ctx, namespace, name, timeoutMs, condition);
    } catch (error) {
      failure = error;
    }
  }
  // The deferred removal runs before kubectl reports how the pod ended.
  if (opts.remove && tryGet(ctx, namespace, name)) {
    api.delete('pods', namespace, name, {});
    if (!opts.quiet) ctx.stdout(`${kindWithGroup(api.resourceFor('pods')!)} "${name}" deleted\n`);
  }
  if (failure) throw failure;
  return final ? exitStatus(ctx, final) : 0;
}

/** podCompleted: the pod has run to its end. */
function ended(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** podRunningAndReady, with its ErrPodCompleted answer taken as "stop waiting" too. */
function runningAndReadyOrEnded(pod: Pod): boolean {
  if (ended(pod)) return true;
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  return pod.status?.phase === 'Running' && !!ready;
}

/** waitForPod: the pod once `condition` holds; a deleted pod or the timeout ends the wait with kubectl's error. */
async function waitForPod(
  ctx: KubectlContext,
  namespace: string,
  name: string,
  timeoutMs: number,
  condition: (pod: Pod) => boolean,
): Promise<Pod> {
  const deadline = ctx.cluster.clock.now() + timeoutMs;
  for (;;) {
    const pod = tryGet(ctx, namespace, name);
    if (!pod) throw new CommandError(`pods "${name}" not found`);
    if (condition(pod)) return pod;
    if (ctx.cluster.clock.now() >= deadline) throw new CommandError('timed out waiting for the condition');
    await waitForClusterChange(ctx, deadline);
  }
}

/**
 * What an attached client sees: the container's output written from the moment it attached, as it is written,
 * until that instance's process ends (a restarted container's new instance is not followed).
 */
async function streamAttached(ctx: KubectlContext, pod: Pod, containerName: string): Promise<void> {
  const { kubelet, runtime, clock } = ctx.cluster;
  const namespace = pod.metadata.namespace ?? 'default';
  const record = () => kubelet.podRecord(pod.metadata.uid)?.containers.find((c) => c.name === containerName);
  const instance = record()?.containerId;
  const since = clock.now();
  let printed = '';
  const flush = (previous: boolean) => {
    let text: string;
    try {
      text = runtime.logs(namespace, pod.metadata.name, containerName, { since, previous });
    } catch {
      return; // the pod or its instance is gone: nothing more to read
    }
    if (text.startsWith(printed)) ctx.stdout(text.slice(printed.length));
    printed = text;
  };
  for (;;) {
    const c = record();
    if (!c || c.containerId !== instance) return flush(true);
    flush(false);
    if (c.stage !== 'running') return;
    await waitForClusterChange(ctx);
  }
}

/** How kubectl exits after waiting for a pod that is not restarted (run.go's switch on the phase). */
function exitStatus(ctx: KubectlContext, pod: Pod): number {
  const where = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
  if (pod.status?.phase === 'Succeeded') return 0;
  const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
  if (!terminated || terminated.exitCode === 0)
    throw new CommandError(`pod ${where} failed with unknown exit code`);
  // uexec.CodeExitError's text (the reason, then the termination message, which these containers leave empty).
  ctx.stderr(`pod ${where} terminated (${terminated.reason ?? ''})\n`);
  return terminated.exitCode;
}

function tryGet(ctx: KubectlContext, namespace: string, name: string): Pod | undefined {
  try {
    return ctx.cluster.api.get<Pod>('pods', namespace, name);
  } catch {
    return undefined;
  }
}
