import type { Cluster } from '../cluster';
import type { UserInfo } from '../server/rbac';
import type { InputSource } from '../terminal/input';
import type { LocalPorts } from '../terminal/local-ports';
import type { TextEditor } from '../terminal/text-editor';
import type { EffectsRecorder } from './effects';
import type { VirtualFiles } from './virtual-files';

/** What a kubectl command runs against and writes to. */
export interface KubectlContext {
  cluster: Cluster;
  stdout(chunk: string): void;
  stderr(chunk: string): void;
  /** Aborts waiting commands (`get -w`, `rollout status`): they stop and the command exits 130. */
  signal?: AbortSignal;
  /** The files `apply -f <file>` can read (the lab terminal has no real file system). */
  files: VirtualFiles;
  /** Called by `kubectl exec -ti POD -- bash`: the terminal then routes lines to the pod's shell. */
  enterPodShell?(session: PodShellSession): void;
  /** Whether stdin is an interactive terminal (false inside `$(...)` or a pipeline's later stages). */
  interactive: boolean;
  /** Standard input (`apply -f -`, `create -f -`): typed lines, a here-document or a pipe. None: empty input. */
  stdin?: InputSource;
  /** The lab machine's loopback ports (`port-forward`, `proxy` listen there; `curl localhost:PORT` connects). */
  localPorts?: LocalPorts;
  /** Where `kubectl edit` opens its buffer (terminal/text-editor.ts); none: edit says how to do without. */
  editor?: TextEditor;
  /** Who the command acts as (`--as`); minikube's user when absent. */
  user?: UserInfo;
  /** Where the command notes its namespace and the objects it writes, when the runner records them (effects.ts). */
  effects?: EffectsRecorder;
}

export interface PodShellSession {
  namespace: string;
  pod: string;
  container: string;
  /** The shell's prompt: bash shows `root@<\h>:/# ` (`\h` stops at the first dot, reference §2.15), dash `# `;
   *  it follows the working directory (runtime/image-profiles.ts shellPrompt). */
  prompt: string;
  /** The shell program (`bash`, `sh`, `/bin/sh`) and its working directory. */
  shell?: string;
  cwd?: string;
  /** Attached to the container's own shell (`kubectl run -it`), not an exec: its status ends the session silently. */
  attached?: boolean;
  /**
   * Runs when the shell ends, with its status; returns the line's exit code. `kubectl run -it` attaches this way:
   * kubectl then reports the session's end and, with --rm, deletes the pod.
   */
  onEnd?(
    exitCode: number,
    io: { stdout(chunk: string): void; stderr(chunk: string): void },
  ): number | Promise<number>;
}

/** An error kubectl prints as `error: <message>` (exit 1). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** A message printed to stderr exactly as given (no `error: ` prefix), e.g. kubectl's `Unable to use a TTY ...`. */
export class RawError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** cmdutil.UsageErrorf: `error: <msg>` then `See '<command path> -h' for help and examples`. */
export class UsageError extends Error {}

/** The command was interrupted through the abort signal (exit 130, like Ctrl-C). */
export class InterruptedError extends Error {}
