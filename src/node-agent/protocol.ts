/**
 * The node agent's wire protocol: newline-delimited JSON over a unix socket, one request per connection.
 * The client (`kubelab-exec`) writes one request line; the agent answers with reply lines and closes.
 */
import type { KubeObjectJson, ObjectQuery, RunEffects } from '../clusters/cluster-driver';
import type { HomeSnapshot } from '../engine/index';

export const DEFAULT_AGENT_SOCKET = '/tmp/kubelab/agent.sock';
/** The control-plane container's volume: what the agent keeps across a restart of the container. */
export const AGENT_STATE_DIR = '/var/lib/kubelab';
/** The lab terminal's home, kept in the volume (AgentHome). */
export const DEFAULT_HOME_FILE = `${AGENT_STATE_DIR}/home.json`;
/**
 * Where the agent serves its cluster's Kubernetes API: the container's loopback only (src/node-agent/api-server.ts),
 * reached by the Docker driver through exec'd `nc 127.0.0.1 AGENT_API_PORT` bridges.
 */
export const AGENT_API_PORT = 6443;
/** Printed by the agent once its socket accepts connections; the Docker driver waits for it. */
export const AGENT_READY_MARKER = 'kubelab-agent ready';
/** Exit code of `kubelab-exec` when it could not get an answer at all (like `docker run`'s own failures). */
export const CLIENT_FAILURE_EXIT = 125;
export const ABORTED_EXIT = 130;

export interface ClaimInfo {
  clusterId: string;
  labSessionId: string;
  ownerId: string;
}

export interface AgentStatus {
  ready: boolean;
  nodeCount: number;
  claim: ClaimInfo | null;
  runningCommands: string[];
}

/**
 * The session's stored home, beside a line (the platform's ExecOptions.home): its version, and the home
 * itself when the driver has loaded it. The agent loads it when its copy is older or was never filled;
 * without `snapshot` it then answers `home-needed` instead of running the line.
 */
export interface RunHome {
  version: number;
  snapshot?: HomeSnapshot;
}

export type AgentRequest =
  /** `editor`: the driver has the page's editor pane for this run; `kubectl edit` opens its buffer there. */
  /** `effects`: the driver stores what the line did (its namespaces, the objects it wrote): an `effects` reply. */
  | { type: 'run'; id: string; line: string; home?: RunHome; editor?: boolean; effects?: boolean }
  | { type: 'cancel'; id: string }
  /** The text the student closed run `id`'s editor buffer with (the `editor` reply's). */
  | { type: 'edited'; id: string; text: string }
  | { type: 'objects'; query: ObjectQuery }
  | { type: 'status' }
  | { type: 'claim'; claim: ClaimInfo };

export type AgentReply =
  | { type: 'stdout'; data: string }
  | { type: 'stderr'; data: string }
  | { type: 'exit'; code: number }
  /** Before `exit`, when the request carried a home and the line changed the agent's copy. */
  | { type: 'home'; snapshot: HomeSnapshot }
  /** Instead of running: the request's home is newer than the agent's copy; send it again with `snapshot`. */
  | { type: 'home-needed' }
  /** Before `exit`, for a run that asked for them: what the line did (ClusterDriver's RunEffects). */
  | { type: 'effects'; effects: RunEffects }
  /** While running (a run with `editor`): `kubectl edit` opened this buffer and waits for an `edited` request. */
  | { type: 'editor'; name: string; text: string }
  /** The answer to `edited`: whether the run had a buffer open to take the text. */
  | { type: 'edited'; found: boolean }
  | { type: 'objects'; objects: KubeObjectJson[] }
  | { type: 'status'; status: AgentStatus }
  | { type: 'cancelled'; found: boolean }
  | { type: 'claimed' }
  | { type: 'error'; message: string };

export function encode(message: AgentRequest | AgentReply): string {
  return JSON.stringify(message) + '\n';
}

/** Splits a byte stream into complete lines; a line split across chunks is held until its newline arrives. */
export class LineSplitter {
  private pending = '';

  push(chunk: string): string[] {
    this.pending += chunk;
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.filter((line) => line !== '');
  }
}
