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

  /** The cached ready cluster of the session, if it was cached at `epoch`. */
  cached(labSessionId: string, epoch: string | null): ClusterSummary | undefined {
    const entry = this.ready.get(labSessionId);
    return entry && entry.epoch === epoch ? entry.cluster : undefined;
  }

  /** Caches a ready cluster as read at `epoch`. */
  remember(labSessionId: string, epoch: string | null, cluster: ClusterSummary): void {
    this.ready.set(labSessionId, { epoch, cluster });
  }

  private key(labSessionId: string): string {
    return `${this.config.redisPrefix}:cluster-epoch:${labSessionId}`;
  }
}
