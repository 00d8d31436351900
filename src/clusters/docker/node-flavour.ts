/**
 * What differs between node images: how a node container is configured, how readiness is detected, and
 * how terminal lines, object queries and claims reach the cluster inside. Everything else (networks,
 * labels, limits, placement, pool) is the same for every flavour.
 */
import type { DockerRepository, NodeContainerSpec } from '../../infra/docker/docker.repository';
import type { TextEditor } from '../../engine/terminal/text-editor';
import type { ExecHome, ExecResult, KubeObjectJson, ObjectQuery, OutputSink } from '../cluster-driver';
import type { NodeRole } from './cluster-names';
import type { NodeFlavourName } from './docker-settings';

export interface NodePlan {
  nodeName: string;
  role: NodeRole;
  nodeCount: number;
  /** Stable secret-free seed for anything cluster-wide the flavour needs (k3s join token). */
  clusterKey: string;
  /** The container's memory limit, for runtimes that must be told (node's heap). */
  memoryBytes: number;
}

export type FlavourSpec = Pick<
  NodeContainerSpec,
  'cmd' | 'env' | 'user' | 'privileged' | 'readonlyRootfs' | 'tmpfs' | 'networkAliases' | 'volumes'
>;

export interface ClaimRecord {
  clusterId: string;
  labSessionId: string;
  ownerId: string;
}

export interface NodeFlavour {
  readonly name: NodeFlavourName;
  readonly image: string;
  /**
   * Whether exec() calls on one cluster run at the same time. False when the cluster answers one
   * line after another (the node agent's stateful terminal): a long-running line would hold up
   * every later one, so it cannot run in the background.
   */
  readonly concurrentRuns: boolean;
  /**
   * Whether the cluster's terminal has the lab session's home (the driver's `capabilities.homeFiles`):
   * exec() then takes the stored home and returns the home a line changed.
   */
  readonly homeFiles: boolean;
  /**
   * Whether `kubectl edit` in the cluster's terminal opens its buffer in the page's editor pane (the driver's
   * `capabilities.editorPane`): exec() then takes the pane and hands the command the text it is closed with.
   */
  readonly editorPane: boolean;
  /**
   * Whether the control-plane container serves the cluster's Kubernetes API on its loopback at AGENT_API_PORT (the
   * driver's `capabilities.kubernetesApi`, reached through exec'd bridges: api-bridge.ts).
   */
  readonly kubernetesApi: boolean;
  containerSpec(node: NodePlan): FlavourSpec;
  /** Resolves when the cluster answers commands; rejects with a clear reason after timeoutMs. */
  waitReady(
    docker: DockerRepository,
    controlPlane: string,
    nodeCount: number,
    timeoutMs: number,
  ): Promise<void>;
  /**
   * Runs one terminal line; resolves with its exit code (130 once `signal` aborted it) and, with
   * `homeFiles` and a `home`, the home after the line when the line changed it. With `editorPane`, `editor` is
   * the page's editor pane of an interactive run.
   */
  exec(
    docker: DockerRepository,
    controlPlane: string,
    line: string,
    sink: OutputSink,
    signal: AbortSignal,
    home?: ExecHome,
    editor?: TextEditor,
  ): Promise<ExecResult>;
  readObjects(docker: DockerRepository, controlPlane: string, query: ObjectQuery): Promise<KubeObjectJson[]>;
  /** Tells the cluster who claimed it from the warm pool (where the flavour has somewhere to keep it). */
  recordClaim(docker: DockerRepository, controlPlane: string, claim: ClaimRecord): Promise<void>;
}

/** Runs argv and collects its output; rejects with stderr when it exits non-zero. */
export async function execCollect(
  docker: DockerRepository,
  container: string,
  argv: string[],
): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await docker.exec(container, argv, {
    onStdout: (c) => (stdout += c),
    onStderr: (c) => (stderr += c),
  });
  if (code !== 0)
    throw new Error(
      `${argv.slice(0, 2).join(' ')} in ${container} exited ${code}: ${(stderr || stdout).trim()}`,
    );
  return stdout;
}
