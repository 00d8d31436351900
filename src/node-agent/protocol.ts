/**
 * The node agent's wire protocol: newline-delimited JSON over a unix socket, one request per connection.
 * The client (`kubelab-exec`) writes one request line; the agent answers with reply lines and closes.
 */
import type { KubeObjectJson, ObjectQuery } from '../clusters/cluster-driver';

export const DEFAULT_AGENT_SOCKET = '/tmp/kubelab/agent.sock';
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

export type AgentRequest =
  | { type: 'run'; id: string; line: string }
  | { type: 'cancel'; id: string }
  | { type: 'objects'; query: ObjectQuery }
  | { type: 'status' }
  | { type: 'claim'; claim: ClaimInfo };

export type AgentReply =
  | { type: 'stdout'; data: string }
  | { type: 'stderr'; data: string }
  | { type: 'exit'; code: number }
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
