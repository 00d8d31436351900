import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RedisRepository } from './redis.repository';

/**
 * Pops the lowest-sequence run id and returns its entry, atomically, so no command is taken twice. On an
 * empty mailbox it releases the drain lock (KEYS[3]) if ARGV[1] holds it, in the same step: a command
 * posted afterwards finds the session unlocked, and its own job drains it.
 */
const TAKE_NEXT_OR_RELEASE = `local popped = redis.call('zpopmin', KEYS[1])
if #popped == 0 then
  if redis.call('get', KEYS[3]) == ARGV[1] then redis.call('del', KEYS[3]) end
  return false
end
local entry = redis.call('hget', KEYS[2], popped[1])
redis.call('hdel', KEYS[2], popped[1])
return entry or cjson.encode({runId = popped[1]})`;
const WITHDRAW = `local removed = redis.call('zrem', KEYS[1], ARGV[1])
redis.call('hdel', KEYS[2], ARGV[1])
return removed`;
const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** What a worker needs to run a command without reading it back from the database. */
export interface MailboxEntry {
  runId: string;
  seq?: number;
  command?: string;
  userId?: string;
}

/**
 * Per-session command ordering in Redis. Each lab session has a mailbox (a sorted set of run ids
 * scored by sequence number, plus each run's entry) and a lock held by the worker draining it;
 * cancel requests travel on a pub/sub channel to whichever worker runs the command. Sequence
 * numbers come from a per-session counter here too (the database's unique index is the backstop).
 */
@Injectable()
export class SessionMailboxRepository implements OnModuleDestroy {
  private subscriber: Redis | undefined;
  private readonly cancelListeners = new Set<(runId: string) => void>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
  ) {}

  async nextSeq(labSessionId: string): Promise<number> {
    return this.redis.client.incr(this.seqKey(labSessionId));
  }

  /** Moves the counter past `seq` (after Redis lost it, the database knows the last number used). */
  async raiseSeq(labSessionId: string, seq: number): Promise<void> {
    await this.redis.client.set(this.seqKey(labSessionId), String(seq));
  }

  async post(labSessionId: string, seq: number, entry: MailboxEntry): Promise<void> {
    await this.redis.client
      .multi()
      .hset(this.entriesKey(labSessionId), entry.runId, JSON.stringify({ ...entry, seq }))
      .zadd(this.mailboxKey(labSessionId), seq, entry.runId)
      .exec();
  }

  /**
   * The next run to execute (lowest sequence number), removed from the mailbox; null when it is empty,
   * and then the lock `token` held is released too (one round trip ends a drain).
   */
  async takeNextOrRelease(labSessionId: string, token: string): Promise<MailboxEntry | null> {
    const raw = (await this.redis.client.eval(
      TAKE_NEXT_OR_RELEASE,
      3,
      this.mailboxKey(labSessionId),
      this.entriesKey(labSessionId),
      this.lockKey(labSessionId),
      token,
    )) as string | null;
    return raw ? (JSON.parse(raw) as MailboxEntry) : null;
  }

  /** Removes a queued run; false when it was no longer waiting (already taken or never posted). */
  async withdraw(labSessionId: string, runId: string): Promise<boolean> {
    const removed = await this.redis.client.eval(
      WITHDRAW,
      2,
      this.mailboxKey(labSessionId),
      this.entriesKey(labSessionId),
      runId,
    );
    return removed === 1;
  }

  async waiting(labSessionId: string): Promise<string[]> {
    return this.redis.client.zrange(this.mailboxKey(labSessionId), '0', '-1');
  }

  async tryLock(labSessionId: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.client.set(this.lockKey(labSessionId), token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async renewLock(labSessionId: string, token: string, ttlMs: number): Promise<boolean> {
    return (
      (await this.redis.client.eval(RENEW_IF_OWNER, 1, this.lockKey(labSessionId), token, String(ttlMs))) ===
      1
    );
  }

  async unlock(labSessionId: string, token: string): Promise<void> {
    await this.redis.client.eval(RELEASE_IF_OWNER, 1, this.lockKey(labSessionId), token);
  }

  async isLocked(labSessionId: string): Promise<boolean> {
    return (await this.redis.client.exists(this.lockKey(labSessionId))) === 1;
  }

  async requestCancel(runId: string): Promise<void> {
    await this.redis.client.publish(this.cancelChannel(), runId);
  }

  /** Calls `listener` with the run id of every cancel request, from any API instance. */
  async onCancel(listener: (runId: string) => void): Promise<void> {
    this.cancelListeners.add(listener);
    if (this.subscriber) return;
    this.subscriber = this.redis.client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, runId: string) => {
      for (const notify of this.cancelListeners) notify(runId);
    });
    // ioredis re-subscribes by itself after a reconnect.
    await this.subscriber.subscribe(this.cancelChannel());
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber?.disconnect();
  }

  private mailboxKey(labSessionId: string): string {
    return `${this.config.redisPrefix}:mailbox:${labSessionId}`;
  }

  private entriesKey(labSessionId: string): string {
    return `${this.config.redisPrefix}:mailbox-entries:${labSessionId}`;
  }

  private seqKey(labSessionId: string): string {
    return `${this.config.redisPrefix}:seq:${labSessionId}`;
  }

  private lockKey(labSessionId: string): string {
    return `${this.config.redisPrefix}:session-lock:${labSessionId}`;
  }

  private cancelChannel(): string {
    return `${this.config.redisPrefix}:cancel`;
  }
}
