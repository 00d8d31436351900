/**
 * The project's own node image: the control-plane container runs the node agent (simulated cluster on
 * real time + the full lab terminal); worker containers hold their node's resources and run nothing else.
 * Lines go through `kubelab-exec` over `docker exec`; abort goes through `kubelab-exec --cancel`.
 */
import { randomUUID } from 'node:crypto';
import type { DockerRepository } from '../../infra/docker/docker.repository';
import { ABORTED_EXIT, AGENT_READY_MARKER } from '../../node-agent/protocol';
import type { KubeObjectJson, ObjectQuery, OutputSink } from '../cluster-driver';
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

export class KubelabFlavour implements NodeFlavour {
  readonly name = 'kubelab' as const;
  /** The node agent queues lines and runs them one at a time (NodeAgent.run): concurrent execs wait in turn. */
  readonly concurrentRuns = false;

  constructor(readonly image: string) {}

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
            ]
          : ['/bin/sleep', '2147483647'],
      user: NODE_USER,
      privileged: false,
      readonlyRootfs: true,
      tmpfs: { '/tmp': 'rw,nosuid,nodev,noexec,size=16m,mode=1777' },
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

  async exec(
    docker: DockerRepository,
    controlPlane: string,
    line: string,
    sink: OutputSink,
    signal: AbortSignal,
  ) {
    if (signal.aborted) return ABORTED_EXIT;
    const id = randomUUID();
    let finished = false;
    const cancel = () => void this.cancel(docker, controlPlane, id, () => finished);
    signal.addEventListener('abort', cancel, { once: true });
    try {
      const code = await docker.exec(controlPlane, [EXEC_CLIENT, '--id', id, line], {
        onStdout: (chunk) => sink.stdout(chunk),
        onStderr: (chunk) => sink.stderr(chunk),
      });
      return signal.aborted ? ABORTED_EXIT : code;
    } finally {
      finished = true;
      signal.removeEventListener('abort', cancel);
    }
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
