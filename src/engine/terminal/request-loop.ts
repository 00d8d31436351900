/**
 * A request loop typed in a pod shell, the HPA walkthrough's load generator:
 * `while sleep 0.01; do wget -q -O- http://php-apache; done`. It runs until Ctrl-C, printing what each request
 * answers (one request shown per second of virtual time) while the Service's pods carry its load: the metrics
 * server counts it as a client from the line's start to its interruption (metrics/load.ts).
 */
import { isStatusError } from '../api/status-error';
import type { Cluster } from '../cluster';
import { formatError } from '../kubectl/errors';
import type { PodShellSession } from '../kubectl/context';
import { metricsServerFor } from '../metrics/metrics-server';
import { loopTarget } from '../metrics/load';
import type { PodShellIO } from './pod-shell';

/** How often the loop's output shows one more answer (the loop itself runs far faster). */
const SHOWN_EVERY_MS = 1000;
/** Ctrl-C's exit status, and a killed shell's. */
const INTERRUPTED = 130;
const KILLED = 137;

export function isRequestLoop(line: string): boolean {
  return /^\s*(while|until)\b/.test(line) && loopTarget(line) !== undefined;
}

/** The loop's request: the `wget`/`curl` command of its body, as words. */
function requestArgv(line: string): string[] {
  const body = /\bdo\b([\s\S]*?)\bdone\b/.exec(line)?.[1] ?? '';
  const command = body.split(/;|&&|\|\|/).find((part) => /\b(wget|curl)\b/.test(part)) ?? '';
  return command
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/^["']|["']$/g, ''));
}

export async function runRequestLoop(
  cluster: Cluster,
  session: PodShellSession,
  line: string,
  io: PodShellIO,
): Promise<number> {
  const target = loopTarget(line)!;
  const argv = requestArgv(line);
  const stop = metricsServerFor(cluster.store).startShellClient({
    namespace: session.namespace,
    ...target,
    from: cluster.now(),
  });
  try {
    while (!io.signal?.aborted) {
      let result;
      try {
        result = cluster.runtime.exec(session.namespace, session.pod, session.container, argv, {
          tty: true,
          cwd: session.cwd ?? '/',
          interactive: true,
        });
      } catch (error) {
        // The pod went away under the shell: the exec stream ends like a killed shell.
        if (!isStatusError(error)) throw error;
        io.stderr(formatError(error, 'kubectl exec').text);
        io.stderr('command terminated with exit code 137\n');
        return KILLED;
      }
      io.stdout(result.stdout);
      io.stderr(result.stderr);
      try {
        await cluster.clock.sleep(SHOWN_EVERY_MS, io.signal);
      } catch {
        break;
      }
    }
  } finally {
    stop(cluster.now());
  }
  return INTERRUPTED;
}
