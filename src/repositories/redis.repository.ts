import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { RedisConnections } from '../infra/redis/redis-connections';

/** Runs a script defined with RedisRepository.script. */
export type RedisScript = (keys: string[], args?: (string | number)[]) => Promise<unknown>;

/** Increments a fixed-window counter, starting its window on the first hit; answers [count, ttl]. */
const HIT = `local count = redis.call('incr', KEYS[1])
if redis.call('ttl', KEYS[1]) < 0 then redis.call('expire', KEYS[1], ARGV[1]) end
return {count, redis.call('ttl', KEYS[1])}`;

/**
 * The platform's general-purpose Redis connection (rate limits, mailboxes, health). Pub/sub
 * listeners, BullMQ and the socket.io adapter have connections of their own (all made by
 * RedisConnections).
 */
@Injectable()
export class RedisRepository implements OnModuleInit, OnModuleDestroy {
  readonly client: Redis;
  private readonly hitScript: RedisScript;

  constructor(connections: RedisConnections) {
    // Auto-pipelined, and commands fail fast while Redis is down (see RedisProfile 'command').
    this.client = connections.open('command', 'general', { lazyConnect: true });
    this.hitScript = this.script(HIT, 1);
  }

  /** Waits briefly for the first connection, so early requests do not fail; a dead Redis does not block start-up. */
  async onModuleInit(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, 2000)));
    await Promise.race([this.client.connect().catch(() => undefined), timeout]);
    clearTimeout(timer);
  }

  async ping(): Promise<void> {
    const answer = await this.client.ping();
    if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
  }

  /**
   * Counts a hit in a fixed window and returns the count so far and the seconds until the window ends.
   * One script, so concurrent requests cannot both see a stale count.
   */
  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }> {
    const [count, ttl] = (await this.hitScript([key], [windowSeconds])) as [number, number];
    return { count, resetSeconds: ttl > 0 ? ttl : windowSeconds };
  }

  /**
   * A Lua script run by its SHA, as a function of its keys and arguments; Redis learns the script on
   * first use (and again after a restart). One script costs one command, where MULTI and its
   * commands cost several. (Not ioredis's defineCommand: every auto-pipelined batch copies each
   * defined command onto itself, which costs more than the round trips it saves.) `'all'`: every key
   * given is a key, however many (a script that reads a variable list of keys alongside its work).
   */
  script(lua: string, numberOfKeys: number | 'all'): RedisScript {
    const sha = createHash('sha1').update(lua).digest('hex');
    return async (keys, args = []) => {
      const count = numberOfKeys === 'all' ? keys.length : numberOfKeys;
      try {
        return await this.client.evalsha(sha, count, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return this.client.eval(lua, count, ...keys, ...args);
      }
    };
  }

  async peek(key: string): Promise<{ count: number; resetSeconds: number }> {
    const [count, ttl] = await Promise.all([this.client.get(key), this.client.ttl(key)]);
    return { count: Number(count ?? 0), resetSeconds: ttl > 0 ? ttl : 0 };
  }

  async get(key: string): Promise<string | null> {
    return this.client.get(key);
  }

  async increment(key: string): Promise<number> {
    return this.client.incr(key);
  }

  /** Sets the key only if it does not exist yet; true when this call set it (a lease, a once-only flag). */
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async forget(key: string): Promise<void> {
    await this.client.del(key);
  }

  async onModuleDestroy(): Promise<void> {
    this.client.disconnect();
  }
}
