import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SESSION_LOCK_TTL_MS } from '../commands/command-runner.service';
import { JobName } from '../jobs/job.types';
import { SessionMailboxRepository } from '../repositories/session-mailbox.repository';
import { SessionRouter } from '../placement/session-router.service';

/** A write waits this long for the terminal's commands to finish before it is answered 429. */
const WAIT_MS = 10_000;
const POLL_MS = 25;

/**
 * A Kubernetes API write's turn in its session: it takes the session's drain lock while no terminal command waits
 * or runs, so writes and terminal commands never interleave, and a command typed meanwhile runs after the write.
 * Its release queues a drain when commands were posted while it held the lock (their own drains found it taken).
 */
@Injectable()
export class SessionGate {
  constructor(
    private readonly mailbox: SessionMailboxRepository,
    private readonly router: SessionRouter,
  ) {}

  /** The session's turn, or undefined when the terminal stayed busy for WAIT_MS. */
  async take(labSessionId: string): Promise<{ release(): Promise<void> } | undefined> {
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    while (!(await this.mailbox.lockIdle(labSessionId, token, SESSION_LOCK_TTL_MS))) {
      if (Date.now() > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const renewal = setInterval(
      () => void this.mailbox.renewLock(labSessionId, token, SESSION_LOCK_TTL_MS).catch(() => undefined),
      SESSION_LOCK_TTL_MS / 3,
    );
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        await this.mailbox.unlock(labSessionId, token);
        const waiting = await this.mailbox.waiting(labSessionId);
        if (waiting.length === 0) return;
        await this.router.queue({ name: JobName.CommandRun, data: { labSessionId, runId: waiting[0] } });
      },
    };
  }
}
