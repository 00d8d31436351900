import { isStatusError } from '../../api/status-error';
import { profileForImage, shellPrompt } from '../../runtime/image-profiles';
import type { Deployment, Pod, ReplicaSet } from '../../api/types';
import type { ParsedArgs } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext, RawError, UsageError } from '../context';

/** `POD` or `TYPE/NAME` (deployment, replicaset) → a pod, as kubectl's attachablePodForObject picks it. */
/** `onMany` hears how many pods a workload reference matched and which one was picked. */
export function resolvePod(
  ctx: KubectlContext,
  args: ParsedArgs,
  ref: string,
  onMany?: (count: number, pod: Pod) => void,
): Pod {
  const namespace = namespaceFlag(args);
  const api = ctx.cluster.api;
  const slash = ref.indexOf('/');
  if (slash < 0) return api.get<Pod>('pods', namespace, ref);
  const info = api.resourceFor(ref.slice(0, slash));
  if (!info) throw new CommandError(`the server doesn't have a resource type "${ref.slice(0, slash)}"`);
  const name = ref.slice(slash + 1);
  if (info.resource === 'pods') return api.get<Pod>('pods', namespace, name);
  if (info.resource !== 'deployments' && info.resource !== 'replicasets' && info.resource !== 'jobs')
    throw new CommandError(
      `cannot attach to ${info.kind.toLowerCase()}.${info.group || ''}: not implemented`.replace('.:', ':'),
    );
  const owner = api.get<Deployment | ReplicaSet>(info.resource, namespace, name);
  const selector = Object.entries(owner.spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = api
    .list<Pod>('pods', { namespace, labelSelector: selector })
    .filter((p) => !p.metadata.deletionTimestamp);
  if (pods.length === 0) throw new CommandError(`timed out waiting for the condition`);
  // kubectl sorts by activity (running and ready first, then oldest): pick the first running pod.
  const running = pods.filter((p) => p.status?.phase === 'Running');
  const chosen = (running.length > 0 ? running : pods).sort((a, b) =>
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
  )[0];
  onMany?.(pods.length, chosen);
  return chosen;
}

function defaultContainer(pod: Pod, requested: string): string {
  if (requested) {
    if (!pod.spec.containers.some((c) => c.name === requested))
      throw new CommandError(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  return pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? pod.spec.containers[0].name;
}

const SHELLS = new Set(['bash', 'sh', '/bin/bash', '/bin/sh', '/usr/bin/bash', '/usr/bin/sh']);

export const execCommand: CommandDef = {
  path: ['exec'],
  short: 'Execute a command in a container',
  usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]',
  flags: [
    flag.string(
      'container',
      'c',
      '',
      'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation.',
    ),
    flag.bool('stdin', 'i', false, 'Pass stdin to the container'),
    flag.bool('tty', 't', false, 'Stdin is a TTY'),
    flag.bool('quiet', 'q', false, 'Only print output from the remote session'),
  ],
  run(ctx, args) {
    const dash = args.argsLenAtDash;
    const before = dash >= 0 ? args.positional.slice(0, dash) : args.positional;
    let command = dash >= 0 ? args.positional.slice(dash) : [];
    if (before.length === 0) throw new CommandError('pod, type/name or --filename must be specified');
    if (dash < 0 && before.length > 1) {
      ctx.stderr(
        'kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n',
      );
      command = before.slice(1);
    } else if (dash >= 0 && before.length > 1) {
      throw new UsageError(
        `exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead`,
      );
    }
    if (command.length === 0)
      throw new CommandError('you must specify at least one command for the container');
    const pod = resolvePod(ctx, args, before[0]);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed')
      throw new CommandError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    const container = defaultContainer(pod, args.flags.container as string);
    const namespace = pod.metadata.namespace ?? 'default';
    const stdin = args.flags.stdin as boolean;
    const tty = args.flags.tty as boolean;
    if (tty && !ctx.interactive && !(args.flags.quiet as boolean))
      ctx.stderr('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    const runInContainer = (argv: string[], useTty: boolean) => {
      try {
        return ctx.cluster.runtime.exec(namespace, pod.metadata.name, container, argv, { tty: useTty });
      } catch (error) {
        // The streaming upgrade fails before any API status reaches kubectl: a plain `error: ...` line.
        if (isStatusError(error, 'BadRequest')) throw new CommandError(error.status.message);
        throw error;
      }
    };
    if (stdin && SHELLS.has(command[0]) && command.length === 1 && ctx.interactive && ctx.enterPodShell) {
      const started = runInContainer(command, true);
      if (started.exitCode !== 0) {
        // The image has no such shell (bash in busybox or Alpine): the runtime cannot start it.
        ctx.stderr(started.stderr);
        throw new RawError(`command terminated with exit code ${started.exitCode}`, started.exitCode);
      }
      const image =
        [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === container)
          ?.image ?? '';
      ctx.enterPodShell({
        namespace,
        pod: pod.metadata.name,
        container,
        shell: command[0],
        cwd: '/',
        prompt: shellPrompt(command[0], profileForImage(image), pod.metadata.name, '/'),
      });
      return 0;
    }
    const result = runInContainer(command, tty && ctx.interactive);
    ctx.stdout(result.stdout);
    ctx.stderr(result.stderr);
    if (result.exitCode !== 0)
      throw new RawError(`command terminated with exit code ${result.exitCode}`, result.exitCode);
    return 0;
  },
};
