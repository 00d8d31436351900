import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { CommandAccepted } from '../shared/events';
import { RedisRepository } from './redis.repository';

/** How long a line's client reference is remembered: longer than any automatic retry keeps trying. */
export const COMMAND_REF_TTL_MS = 5 * 60_000;
/** Marks a reference whose first submit is still on its way. */
const IN_FLIGHT = '';
/** A submit takes well under this; an API process that died mid-submit does not block the retries for long. */
const IN_FLIGHT_TTL_MS = 30_000;

export type RefClaim =
  { claimed: true } | { claimed: false; accepted: CommandAccepted } | { claimed: false; inFlight: true };

/**
 * Each lab session's recent client references (Redis), which make a retried submit idempotent: the first
 * submit of a reference claims it, and its acceptance is stored under it; a repeat gets that acceptance back.
 */
@Injectable()
export class CommandRefsRepository {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
  ) {}

  /** One round trip: SET NX with GET claims the reference or answers what it holds. */
  async claim(labSessionId: string, clientRef: string): Promise<RefClaim> {
    const held = await this.redis.client.set(
      this.key(labSessionId, clientRef),
      IN_FLIGHT,
      'PX',
      IN_FLIGHT_TTL_MS,
      'NX',
      'GET',
    );
    if (held === null) return { claimed: true };
    if (held === IN_FLIGHT) return { claimed: false, inFlight: true };
    return { claimed: false, accepted: JSON.parse(held) as CommandAccepted };
  }

  async remember(labSessionId: string, clientRef: string, accepted: CommandAccepted): Promise<void> {
    await this.redis.client.set(
      this.key(labSessionId, clientRef),
      JSON.stringify(accepted),
      'PX',
      COMMAND_REF_TTL_MS,
    );
  }

  /** The first submit was not accepted: a retry with the same reference may try again. */
  async release(labSessionId: string, clientRef: string): Promise<void> {
    await this.redis.client.del(this.key(labSessionId, clientRef));
  }

  private key(labSessionId: string, clientRef: string): string {
    return `${this.config.redisPrefix}:command-ref:${labSessionId}:${clientRef}`;
  }
}
