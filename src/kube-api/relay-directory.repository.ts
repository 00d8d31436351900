import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisRepository } from '../repositories/redis.repository';

/** A worker's internal relay: where it serves the Kubernetes API of the clusters it runs, and its shared secret. */
export interface RelayAddress {
  workerId: string;
  url: string;
  secret: string;
}

/** A relay that has not renewed its entry for this long is gone (its worker died or stopped). */
export const RELAY_TTL_MS = 10_000;
/** A session's API requests keep going to the same worker while they keep coming this often. */
const AFFINITY_TTL_MS = 5 * 60_000;
/** An API process reads the list of relays at most this often. */
const LIST_CACHE_MS = 1000;

/**
 * Which worker serves which session's Kubernetes API (Redis): workers announce their relay; the first request of
 * a session picks a live one and the session's later requests stay with it, so its watches and its writes meet
 * the same in-memory cluster.
 */
@Injectable()
export class RelayDirectoryRepository {
  private listed: { at: number; relays: Promise<RelayAddress[]> } | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
  ) {}

  async announce(relay: RelayAddress): Promise<void> {
    await this.redis.client.hset(
      this.relaysKey(),
      relay.workerId,
      JSON.stringify({ ...relay, at: Date.now() }),
    );
  }

  async withdraw(workerId: string): Promise<void> {
    await this.redis.client.hdel(this.relaysKey(), workerId);
  }

  /** The relay serving the session: the one it used last while that one lives, else a live one picked now. */
  async relayFor(labSessionId: string): Promise<RelayAddress | undefined> {
    const key = this.affinityKey(labSessionId);
    const [relays, chosen] = await Promise.all([this.live(), this.redis.client.get(key)]);
    const kept = relays.find((relay) => relay.workerId === chosen);
    if (kept) {
      void this.redis.client.pexpire(key, AFFINITY_TTL_MS).catch(() => undefined);
      return kept;
    }
    if (relays.length === 0) return undefined;
    const pick = relays[Math.floor(Math.random() * relays.length)];
    // Two API processes picking at once agree on whichever pick landed first.
    const set = await this.redis.client.set(key, pick.workerId, 'PX', AFFINITY_TTL_MS, 'NX');
    if (set === 'OK' || chosen === pick.workerId) return pick;
    const winner = await this.redis.client.get(key);
    return relays.find((relay) => relay.workerId === winner) ?? pick;
  }

  /** Forgets the session's relay (it did not answer): the next request picks a live one. */
  async forget(labSessionId: string, workerId: string): Promise<void> {
    const key = this.affinityKey(labSessionId);
    if ((await this.redis.client.get(key)) === workerId) await this.redis.client.del(key);
    this.listed = undefined;
  }

  private live(): Promise<RelayAddress[]> {
    if (this.listed && Date.now() - this.listed.at < LIST_CACHE_MS) return this.listed.relays;
    const relays = this.redis.client.hgetall(this.relaysKey()).then((all) => {
      const now = Date.now();
      return Object.values(all)
        .map((raw) => JSON.parse(raw) as RelayAddress & { at: number })
        .filter((relay) => now - relay.at < RELAY_TTL_MS)
        .map(({ workerId, url, secret }) => ({ workerId, url, secret }));
    });
    this.listed = { at: Date.now(), relays };
    relays.catch(() => (this.listed = undefined));
    return relays;
  }

  private relaysKey(): string {
    return `${this.config.redisPrefix}:kube-api:relays`;
  }

  private affinityKey(labSessionId: string): string {
    return `${this.config.redisPrefix}:kube-api:relay-of:${labSessionId}`;
  }
}
