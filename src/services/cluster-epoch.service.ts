import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import type { ClusterSummary } from '../repositories/cluster.repository';
import { RedisRepository } from '../repositories/redis.repository';

/**
 * A session's cluster epoch: a Redis counter bumped on every change of the session's cluster (and on
 * every saved snapshot), so every worker can tell whether its cached view of the cluster still holds.
 * Also this process's cache of ready clusters by session, so a command needs no database read to find
 * its cluster: an entry is valid while the epoch still has the value read before the entry was filled.
 */
@Injectable()
export class ClusterEpochService {
  private readonly ready = new Map<string, { epoch: string | null; cluster: ClusterSummary }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
  ) {}

  /** The session's current epoch (null before its cluster first changed). */
  read(labSessionId: string): Promise<string | null> {
    return this.redis.get(this.key(labSessionId));
  }

  /** The Redis key of the session's epoch, for a script that reads it alongside its own work. */
  keyOf(labSessionId: string): string {
    return this.key(labSessionId);
  }

  /** Invalidates every worker's cached view of the session's cluster; answers the new epoch. */
  bump(labSessionId: string): Promise<number> {
    this.ready.delete(labSessionId);
    return this.redis.increment(this.key(labSessionId));
  }

  /**
   * Tells every other worker that the session's cluster record changed to `cluster`, which this process made and
   * holds: it is cached at the new epoch. Until the new epoch is known, the entry cached here stays valid for a
   * reader of the old one (its cluster is this process's, and the record it names is not newer than the copy).
   */
  async advance(labSessionId: string, cluster: ClusterSummary): Promise<void> {
    const epoch = await this.redis.increment(this.key(labSessionId));
    this.remember(labSessionId, String(epoch), cluster);
  }

  /** The cached ready cluster of the session, if it was cached at `epoch`. */
  cached(labSessionId: string, epoch: string | null): ClusterSummary | undefined {
    const entry = this.ready.get(labSessionId);
    return entry && entry.epoch === epoch ? entry.cluster : undefined;
  }

  /**
   * Caches a ready cluster as read at `epoch`, unless the entry cached already is of a later epoch: a read that
   * started before this process advanced the epoch may end after it.
   */
  remember(labSessionId: string, epoch: string | null, cluster: ClusterSummary): void {
    const cached = this.ready.get(labSessionId);
    if (cached && epochNumber(cached.epoch) > epochNumber(epoch)) return;
    this.ready.set(labSessionId, { epoch, cluster });
  }

  private key(labSessionId: string): string {
    return `${this.config.redisPrefix}:cluster-epoch:${labSessionId}`;
  }
}

/** An epoch as a number: none yet (the cluster never changed) is the earliest. */
function epochNumber(epoch: string | null): number {
  return epoch === null ? -1 : Number(epoch);
}
