import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../../config/app-config';
import { socketChannel } from '../../repositories/event.repository';

/**
 * socket.io with the Redis adapter: a message emitted on any API instance reaches the room's clients
 * on every instance. (Workers publish on their own channel; see EventRepository.)
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly connections: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      // A command line is at most a few KiB; nothing legitimate sends more.
      maxHttpBufferSize: 64 * 1024,
    } as ServerOptions) as Server;
    const redisOptions = {
      maxRetriesPerRequest: null,
      retryStrategy: (n: number) => Math.min(n * 200, 2000),
    };
    // Many rooms' broadcasts in one write (see RedisRepository); the subscriber only reads.
    const publisher = new Redis(this.config.redisUrl, { ...redisOptions, enableAutoPipelining: true });
    const subscriber = new Redis(this.config.redisUrl, redisOptions);
    for (const connection of [publisher, subscriber]) {
      connection.on('error', () => undefined);
      this.connections.push(connection);
    }
    server.adapter(createAdapter(publisher, subscriber, { key: socketChannel(this.config) }));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    for (const connection of this.connections) connection.disconnect();
  }
}
