/**
 * In-memory stand-ins for the Redis side of a session's commands (its mailbox and drain lock, the
 * run-signals channel, the job table with worker heartbeats), with the semantics of the Redis
 * scripts, so the command runner gets unit specs without Redis.
 */
import type { RunSignal, RunSignalsRepository } from '../../repositories/run-signals.repository';
import type { SessionJobsRepository } from '../../repositories/session-jobs.repository';
import type { MailboxEntry, SessionMailboxRepository } from '../../repositories/session-mailbox.repository';
import { InMemorySessionJobsRepository } from '../../repositories/testing/in-memory-repositories';

type Implements<T, K extends keyof T> = Pick<T, K>;

/**
 * Each session's mailbox ordered by sequence number, its drain lock (lapses are not modelled: a
 * lock is held until released) and the run each drain has taken (in flight).
 */
export class InMemorySessionMailboxRepository implements Implements<
  SessionMailboxRepository,
  'post' | 'lockAndTakeFirst' | 'takeNextOrRelease' | 'renewLock' | 'unlock' | 'withdraw' | 'waiting'
> {
  private readonly boxes = new Map<string, (MailboxEntry & { seq: number })[]>();
  private readonly locks = new Map<string, string>();
  readonly inFlight = new Map<string, string>();

  async post(labSessionId: string, seq: number, entry: MailboxEntry): Promise<void> {
    const box = (this.boxes.get(labSessionId) ?? []).filter((e) => e.runId !== entry.runId);
    box.push({ ...entry, seq });
    box.sort((a, b) => a.seq - b.seq);
    this.boxes.set(labSessionId, box);
  }

  async lockAndTakeFirst(labSessionId: string, token: string): Promise<MailboxEntry | null> {
    // A run in flight with no lock held was left by a dead drain: the housekeeping ends it first.
    if (this.locks.has(labSessionId) || this.inFlight.has(labSessionId)) return null;
    this.locks.set(labSessionId, token);
    return this.take(labSessionId, token);
  }

  async takeNextOrRelease(labSessionId: string, token: string): Promise<MailboxEntry | null> {
    return this.take(labSessionId, token);
  }

  async renewLock(labSessionId: string, token: string): Promise<boolean> {
    return this.locks.get(labSessionId) === token;
  }

  async unlock(labSessionId: string, token: string): Promise<void> {
    if (this.locks.get(labSessionId) === token) this.locks.delete(labSessionId);
  }

  async withdraw(labSessionId: string, runId: string): Promise<boolean> {
    const box = this.boxes.get(labSessionId) ?? [];
    const index = box.findIndex((entry) => entry.runId === runId);
    if (index < 0) return false;
    box.splice(index, 1);
    return true;
  }

  async waiting(labSessionId: string): Promise<string[]> {
    return (this.boxes.get(labSessionId) ?? []).map((entry) => entry.runId);
  }

  isLocked(labSessionId: string): boolean {
    return this.locks.has(labSessionId);
  }

  private take(labSessionId: string, token: string): MailboxEntry | null {
    const next = this.boxes.get(labSessionId)?.shift();
    if (!next) {
      if (this.locks.get(labSessionId) === token) this.locks.delete(labSessionId);
      this.inFlight.delete(labSessionId);
      return null;
    }
    this.inFlight.set(labSessionId, next.runId);
    return next;
  }
}

/** The run-signals channel as pub/sub in memory: every listener gets every signal, a turn later. */
export class InMemoryRunSignalsRepository implements Implements<RunSignalsRepository, 'send' | 'listen'> {
  readonly sent: RunSignal[] = [];
  private readonly listeners = new Set<(signal: RunSignal) => void>();

  async send(signal: RunSignal): Promise<void> {
    this.sent.push(signal);
    // Delivered after the sender's turn, as a message through Redis is.
    await Promise.resolve();
    for (const listener of this.listeners) listener(signal);
  }

  async listen(listener: (signal: RunSignal) => void): Promise<void> {
    this.listeners.add(listener);
  }
}

/** The session job tables (workers' heartbeats are the worker directory's). */
export class InMemoryWorkerJobsRepository
  extends InMemorySessionJobsRepository
  implements Implements<SessionJobsRepository, 'start' | 'end' | 'list'> {}
