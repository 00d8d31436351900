import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

/**
 * The platform's general-purpose Redis connection (rate limits, health). BullMQ and the socket.io
 * adapter open their own connections, as they require.
 */
@Injectable()
export class RedisRepository implements OnModuleInit, OnModuleDestroy {
  readonly client: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // While Redis is down commands fail within two seconds (health must answer, not hang) and
    // ioredis keeps reconnecting in the background, so the platform recovers by itself.
    // Auto-pipelining sends the commands of many sessions issued in one tick as one write: under load
    // the system calls, not Redis, are the cost (measured by bench:commands).
    this.client = new Redis(config.redisUrl, {
      enableAutoPipelining: true,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.client.on('error', () => undefined);
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
   * Atomic through MULTI so concurrent requests cannot both see a stale count.
   */
  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }> {
    const result = await this.client.multi().incr(key).expire(key, windowSeconds, 'NX').ttl(key).exec();
    if (!result) throw new Error('rate limit transaction aborted');
    const count = Number(result[0][1]);
    const ttl = Number(result[2][1]);
    return { count, resetSeconds: ttl > 0 ? ttl : windowSeconds };
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
