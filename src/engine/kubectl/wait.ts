import type { KubectlContext } from './context';
import { InterruptedError } from './context';

/** How long a waiter sleeps when the cluster has nothing scheduled (it still notices changes made elsewhere). */
const IDLE_POLL_MS = 1000;

/**
 * Sleeps on the cluster clock until the next scheduled change (or a poll interval when nothing is scheduled),
 * then lets the cluster catch up; never past `until` when given. Throws InterruptedError when the command's
 * signal aborts.
 */
export async function waitForClusterChange(ctx: KubectlContext, until?: number): Promise<void> {
  const { cluster } = ctx;
  if (ctx.signal?.aborted) throw new InterruptedError();
  const now = cluster.clock.now();
  const due = cluster.nextDueAt();
  let delay = due === undefined ? IDLE_POLL_MS : Math.max(1, due - now);
  // A waiter with a deadline wakes up at it.
  if (until !== undefined) delay = Math.max(1, Math.min(delay, until - now));
  try {
    await cluster.clock.sleep(delay, ctx.signal);
  } catch (error) {
    if (ctx.signal?.aborted) throw new InterruptedError();
    throw error;
  }
  cluster.sync();
}
