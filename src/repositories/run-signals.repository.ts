import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RedisConnections } from '../infra/redis/redis-connections';
import { RedisRepository } from './redis.repository';

/** Why a running command is asked to stop. */
export type StopRequest = 'cancel' | 'TERM' | 'KILL' | 'INT' | 'HUP' | 'cluster-ended';

export type RunSignal =
  | { type: 'stop'; runId: string; reason: StopRequest }
  /** Typed input for an interactive run: whole lines, the end of input (Ctrl-D), or its editor's text. */
  | { type: 'input'; runId: string; data?: string; eof?: boolean; edited?: string };

/**
 * Messages for a running command, from any API instance or worker to the worker that runs it (which
 * one is not known to the sender): stop requests and typed input. One pub/sub channel; a worker
 * ignores signals for runs it does not hold.
 */
@Injectable()
export class RunSignalsRepository implements OnModuleDestroy {
  private subscriber: Redis | undefined;
  private readonly listeners = new Set<(signal: RunSignal) => void>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
    private readonly connections: RedisConnections,
  ) {}

  async send(signal: RunSignal): Promise<void> {
    await this.redis.client.publish(this.channel(), JSON.stringify(signal));
  }

  /** Calls `listener` with every signal for any run. */
  async listen(listener: (signal: RunSignal) => void): Promise<void> {
    this.listeners.add(listener);
    if (this.subscriber) return;
    this.subscriber = this.connections.open('subscriber', 'run signals');
    this.subscriber.on('message', (_channel: string, message: string) => {
      let signal: RunSignal;
      try {
        signal = JSON.parse(message) as RunSignal;
      } catch {
        return;
      }
      for (const notify of this.listeners) notify(signal);
    });
    // ioredis subscribes again by itself after a reconnect.
    await this.subscriber.subscribe(this.channel());
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber?.disconnect();
  }

  private channel(): string {
    return `${this.config.redisPrefix}:run-signals`;
  }
}
