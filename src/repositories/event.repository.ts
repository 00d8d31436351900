import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RedisConnections } from '../infra/redis/redis-connections';
import type { ServerEventName, ServerEventPayload, ServerToClientEvents } from '../shared/events';

/** The Redis channel prefix of the API instances' socket.io adapter (API → API broadcasts). */
export function socketChannel(config: AppConfig): string {
  return `${config.redisPrefix}:socket.io`;
}

/** The channel on which workers publish their events to every API instance. */
export function workerEventsChannel(config: AppConfig): string {
  return `${config.redisPrefix}:worker-events`;
}

/** One event for one or more rooms, as it travels from a worker to the API instances. */
type RoomEvent = [rooms: string | string[], event: ServerEventName, payload: unknown];

/**
 * The one way events reach clients. In the API process it emits through the socket.io server (its
 * Redis adapter forwards to clients on other API instances). A worker process has no server: it
 * publishes what it emits to every API instance, which delivers to its own clients in those rooms.
 * A worker's events of one event-loop turn travel as one message (a command's start and first
 * output, and other sessions' events of the same moment), in the order they were emitted.
 */
@Injectable()
export class EventRepository implements OnModuleDestroy {
  private readonly logger = new Logger('EventRepository');
  private server: Server<Record<string, never>, ServerToClientEvents> | undefined;
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;
  private pending: RoomEvent[] = [];
  private flushScheduled = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connections: RedisConnections,
  ) {}

  /** Called by the API's gateway: emits go through `server`, and workers' events are delivered. */
  attachServer(server: Server<Record<string, never>, ServerToClientEvents>): void {
    this.server = server;
    this.subscriber = this.connections.open('subscriber', 'worker events (subscriber)');
    this.subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.deliver(message));
    // ioredis subscribes again by itself after a reconnect.
    void this.subscriber.subscribe(workerEventsChannel(this.config)).catch(() => undefined);
  }

  emit<E extends ServerEventName>(room: string | string[], event: E, payload: ServerEventPayload<E>): void {
    if (this.server) {
      const args = [payload] as Parameters<ServerToClientEvents[E]>;
      this.server.to(room).emit(event, ...args);
      return;
    }
    this.pending.push([room, event, payload]);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Emits to one client only (an answer to the client that asked, not news for its rooms). A
   * socket's id is a room of its own, so this works from any process and reaches the client on
   * whichever API instance it is connected to.
   */
  emitToSocket<E extends ServerEventName>(socketId: string, event: E, payload: ServerEventPayload<E>): void {
    this.emit(socketId, event, payload);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.pending.length > 0) this.flush();
    this.subscriber?.disconnect();
    // Lets the last batch reach Redis before the connection closes.
    await this.publisher?.quit().catch(() => undefined);
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.publisher ??= this.connections.open('command', 'worker events (publisher)');
    this.publisher.publish(workerEventsChannel(this.config), JSON.stringify(batch)).catch((error: Error) =>
      // Redis is down: live events are lost, the records they announce are not (clients replay them).
      this.logger.warn({ msg: 'events not published', count: batch.length, error: error.message }),
    );
  }

  private deliver(message: Buffer): void {
    let batch: RoomEvent[];
    try {
      batch = JSON.parse(message.toString('utf8')) as RoomEvent[];
    } catch {
      this.logger.warn({ msg: 'unreadable worker event batch', bytes: message.length });
      return;
    }
    const server = this.server as unknown as Server;
    // Only this instance's clients: every API instance receives the batch.
    for (const [rooms, event, payload] of batch) server.local.to(rooms).emit(event, payload);
  }
}
