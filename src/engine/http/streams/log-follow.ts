/**
 * `kubectl logs -f`: the log as it stands (with --tail/--since/--timestamps), then each new line as the container
 * writes it on the cluster's clock, until the container stops (or restarts: a new instance is another log), the pod
 * goes away, or the client leaves. Also what `kubectl attach` without a terminal shows: the container's output from
 * now on.
 */
import type { Pod } from '../../api/types';
import type { Cluster } from '../../cluster';

/** How long a follower sleeps when the cluster has nothing scheduled (changes made by requests still show). */
const IDLE_POLL_MS = 1000;

export interface FollowTarget {
  namespace: string;
  pod: string;
  container: string;
  timestamps: boolean;
}

/** The running instance of the container, or undefined when it is not running. */
function runningInstance(cluster: Cluster, target: FollowTarget): string | undefined {
  let pod: Pod;
  try {
    pod = cluster.api.get<Pod>('pods', target.namespace, target.pod);
  } catch {
    return undefined;
  }
  const status = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
  ].find((s) => s.name === target.container);
  const running = status?.state?.running;
  return running ? `${pod.metadata.uid}/${status.restartCount}/${running.startedAt ?? ''}` : undefined;
}

function logLines(cluster: Cluster, target: FollowTarget): string[] | undefined {
  try {
    const text = cluster.runtime.logs(target.namespace, target.pod, target.container, {
      timestamps: target.timestamps,
    });
    return text === '' ? [] : text.replace(/\n$/, '').split('\n');
  } catch {
    return undefined;
  }
}

/**
 * Writes the lines the container adds after `alreadySent` lines of its current log, until it ends or `signal`
 * aborts. `alreadySent` undefined: from now on (attach).
 */
export async function followLog(
  cluster: Cluster,
  target: FollowTarget,
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  cluster.sync();
  const instance = runningInstance(cluster, target);
  if (instance === undefined) return;
  let sent = logLines(cluster, target)?.length ?? 0;
  const flush = () => {
    const lines = logLines(cluster, target);
    if (!lines || lines.length <= sent) return;
    write(lines.slice(sent).join('\n') + '\n');
    sent = lines.length;
  };
  while (!signal.aborted) {
    const now = cluster.clock.now();
    const due = cluster.nextDueAt();
    const delay = due === undefined ? IDLE_POLL_MS : Math.min(IDLE_POLL_MS, Math.max(1, due - now));
    try {
      await cluster.clock.sleep(delay, signal);
    } catch {
      return; // aborted: the client left
    }
    cluster.sync();
    if (runningInstance(cluster, target) !== instance) {
      // The instance ended: its last lines, then the stream ends (kubectl exits 0).
      flush();
      return;
    }
    flush();
  }
}
