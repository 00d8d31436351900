/**
 * One `pods/NAME/exec` or `pods/NAME/attach` on the engine's containers, over any ExecChannels:
 * - without a terminal, the command runs once stdin (if asked for) has ended, through the container runtime the lab
 *   terminal's `kubectl exec` uses; its output, then its exit code as a Status;
 * - with a terminal and a lone shell (`exec -it POD -- bash`, `attach -it` to a shell started with stdin), keystrokes
 *   drive the engine's pod shell (tty-shell.ts) until `exit` or Ctrl-D;
 * - attach without a terminal shows the container's output from now on (log-follow.ts).
 * Problems found before the upgrade (checkTarget) are HTTP errors; later ones end as a Failure Status.
 */
import { isStatusError } from '../../api/status-error';
import type { Pod } from '../../api/types';
import type { Cluster } from '../../cluster';
import type { PodShellSession } from '../../kubectl/context';
import { profileForImage, shellPrompt } from '../../runtime/image-profiles';
import { containerArgv } from '../../runtime/programs';
import { HttpStatus } from '../status';
import { exitStatus, failureStatus, SUCCESS, type ExecChannels } from './exec-channels';
import { followLog } from './log-follow';
import { toTerminal, TtyShell } from './tty-shell';

export interface ExecRequest {
  kind: 'exec' | 'attach';
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * The kubelet's own refusal, which the API server passes on as plain text (not a Status): kubectl then prints
 * `error: unable to upgrade connection: <text>`.
 */
export class KubeletRefusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Piped stdin an exec may send before it runs (the API server's body limit, for a stream). */
export const MAX_STDIN_BYTES = 1024 * 1024;

const SHELL = /^(\/usr)?(\/bin\/)?(sh|ash|bash)$/;

function flag(q: URLSearchParams, name: string): boolean {
  return ['true', '1'].includes(q.get(name) ?? '');
}

/**
 * The request's options, checked as the API server and kubelet check them before upgrading: the pod exists and
 * runs, the container is one of its own and running, a command is given for exec.
 */
export function checkTarget(
  cluster: Cluster,
  kind: 'exec' | 'attach',
  namespace: string,
  podName: string,
  q: URLSearchParams,
): ExecRequest {
  cluster.sync();
  const pod = cluster.api.get<Pod>('pods', namespace, podName);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw new HttpStatus(
      400,
      'BadRequest',
      kind === 'exec'
        ? `cannot exec into a container in a completed pod; current phase is ${phase}`
        : `cannot attach a container in a completed pod; current phase is ${phase}`,
    );
  const names = pod.spec.containers.map((c) => c.name);
  const container = q.get('container') || names[0];
  if (!names.includes(container) && !(pod.spec.initContainers ?? []).some((c) => c.name === container))
    throw new HttpStatus(400, 'BadRequest', `container ${container} is not valid for pod ${podName}`);
  const status = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
  ].find((s) => s.name === container);
  if (!status?.state?.running) throw new KubeletRefusal(400, `container not found ("${container}")`);
  const request: ExecRequest = {
    kind,
    namespace,
    pod: podName,
    container,
    command: q.getAll('command'),
    stdin: flag(q, 'stdin'),
    stdout: flag(q, 'stdout'),
    stderr: flag(q, 'stderr'),
    tty: flag(q, 'tty'),
  };
  if (kind === 'exec' && request.command.length === 0)
    throw new HttpStatus(400, 'BadRequest', 'you must specify at least one command for the container');
  if (!request.stdin && !request.stdout && !request.stderr)
    throw new HttpStatus(400, 'BadRequest', 'you must specify at least 1 of stdin, stdout, stderr');
  return request;
}

/** Runs the exec or attach to its end; never throws (a failure is the Status the client gets). */
export function runExec(cluster: Cluster, request: ExecRequest, channels: ExecChannels): void {
  try {
    start(cluster, request, channels);
  } catch (error) {
    channels.finish(failureOf(error));
  }
}

function failureOf(error: unknown): ReturnType<typeof failureStatus> {
  if (isStatusError(error)) return failureStatus(error.status.message, error.status.reason);
  if (error instanceof HttpStatus) return failureStatus(error.message, error.reason);
  return failureStatus(String(error));
}

function start(cluster: Cluster, request: ExecRequest, channels: ExecChannels): void {
  const pod = cluster.api.get<Pod>('pods', request.namespace, request.pod);
  const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find(
    (c) => c.name === request.container,
  );
  const image = spec?.image ?? '';
  if (request.kind === 'attach') {
    const argv = spec ? containerArgv(spec.image, spec.command, spec.args) : [];
    if (request.tty && request.stdin && spec?.stdin && argv.length === 1 && SHELL.test(argv[0])) {
      interactive(cluster, request, channels, argv[0], image, true);
      return;
    }
    attachOutput(cluster, request, channels);
    return;
  }
  const { command } = request;
  if (request.tty && request.stdin && command.length === 1 && SHELL.test(command[0])) {
    // The shell must exist in the image (no bash in busybox): the runtime refuses it as it refuses any program.
    const started = cluster.runtime.exec(request.namespace, request.pod, request.container, command, {
      tty: true,
    });
    if (started.exitCode !== 0) {
      channels.stdout(Buffer.from(toTerminal(started.stdout + started.stderr)));
      channels.finish(exitStatus(started.exitCode, command));
      return;
    }
    interactive(cluster, request, channels, command[0], image, false);
    return;
  }
  if (!request.stdin) {
    once(cluster, request, channels, undefined);
    return;
  }
  // Piped stdin: the engine's programs read their input whole, so the command runs when stdin ends.
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  channels.onStdin((bytes) => {
    size += bytes.length;
    if (size > MAX_STDIN_BYTES) {
      if (!over) channels.finish(failureStatus(`stdin is larger than the limit of ${MAX_STDIN_BYTES} bytes`));
      over = true;
      return;
    }
    chunks.push(bytes);
  });
  channels.onStdinEnd(() => {
    if (!over) once(cluster, request, channels, Buffer.concat(chunks).toString('utf8'));
  });
}

/** Runs the command once and ends with its exit code. */
function once(
  cluster: Cluster,
  request: ExecRequest,
  channels: ExecChannels,
  stdin: string | undefined,
): void {
  try {
    cluster.sync();
    const result = cluster.runtime.exec(request.namespace, request.pod, request.container, request.command, {
      tty: request.tty,
      ...(stdin !== undefined ? { stdin } : {}),
    });
    if (request.tty) {
      // One terminal stream: errors come out with the output, lines end in \r\n.
      channels.stdout(Buffer.from(toTerminal(result.stdout + result.stderr)));
    } else {
      if (request.stdout) channels.stdout(Buffer.from(result.stdout));
      if (request.stderr) channels.stderr(Buffer.from(result.stderr));
    }
    channels.finish(exitStatus(result.exitCode, request.command));
  } catch (error) {
    channels.finish(failureOf(error));
  }
}

function interactive(
  cluster: Cluster,
  request: ExecRequest,
  channels: ExecChannels,
  shell: string,
  image: string,
  attached: boolean,
): void {
  const session: PodShellSession = {
    namespace: request.namespace,
    pod: request.pod,
    container: request.container,
    shell,
    cwd: '/',
    // kubectl, not the shell, reports a non-zero exit (`command terminated with exit code N`).
    attached: true,
    prompt: shellPrompt(shell, profileForImage(image), request.pod, '/'),
  };
  const tty = new TtyShell(
    cluster,
    session,
    (text) => channels.stdout(Buffer.from(text)),
    (exitCode) => {
      if (attached) endMainProcess(cluster, request, exitCode);
      channels.finish(exitStatus(exitCode, request.command));
    },
  );
  channels.onStdin((bytes) => tty.input(bytes));
  channels.onStdinEnd(() => tty.input(Buffer.from('\x04')));
  channels.onClose(() => tty.stop());
  // An attach joins a shell that is already running: its prompt shows when the user presses enter.
  if (!attached) tty.start();
}

/** The attached shell was the container's own process: its end ends the container (then the kubelet restarts it). */
function endMainProcess(cluster: Cluster, request: ExecRequest, exitCode: number): void {
  try {
    const pod = cluster.api.get<Pod>('pods', request.namespace, request.pod);
    cluster.kubelet.endMainProcess(pod.metadata.uid!, request.container, exitCode);
    cluster.sync();
  } catch {
    // The pod went away meanwhile: nothing is left to end.
  }
}

/** attach without a terminal: the container's output from now on, until it stops or the client leaves. */
function attachOutput(cluster: Cluster, request: ExecRequest, channels: ExecChannels): void {
  const abort = new AbortController();
  channels.onClose(() => abort.abort());
  const write = (text: string) => {
    if (request.stdout) channels.stdout(Buffer.from(request.tty ? toTerminal(text) : text));
  };
  const target = {
    namespace: request.namespace,
    pod: request.pod,
    container: request.container,
    timestamps: false,
  };
  followLog(cluster, target, write, abort.signal).then(
    () => channels.finish(SUCCESS),
    (error: unknown) => channels.finish(failureOf(error)),
  );
}
