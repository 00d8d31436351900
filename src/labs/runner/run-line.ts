/**
 * Runs one terminal line to completion on a ManualClock. Commands that wait on the cluster (rollout status,
 * get -w) sleep on the cluster clock; while one is pending, the clock is stepped to the cluster's next
 * scheduled change (or one second when nothing is scheduled) until it finishes or a limit is reached.
 */
import type { Cluster, LabTerminal, ManualClock } from '../../engine';

/** A reference solution never needs to wait longer than this for one command. */
export const MAX_WAIT_MS = 15 * 60_000;
const IDLE_STEP_MS = 1000;

export interface LineRun {
  exitCode: number;
  output: string;
  timedOut: boolean;
  waitedMs: number;
}

export async function runLineToCompletion(
  terminal: LabTerminal,
  cluster: Cluster,
  clock: ManualClock,
  line: string,
): Promise<LineRun> {
  let output = '';
  let exitCode: number | undefined;
  const abort = new AbortController();
  const io = {
    stdout: (chunk: string) => (output += chunk),
    stderr: (chunk: string) => (output += chunk),
    signal: abort.signal,
  };
  const started = clock.now();
  const running = terminal.run(line, io).then((code) => (exitCode = code));
  let timedOut = false;
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    if (exitCode !== undefined) break;
    if (clock.now() - started >= MAX_WAIT_MS) {
      timedOut = true;
      abort.abort();
      await running;
      break;
    }
    const due = cluster.nextDueAt();
    clock.set(
      Math.min(
        started + MAX_WAIT_MS,
        due !== undefined && due > clock.now() ? due : clock.now() + IDLE_STEP_MS,
      ),
    );
  }
  return { exitCode: exitCode ?? 130, output, timedOut, waitedMs: clock.now() - started };
}
