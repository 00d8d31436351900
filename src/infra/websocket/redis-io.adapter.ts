import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '../../config/app-config';
import { socketChannel } from '../../repositories/event.repository';
import { RedisConnections } from '../redis/redis-connections';
import { COMMAND_INPUT_MAX_BYTES } from '../../dtos/terminal.dto';

/**
 * The largest message a client may send: a command (a heredoc or pasted block of up to
 * COMMAND_MAX_BLOCK_BYTES) or a piece of typed input, with room for JSON escapes (a newline or a
 * quote takes two bytes) and the rest of the payload. Anything larger closes the connection.
 */
export function maxMessageBytes(config: AppConfig): number {
  return (
    2 * Math.max(config.commands.maxBlockBytes, config.commands.maxLineBytes, COMMAND_INPUT_MAX_BYTES) + 4096
  );
}

/**
 * socket.io with the Redis adapter: a message emitted on any API instance reaches the room's clients
 * on every instance. (Workers publish on their own channel; see EventRepository.)
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly connections: Redis[] = [];

  constructor(
    private readonly app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      maxHttpBufferSize: maxMessageBytes(this.config),
    } as ServerOptions) as Server;
    const redis = this.app.get(RedisConnections);
    // Many rooms' broadcasts in one write (see RedisRepository); the subscriber only reads.
    const publisher = redis.open('broadcaster', 'socket.io adapter (publisher)');
    const subscriber = redis.open('subscriber', 'socket.io adapter (subscriber)');
    this.connections.push(publisher, subscriber);
    server.adapter(createAdapter(publisher, subscriber, { key: socketChannel(this.config) }));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    for (const connection of this.connections) connection.disconnect();
  }
}
