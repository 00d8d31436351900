/**
 * The project's own node image: the control-plane container runs the node agent (simulated cluster on
 * real time + the full lab terminal); worker containers hold their node's resources and run nothing else.
 * Lines go through `kubelab-exec --framed` over `docker exec` (the request on stdin, the agent's replies on
 * stdout); abort goes through `kubelab-exec --cancel`. The terminal's home lives in the control plane's
 * volume (AgentHome) and is synced with the session's stored home through the same requests. `kubectl edit` opens
 * its buffer in the page's editor pane through an `editor` reply; the text the pane is closed with goes back as an
 * `edited` request (another `kubelab-exec --framed`), as a cancel does.
 */
import { randomUUID } from 'node:crypto';
import type { DockerRepository } from '../../infra/docker/docker.repository';
import type { HomeSnapshot } from '../../engine';
import { isAbortError } from '../../engine/terminal/input';
import type { TextEditor } from '../../engine/terminal/text-editor';
import {
  ABORTED_EXIT,
  AGENT_READY_MARKER,
  AGENT_STATE_DIR,
  type AgentReply,
  type AgentRequest,
  CLIENT_FAILURE_EXIT,
  encode,
  LineSplitter,
} from '../../node-agent/protocol';
import type {
  ExecHome,
  ExecResult,
  KubeObjectJson,
  ObjectQuery,
  OutputSink,
  RunEffects,
} from '../cluster-driver';
import {
  type ClaimRecord,
  execCollect,
  type FlavourSpec,
  type NodeFlavour,
  type NodePlan,
} from './node-flavour';

export const AGENT_ENTRY = '/opt/kubelab/src/node-agent/main.js';
export const EXEC_CLIENT = 'kubelab-exec';
export const NODE_USER = '1000:1000';
const CANCEL_RETRY_MS = 25;

/** Node sizes its heap from the host's memory, not the container's: cap it at 3/4 of the limit so the
 *  agent collects garbage before the kernel's OOM killer ends the cluster. */
function heapLimitMiB(memoryBytes: number): number {
  return Math.max(32, Math.floor((memoryBytes * 0.75) / 2 ** 20));
}
const CANCEL_ATTEMPTS = 40;

/** How one request through `kubelab-exec --framed` ended. */
interface AgentAnswer {
  exitCode: number;
  home?: HomeSnapshot;
  /** The agent's home is older than the stored one: send the request again with the home itself. */
  homeNeeded: boolean;
  effects?: RunEffects;
}

export class KubelabFlavour implements NodeFlavour {
  readonly name = 'kubelab' as const;
  /** The node agent queues lines and runs them one at a time (NodeAgent.run): concurrent execs wait in turn. */
  readonly concurrentRuns = false;
  /** The agent runs the full lab terminal, home included (same commands and limits as the embedded one). */
  readonly homeFiles = true;
  /** The agent's terminal is the embedded one: its `kubectl edit` takes the page's editor pane. */
  readonly editorPane = true;
  /** The agent serves its cluster's API on the container's loopback (src/node-agent/api-server.ts). */
  readonly kubernetesApi = true;

  constructor(
    readonly image: string,
    /** The agent's cluster clock runs this many times faster than real time (CLUSTER_TIME_SCALE). */
    private readonly timeScale = 1,
  ) {}

  containerSpec(node: NodePlan): FlavourSpec {
    return {
      cmd:
        node.role === 'control-plane'
          ? [
              '/usr/local/bin/node',
              `--max-old-space-size=${heapLimitMiB(node.memoryBytes)}`,
              AGENT_ENTRY,
              '--nodes',
              String(node.nodeCount),
              ...(this.timeScale === 1 ? [] : ['--time-scale', String(this.timeScale)]),
            ]
          : ['/bin/sleep', '2147483647'],
      user: NODE_USER,
      privileged: false,
      readonlyRootfs: true,
      tmpfs: { '/tmp': 'rw,nosuid,nodev,noexec,size=16m,mode=1777' },
      // The home outlives a restart of the container (the image makes the folder the node user's).
      volumes: node.role === 'control-plane' ? [AGENT_STATE_DIR] : [],
    };
  }

  async waitReady(
    docker: DockerRepository,
    controlPlane: string,
    _nodeCount: number,
    timeoutMs: number,
  ): Promise<void> {
    await docker.waitForOutput(controlPlane, AGENT_READY_MARKER, timeoutMs);
  }

  /**
   * The stored home's version goes with the line; the home itself only when the agent asks for it (its
   * copy is older, or new), so a usual line carries a few bytes and a changed home comes back with it.
   */
  async exec(
    docker: DockerRepository,
    controlPlane: string,
    line: string,
    sink: OutputSink,
    signal: AbortSignal,
    home?: ExecHome,
    editor?: TextEditor,
  ): Promise<ExecResult> {
    if (signal.aborted) return { exitCode: ABORTED_EXIT };
    const id = randomUUID();
    const opened =
      editor && ((buffer: EditorReply) => this.edit(docker, controlPlane, id, buffer, editor, sink, signal));
    let finished = false;
    const cancel = () => void this.cancel(docker, controlPlane, id, () => finished);
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const request = {
        type: 'run' as const,
        id,
        line,
        home: home && { version: home.version },
        editor: editor ? true : undefined,
        effects: true,
      };
      let answer = await this.ask(docker, controlPlane, request, sink, opened);
      if (answer.homeNeeded && home && !signal.aborted) {
        const snapshot = await home.load();
        answer = await this.ask(
          docker,
          controlPlane,
          { ...request, home: { version: home.version, snapshot } },
          sink,
          opened,
        );
      }
      if (signal.aborted) return { exitCode: ABORTED_EXIT };
      if (answer.homeNeeded) {
        sink.stderr(`${EXEC_CLIENT}: the node did not take the session's home; the line was not run\n`);
        return { exitCode: CLIENT_FAILURE_EXIT };
      }
      return { exitCode: answer.exitCode, home: answer.home, effects: answer.effects };
    } finally {
      finished = true;
      signal.removeEventListener('abort', cancel);
    }
  }

  /**
   * Shows the buffer the agent's `kubectl edit` opened in the page's editor pane and sends back the text it is
   * closed with. Ctrl-C rejects the wait and cancels the run itself (exec's abort), so nothing is sent then.
   */
  private async edit(
    docker: DockerRepository,
    controlPlane: string,
    id: string,
    buffer: EditorReply,
    editor: TextEditor,
    sink: OutputSink,
    signal: AbortSignal,
  ): Promise<void> {
    let text: string;
    try {
      text = await editor.edit({ name: buffer.name, text: buffer.text }, signal);
    } catch (error) {
      if (!isAbortError(error))
        sink.stderr(`${EXEC_CLIENT}: the editor failed: ${(error as Error).message}\n`);
      return;
    }
    let found = false;
    await docker
      .exec(
        controlPlane,
        [EXEC_CLIENT, '--framed'],
        { onStdout: (chunk) => (found ||= chunk.includes('"found":true')), onStderr: () => undefined },
        encode({ type: 'edited', id, text }),
      )
      .catch(() => undefined);
    if (!found && !signal.aborted)
      sink.stderr(`${EXEC_CLIENT}: the saved text did not reach kubectl edit; press Ctrl-C and edit again\n`);
  }

  /**
   * Sends one request through `kubelab-exec --framed`; output replies go to the sink as they arrive, a buffer
   * `kubectl edit` opens to `opened`.
   */
  private async ask(
    docker: DockerRepository,
    controlPlane: string,
    request: AgentRequest,
    sink: OutputSink,
    opened?: (buffer: EditorReply) => Promise<void>,
  ): Promise<AgentAnswer> {
    const lines = new LineSplitter();
    const answer: Partial<AgentAnswer> & { homeNeeded: boolean } = { homeNeeded: false };
    const take = (reply: AgentReply) => {
      if (reply.type === 'stdout') sink.stdout(reply.data);
      else if (reply.type === 'stderr') sink.stderr(reply.data);
      else if (reply.type === 'exit') answer.exitCode = reply.code;
      else if (reply.type === 'home') answer.home = reply.snapshot;
      else if (reply.type === 'home-needed') answer.homeNeeded = true;
      else if (reply.type === 'effects') answer.effects = reply.effects;
      else if (reply.type === 'editor') void opened?.(reply);
      else if (reply.type === 'error') {
        sink.stderr(`${EXEC_CLIENT}: ${reply.message}\n`);
        answer.exitCode = CLIENT_FAILURE_EXIT;
      }
    };
    const clientCode = await docker.exec(
      controlPlane,
      [EXEC_CLIENT, '--framed'],
      {
        onStdout: (chunk) => {
          for (const raw of lines.push(chunk)) take(parseReply(raw));
        },
        // The client's own failures (agent unreachable), as `kubelab-exec LINE` prints them.
        onStderr: (chunk) => sink.stderr(chunk),
      },
      encode(request),
    );
    return { ...answer, exitCode: answer.exitCode ?? (clientCode === 0 ? CLIENT_FAILURE_EXIT : clientCode) };
  }

  /** The command may not have reached the agent yet when abort fires: retry until it is found or has ended. */
  private async cancel(docker: DockerRepository, controlPlane: string, id: string, finished: () => boolean) {
    for (let attempt = 0; attempt < CANCEL_ATTEMPTS && !finished(); attempt++) {
      const reply = await execCollect(docker, controlPlane, [EXEC_CLIENT, '--cancel', id]).catch(() => '');
      if (reply.includes('"found":true')) return;
      await new Promise((resolve) => setTimeout(resolve, CANCEL_RETRY_MS));
    }
  }

  async readObjects(
    docker: DockerRepository,
    controlPlane: string,
    query: ObjectQuery,
  ): Promise<KubeObjectJson[]> {
    const output = await execCollect(docker, controlPlane, [EXEC_CLIENT, '--objects', JSON.stringify(query)]);
    return JSON.parse(output) as KubeObjectJson[];
  }

  async recordClaim(docker: DockerRepository, controlPlane: string, claim: ClaimRecord): Promise<void> {
    await execCollect(docker, controlPlane, [EXEC_CLIENT, '--claim', JSON.stringify(claim)]);
  }
}

type EditorReply = Extract<AgentReply, { type: 'editor' }>;

/** A reply line; anything that is not one (a client older than the driver) is shown as error output. */
function parseReply(raw: string): AgentReply {
  try {
    return JSON.parse(raw) as AgentReply;
  } catch {
    return { type: 'stderr', data: `${raw}\n` };
  }
}
