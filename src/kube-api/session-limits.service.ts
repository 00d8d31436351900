import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisRepository } from '../repositories/redis.repository';
import type { RequestKind } from './request-kind';

export type LimitVerdict =
  { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number; why: string };

/**
 * Per-session limits of the Kubernetes API: requests per second (every API process together, a one-second window
 * in Redis) and open watches and streams (per API process: they are counted where they are held open, and end
 * with it).
 */
@Injectable()
export class SessionLimitsService {
  private readonly open = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
  ) {}

  async admit(labSessionId: string, kind: RequestKind): Promise<LimitVerdict> {
    const settings = this.config.kubeApi;
    const second = Math.floor(Date.now() / 1000);
    const key = `${this.config.redisPrefix}:kube-api:rate:${labSessionId}:${second}`;
    const [[, count]] = (await this.redis.client.multi().incr(key).expire(key, 2).exec()) as [
      [Error | null, number],
      unknown,
    ];
    if (count > settings.requestsPerSecond)
      return {
        ok: false,
        retryAfterSeconds: 1,
        why: `this lab session's API takes at most ${settings.requestsPerSecond} requests a second`,
      };
    if (kind !== 'watch' && kind !== 'stream') return { ok: true, release: () => undefined };
    const limit = kind === 'watch' ? settings.watchesPerSession : settings.streamsPerSession;
    const counter = `${kind}:${labSessionId}`;
    const held = this.open.get(counter) ?? 0;
    if (held >= limit) {
      const open =
        kind === 'watch'
          ? `${limit} watch${limit === 1 ? '' : 'es'}`
          : `${limit} stream${limit === 1 ? '' : 's'} (logs -f, exec, attach, port-forward)`;
      // 1 s, as an API server's max-in-flight answers: a slot frees as soon as any of them ends.
      return { ok: false, retryAfterSeconds: 1, why: `this lab session may keep at most ${open} open` };
    }
    this.open.set(counter, held + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.open.get(counter) ?? 1) - 1;
        if (left > 0) this.open.set(counter, left);
        else this.open.delete(counter);
      },
    };
  }
}
