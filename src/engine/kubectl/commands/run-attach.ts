/**
 * `kubectl run NAME -i -t [--rm] [--restart=Never] --image=IMAGE [-- sh]`: kubectl creates the pod with stdin and a
 * terminal, waits for it to run (`--pod-running-timeout`, one minute), then attaches to its shell; the lab terminal's
 * pod shell takes the following lines. When the shell ends, the container's process ends with its status, kubectl
 * prints the resume hint (restart policy Always), deletes the pod with --rm (`pod "tmp" deleted`) and, for a pod that
 * is not restarted, exits with the shell's status (a failure is `pod default/tmp terminated (Error)`).
 * Any other program is attached by run-attach-program.ts.
 */
import type { Pod } from '../../api/types';
import { profileForImage, shellPrompt } from '../../runtime/image-profiles';
import { containerArgv } from '../../runtime/programs';
import { CommandError, KubectlContext } from '../context';
import { kindWithGroup } from '../resource-args';
import { waitForClusterChange } from '../wait';
import { parseGoDuration } from './rollout-status';
import { createAttachable } from './run-attach-program';

const SHELL = /^(\/bin\/|\/usr\/bin\/)?(sh|ash|bash)$/;

/** The shell the pod's one container runs alone (`-- sh`, busybox's default), if it does. */
export function loneShell(pod: Pod): string | undefined {
  const c = pod.spec.containers[0];
  const argv = containerArgv(c.image, c.command, c.args);
  return argv.length === 1 && SHELL.test(argv[0]) ? argv[0] : undefined;
}

/** Whether the pod's one container would run a shell kubectl can attach a lab pod shell to. */
export function attachableShell(ctx: KubectlContext, pod: Pod): string | undefined {
  if (!ctx.interactive || !ctx.enterPodShell) return undefined;
  return loneShell(pod);
}

export async function runAttached(
  ctx: KubectlContext,
  pod: Pod,
  shell: string,
  opts: { remove: boolean; tty: boolean; quiet: boolean; runningTimeout: string },
): Promise<number> {
  const timeoutMs = parseGoDuration(opts.runningTimeout);
  const api = ctx.cluster.api;
  const { created, namespace, name } = createAttachable(ctx, pod, opts.tty);
  const container = created.spec.containers[0];
  const deadline = ctx.cluster.clock.now() + (timeoutMs > 0 ? timeoutMs : 60_000);
  ctx.cluster.sync();
  for (;;) {
    const phase = api.get<Pod>('pods', namespace, name).status?.phase;
    if (phase === 'Running') break;
    if (phase === 'Succeeded' || phase === 'Failed' || ctx.cluster.clock.now() >= deadline)
      throw new CommandError('timed out waiting for the condition');
    await waitForClusterChange(ctx, deadline);
  }
  // attach's hint, shown when the terminal is put in raw mode (a TTY).
  if (opts.tty && !opts.quiet) ctx.stderr("If you don't see a command prompt, try pressing enter.\n");
  const policy = created.spec.restartPolicy ?? 'Always';
  ctx.enterPodShell!({
    namespace,
    pod: name,
    container: container.name,
    shell,
    cwd: '/',
    attached: true,
    prompt: shellPrompt(shell, profileForImage(container.image), name, '/'),
    onEnd: (exitCode, io) => {
      const live = tryGet(ctx, namespace, name);
      if (live) ctx.cluster.kubelet.endMainProcess(live.metadata.uid, container.name, exitCode);
      ctx.cluster.sync();
      if (policy === 'Always')
        io.stdout(
          `Session ended, resume using 'kubectl attach ${name} -c ${container.name} -i -t' command when the pod is running\n`,
        );
      if (opts.remove && live) {
        api.delete('pods', namespace, name, {});
        io.stdout(`${kindWithGroup(api.resourceFor('pods')!)} "${name}" deleted\n`);
      }
      // kubectl waits for the exit code of a pod that is not restarted; a restarted one's session just ends.
      if (policy === 'Always' || exitCode === 0) return 0;
      if (policy === 'Never') io.stderr(`pod ${namespace}/${name} terminated (Error)\n`);
      return exitCode;
    },
  });
  return 0;
}

function tryGet(ctx: KubectlContext, namespace: string, name: string): Pod | undefined {
  try {
    return ctx.cluster.api.get<Pod>('pods', namespace, name);
  } catch {
    return undefined;
  }
}
