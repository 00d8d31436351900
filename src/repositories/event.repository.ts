import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { ServerEventName, ServerEventPayload, ServerToClientEvents } from '../shared/events';

/** The Redis channel prefix shared by the API's socket.io adapter and the worker's emitter. */
export function socketChannel(config: AppConfig): string {
  return `${config.redisPrefix}:socket.io`;
}

/**
 * The one way events reach clients. In the API process it emits through the socket.io server (its
 * Redis adapter forwards to clients on other API instances); in a worker process, which has no
 * server, it publishes through the Redis emitter to the same rooms.
 */
@Injectable()
export class EventRepository implements OnModuleDestroy {
  private server: Server<Record<string, never>, ServerToClientEvents> | undefined;
  private emitter: Emitter<ServerToClientEvents> | undefined;
  private emitterRedis: Redis | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  attachServer(server: Server<Record<string, never>, ServerToClientEvents>): void {
    this.server = server;
  }

  emit<E extends ServerEventName>(room: string | string[], event: E, payload: ServerEventPayload<E>): void {
    const args = [payload] as Parameters<ServerToClientEvents[E]>;
    if (this.server) {
      this.server.to(room).emit(event, ...args);
      return;
    }
    this.getEmitter()
      .to(room)
      .emit(event, ...args);
  }

  async onModuleDestroy(): Promise<void> {
    this.emitterRedis?.disconnect();
  }

  private getEmitter(): Emitter<ServerToClientEvents> {
    if (!this.emitter) {
      this.emitterRedis = new Redis(this.config.redisUrl, {
        enableAutoPipelining: true, // many sessions' events in one write (see RedisRepository)
        maxRetriesPerRequest: 1,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      });
      this.emitterRedis.on('error', () => undefined);
      this.emitter = new Emitter<ServerToClientEvents>(this.emitterRedis, {
        key: socketChannel(this.config),
      });
    }
    return this.emitter;
  }
}
