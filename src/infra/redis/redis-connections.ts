import { Logger } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';
import type { AppConfig } from '../../config/app-config';

/**
 * What a connection is for, which decides how it behaves while Redis is down:
 * - `command`: the general client (scripts, counters, publishing). Auto-pipelined: the commands of
 *   many sessions issued in one tick go out as one write (under load the system calls, not Redis,
 *   are the cost; measured by bench:commands). A command fails within about two seconds while Redis
 *   is down (health must answer, not hang), and the connection keeps reconnecting in the background.
 * - `subscriber`: a pub/sub listener. Waits out an outage; ioredis subscribes again after a reconnect.
 * - `broadcaster`: the socket.io adapter's publisher. Auto-pipelined like `command`, but its commands
 *   wait out an outage instead of failing: the adapter does not handle a failed publish.
 * - `queue`: BullMQ producers. Fail fast, so a request gets a clear error instead of hanging; not
 *   auto-pipelined (BullMQ's scripts are defined per connection, and every auto-pipelined batch
 *   copies each defined command onto itself: see RedisRepository.script).
 * - `blocking`: BullMQ workers. Their blocking reads must retry forever (`maxRetriesPerRequest:
 *   null`, which BullMQ requires), so a Redis restart is ridden out.
 */
export type RedisProfile = 'command' | 'subscriber' | 'broadcaster' | 'queue' | 'blocking';

/** Connection options with a retry strategy of our own (ioredis's type also allows null, BullMQ's does not). */
export type RedisConnectionOptions = Omit<RedisOptions, 'retryStrategy'> & {
  retryStrategy: (attempt: number) => number;
};

/** Reconnect at once, then back off to one attempt every two seconds, forever. */
const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2000);

const PROFILES: Record<RedisProfile, Omit<RedisOptions, 'retryStrategy'>> = {
  command: {
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    connectTimeout: 2000,
  },
  subscriber: { maxRetriesPerRequest: null, connectTimeout: 2000 },
  broadcaster: { enableAutoPipelining: true, maxRetriesPerRequest: null, connectTimeout: 2000 },
  queue: { maxRetriesPerRequest: 1, connectTimeout: 2000 },
  blocking: { maxRetriesPerRequest: null, connectTimeout: 2000 },
};

/** The server address of a `redis:` or `rediss:` URL as connection options. */
export function redisServerOptions(redisUrl: string): Omit<RedisOptions, 'retryStrategy'> {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * The one place Redis connections are made: it knows the server (REDIS_URL), the options every
 * connection shares and those of each profile, and logs connection trouble once per outage and
 * connection (not at every reconnect attempt). Key prefixes are not its business: every caller
 * names its own keys and channels under `config.redisPrefix`, and BullMQ takes it as `prefix`.
 */
export class RedisConnections {
  private readonly logger = new Logger('Redis');
  private readonly server: Omit<RedisOptions, 'retryStrategy'>;

  constructor(config: Pick<AppConfig, 'redisUrl'>) {
    this.server = redisServerOptions(config.redisUrl);
  }

  /**
   * Opens a connection of the profile; `name` says what it is for in the log. It connects right away
   * unless `lazyConnect` is given (then on its first command, or `connect()`).
   */
  open(profile: RedisProfile, name: string, overrides: Pick<RedisOptions, 'lazyConnect'> = {}): Redis {
    const connection = new Redis({ ...this.options(profile), ...overrides });
    this.watch(connection, name);
    return connection;
  }

  /**
   * Connection options of the profile, for a library that opens its connections itself (BullMQ;
   * it reports their errors on its own objects).
   */
  options(profile: RedisProfile): RedisConnectionOptions {
    return { ...this.server, retryStrategy, ...PROFILES[profile] };
  }

  /** Logs the first error of an outage, and the recovery; without a listener ioredis would print every attempt. */
  private watch(connection: Redis, name: string): void {
    let failing = false;
    connection.on('error', (error: Error) => {
      if (failing) return;
      failing = true;
      this.logger.warn({ msg: 'connection problem; reconnecting', connection: name, error: error.message });
    });
    connection.on('ready', () => {
      if (!failing) return;
      failing = false;
      this.logger.log({ msg: 'connection restored', connection: name });
    });
  }
}
