import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisRepository } from '../repositories/redis.repository';
import type { RequestKind } from './request-kind';

export type LimitVerdict =
  { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number; what: string };

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
        what: `more than ${settings.requestsPerSecond} requests a second`,
      };
    if (kind !== 'watch' && kind !== 'stream') return { ok: true, release: () => undefined };
    const limit = kind === 'watch' ? settings.watchesPerSession : settings.streamsPerSession;
    const counter = `${kind}:${labSessionId}`;
    const held = this.open.get(counter) ?? 0;
    if (held >= limit) {
      const noun = kind === 'watch' ? 'watch' : 'stream';
      const what = `more than ${limit} open ${noun}${limit === 1 ? '' : kind === 'watch' ? 'es' : 's'}`;
      return { ok: false, retryAfterSeconds: 5, what };
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
