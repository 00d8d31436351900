import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RedisConnections } from '../infra/redis/redis-connections';
import { RedisRepository, RedisScript } from './redis.repository';

/**
 * Admits a submission. Unless the session's counter (KEYS[2]) is missing (Redis lost it, or the
 * session is new: {-1, 0}, and the caller seeds it from the database), counts the submission in the
 * user's rate window (KEYS[1], ARGV[1] seconds, at most ARGV[2]: over it, {0, seconds left}), then
 * numbers it and posts its entry (ARGV[3] run id, ARGV[4] entry) under that number: {seq, 0}.
 * Numbering and posting are one step, so the mailbox order is the numbering order.
 */
const ADMIT = `if redis.call('exists', KEYS[2]) == 0 then return {-1, 0} end
local count = redis.call('incr', KEYS[1])
if redis.call('ttl', KEYS[1]) < 0 then redis.call('expire', KEYS[1], ARGV[1]) end
if count > tonumber(ARGV[2]) then return {0, redis.call('ttl', KEYS[1])} end
local seq = redis.call('incr', KEYS[2])
local entry = cjson.decode(ARGV[4])
entry['seq'] = seq
redis.call('hset', KEYS[4], ARGV[3], cjson.encode(entry))
redis.call('zadd', KEYS[3], seq, ARGV[3])
return {seq, 0}`;
/** Raises the session's counter (KEYS[1]) to at least ARGV[1]. */
const SEED_SEQ = `local current = tonumber(redis.call('get', KEYS[1]) or '-1')
if current < tonumber(ARGV[1]) then redis.call('set', KEYS[1], ARGV[1]) end
return 1`;
/** Posts an entry (ARGV[1] run id, ARGV[2] sequence number, ARGV[3] entry) to the mailbox again. */
const POST = `redis.call('hset', KEYS[2], ARGV[1], ARGV[3])
return redis.call('zadd', KEYS[1], ARGV[2], ARGV[1])`;
/**
 * The body shared by both takes: pops the lowest-numbered run id and returns its entry, and records
 * it as the session's run in flight (KEYS[4], field ARGV[2]); on an empty mailbox the drain lock
 * (KEYS[3]) held by ARGV[1] is released and nothing is in flight any more. With an entry come the
 * values of KEYS[5…] (string keys the run needs: read here, they cost no command of their own).
 */
const TAKE = `local popped = redis.call('zpopmin', KEYS[1])
if #popped == 0 then
  if redis.call('get', KEYS[3]) == ARGV[1] then redis.call('del', KEYS[3]) end
  redis.call('hdel', KEYS[4], ARGV[2])
  return false
end
redis.call('hset', KEYS[4], ARGV[2], popped[1])
local entry = redis.call('hget', KEYS[2], popped[1])
redis.call('hdel', KEYS[2], popped[1])
local taken = {entry or cjson.encode({runId = popped[1]})}
for i = 5, #KEYS do taken[i - 3] = redis.call('get', KEYS[i]) end
return taken`;
/**
 * Takes the drain lock (ttl ARGV[3] ms), then the first entry: false when another drain holds it, or when a
 * run is still in flight without a lock — its drain died, and until the housekeeping has ended that run (and
 * queued a drain again), a new drain must not take over: TAKE would overwrite or erase the only record of it.
 */
const LOCK_AND_TAKE = `if redis.call('hexists', KEYS[4], ARGV[2]) == 1 then return false end
if not redis.call('set', KEYS[3], ARGV[1], 'PX', ARGV[3], 'NX') then return false end
${TAKE}`;
/**
 * Takes the drain lock (KEYS[3], ARGV[1] for ARGV[3] ms) only while the session is idle: nothing waits in its
 * mailbox (KEYS[1]) and nothing is in flight (KEYS[4] field ARGV[2]). A Kubernetes API write holds it while it runs,
 * so it is ordered with the terminal's commands (after those already queued, before those queued meanwhile).
 */
const LOCK_IDLE = `if redis.call('zcard', KEYS[1]) > 0 then return 0 end
if redis.call('hexists', KEYS[4], ARGV[2]) == 1 then return 0 end
if redis.call('set', KEYS[3], ARGV[1], 'PX', ARGV[3], 'NX') then return 1 end
return 0`;
const WITHDRAW = `local removed = redis.call('zrem', KEYS[1], ARGV[1])
redis.call('hdel', KEYS[2], ARGV[1])
return removed`;
const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const FORGET_IN_FLIGHT = `if redis.call('hget', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('hdel', KEYS[1], ARGV[1]) else return 0 end`;

/** What a worker needs to run a command (and record it) without reading it back from the database. */
export interface MailboxEntry {
  runId: string;
  seq?: number;
  command?: string;
  userId?: string;
  /** ISO time the command was accepted. */
  queuedAt?: string;
}

/** A taken entry, with the values of the keys asked to be read alongside (in their order; null: no value). */
export type TakenEntry = MailboxEntry & { alongside?: (string | null)[] };

export type Admission =
  | { seq: number }
  | { limited: true; resetSeconds: number }
  /** The session's counter is missing: seed it (seedSeq) and admit again. */
  | { unnumbered: true };

/**
 * Per-session command ordering in Redis. Each lab session has a mailbox (a sorted set of run ids
 * scored by sequence number, plus each run's entry), a counter that numbers its commands, and a
 * lock held by the worker draining it. The run a drain has taken is recorded as in flight until
 * the drain takes the next one or ends, so a run whose worker died is found by its lapsed lock.
 * Cancel requests travel on a pub/sub channel to whichever worker runs the command.
 */
@Injectable()
export class SessionMailboxRepository implements OnModuleDestroy {
  private subscriber: Redis | undefined;
  private readonly cancelListeners = new Set<(runId: string) => void>();
  private readonly scripts: Record<
    | 'admit'
    | 'seedSeq'
    | 'post'
    | 'lockAndTake'
    | 'takeNextOrRelease'
    | 'withdraw'
    | 'release'
    | 'renew'
    | 'forgetInFlight'
    | 'lockIdle',
    RedisScript
  >;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
    private readonly connections: RedisConnections,
  ) {
    this.scripts = {
      admit: redis.script(ADMIT, 4),
      seedSeq: redis.script(SEED_SEQ, 1),
      post: redis.script(POST, 2),
      lockAndTake: redis.script(LOCK_AND_TAKE, 'all'),
      takeNextOrRelease: redis.script(TAKE, 'all'),
      withdraw: redis.script(WITHDRAW, 2),
      release: redis.script(RELEASE_IF_OWNER, 1),
      renew: redis.script(RENEW_IF_OWNER, 1),
      forgetInFlight: redis.script(FORGET_IN_FLIGHT, 1),
      lockIdle: redis.script(LOCK_IDLE, 4),
    };
  }

  /**
   * Admits a submission in one round trip: counts it against the user's rate limit (`rate.key`, at
   * most `rate.limit` per `rate.windowSeconds`) and, within it, numbers it and posts `entry`.
   */
  async admit(
    labSessionId: string,
    rate: { key: string; limit: number; windowSeconds: number },
    entry: Omit<MailboxEntry, 'seq'>,
  ): Promise<Admission> {
    const [seq, ttl] = (await this.scripts.admit(
      [rate.key, this.seqKey(labSessionId), this.mailboxKey(labSessionId), this.entriesKey(labSessionId)],
      [rate.windowSeconds, rate.limit, entry.runId, JSON.stringify(entry)],
    )) as [number, number];
    if (seq === -1) return { unnumbered: true };
    return seq > 0 ? { seq } : { limited: true, resetSeconds: ttl > 0 ? ttl : rate.windowSeconds };
  }

  /** Moves the session's counter up to `lastUsed` (the database knows the last number used). */
  async seedSeq(labSessionId: string, lastUsed: number): Promise<void> {
    await this.scripts.seedSeq([this.seqKey(labSessionId)], [lastUsed]);
  }

  async nextSeq(labSessionId: string): Promise<number> {
    return this.redis.client.incr(this.seqKey(labSessionId));
  }

  /** Posts a run again under its number (one Redis lost, or one a dead worker left behind). */
  async post(labSessionId: string, seq: number, entry: MailboxEntry): Promise<void> {
    await this.scripts.post(
      [this.mailboxKey(labSessionId), this.entriesKey(labSessionId)],
      [entry.runId, seq, JSON.stringify({ ...entry, seq })],
    );
  }

  /**
   * Takes the session's drain lock and the first waiting entry together; null when the lock is held
   * elsewhere (that drain takes the entry), when a dead drain's run is still in flight (the housekeeping
   * ends it, then queues a drain), or when nothing waits (the lock is then released again). The values
   * of the `alongside` keys come with an entry, read once the lock is held.
   */
  async lockAndTakeFirst(
    labSessionId: string,
    token: string,
    ttlMs: number,
    alongside: string[] = [],
  ): Promise<TakenEntry | null> {
    return this.take(this.scripts.lockAndTake, labSessionId, [token, labSessionId, ttlMs], alongside);
  }

  /**
   * The next run to execute (lowest sequence number), removed from the mailbox; null when it is empty,
   * and then the lock `token` held is released too (one round trip ends a drain).
   */
  async takeNextOrRelease(
    labSessionId: string,
    token: string,
    alongside: string[] = [],
  ): Promise<TakenEntry | null> {
    return this.take(this.scripts.takeNextOrRelease, labSessionId, [token, labSessionId], alongside);
  }

  /**
   * Takes the session's drain lock when no command waits or runs (see LOCK_IDLE); false otherwise. The holder
   * releases it with unlock() and queues a drain when commands were posted meanwhile (their drains found it held).
   */
  async lockIdle(labSessionId: string, token: string, ttlMs: number): Promise<boolean> {
    const keys = [
      this.mailboxKey(labSessionId),
      this.entriesKey(labSessionId),
      this.lockKey(labSessionId),
      this.inFlightKey(),
    ];
    return (await this.scripts.lockIdle(keys, [token, labSessionId, ttlMs])) === 1;
  }

  /** Removes a queued run; false when it was no longer waiting (already taken or never posted). */
  async withdraw(labSessionId: string, runId: string): Promise<boolean> {
    const removed = await this.scripts.withdraw(
      [this.mailboxKey(labSessionId), this.entriesKey(labSessionId)],
      [runId],
    );
    return removed === 1;
  }

  async waiting(labSessionId: string): Promise<string[]> {
    return this.redis.client.zrange(this.mailboxKey(labSessionId), '0', '-1');
  }

  /** Every session's run in flight: taken by a drain that has not moved on or ended yet. */
  async inFlight(): Promise<{ labSessionId: string; runId: string }[]> {
    const all = await this.redis.client.hgetall(this.inFlightKey());
    return Object.entries(all).map(([labSessionId, runId]) => ({ labSessionId, runId }));
  }

  /** Forgets the session's run in flight, if it is still `runId`. */
  async forgetInFlight(labSessionId: string, runId: string): Promise<void> {
    await this.scripts.forgetInFlight([this.inFlightKey()], [labSessionId, runId]);
  }

  async renewLock(labSessionId: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.scripts.renew([this.lockKey(labSessionId)], [token, ttlMs])) === 1;
  }

  /** Releases the lock; a run still in flight stays recorded (the drain did not finish it). */
  async unlock(labSessionId: string, token: string): Promise<void> {
    await this.scripts.release([this.lockKey(labSessionId)], [token]);
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
    this.subscriber = this.connections.open('subscriber', 'cancel requests');
    this.subscriber.on('message', (_channel: string, runId: string) => {
      for (const notify of this.cancelListeners) notify(runId);
    });
    // ioredis re-subscribes by itself after a reconnect.
    await this.subscriber.subscribe(this.cancelChannel());
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber?.disconnect();
  }

  private async take(
    script: RedisScript,
    labSessionId: string,
    args: (string | number)[],
    alongside: string[],
  ): Promise<TakenEntry | null> {
    const raw = (await script(
      [
        this.mailboxKey(labSessionId),
        this.entriesKey(labSessionId),
        this.lockKey(labSessionId),
        this.inFlightKey(),
        ...alongside,
      ],
      args,
    )) as [string, ...(string | null)[]] | null;
    if (!raw) return null;
    const [entry, ...values] = raw;
    // A missing value at the end of the list is left out of the reply: it is null too.
    return { ...(JSON.parse(entry) as MailboxEntry), alongside: alongside.map((_, i) => values[i] ?? null) };
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

  private inFlightKey(): string {
    return `${this.config.redisPrefix}:in-flight`;
  }

  private cancelChannel(): string {
    return `${this.config.redisPrefix}:cancel`;
  }
}
