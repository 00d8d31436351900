import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { CommandEditor } from '../shared/events';
import { RedisRepository } from './redis.repository';

/**
 * The buffer an interactive run (`kubectl edit`) has open in the page's editor pane, by run, in Redis: the worker
 * running the command writes it when it opens the buffer and removes it when the student closes it or the run
 * ends; the API reads it when a page joins the session, so a reload or a reconnect shows the buffer again. The
 * key expires on its own (a worker that died holding it), after at most the run's time limit.
 */
@Injectable()
export class EditorBuffersRepository {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
  ) {}

  async open(buffer: CommandEditor, ttlSeconds: number): Promise<void> {
    await this.redis.client.set(this.key(buffer.runId), JSON.stringify(buffer), 'EX', ttlSeconds);
  }

  async close(runId: string): Promise<void> {
    await this.redis.client.del(this.key(runId));
  }

  /** The open buffer of `runId`, or null (none open, or a value this version cannot read). */
  async find(runId: string): Promise<CommandEditor | null> {
    const stored = await this.redis.get(this.key(runId));
    if (stored === null) return null;
    try {
      const buffer = JSON.parse(stored) as Partial<CommandEditor>;
      if (typeof buffer.name !== 'string' || typeof buffer.text !== 'string') return null;
      return buffer as CommandEditor;
    } catch {
      return null;
    }
  }

  private key(runId: string): string {
    return `${this.config.redisPrefix}:editor-buffer:${runId}`;
  }
}
