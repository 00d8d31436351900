import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisRepository, RedisScript } from '../repositories/redis.repository';
import { rendezvousPick } from './placement';
import { WorkerDirectoryRepository } from './worker-directory.repository';

/**
 * Reads the session's worker (KEYS[1]) and refreshes it for ARGV[1] ms: one command on the hot path.
 * GETEX would do the same, but a lapsed key must not be revived by a read that is about to replace it.
 */
const READ = `local current = redis.call('get', KEYS[1])
if current then redis.call('pexpire', KEYS[1], ARGV[1]) end
return current`;

/**
 * Places the session (KEYS[1]) on ARGV[2] unless another process placed it meanwhile: the key is set when it is
 * absent or still names the worker found gone (ARGV[1]); answers whichever worker the session is on now.
 */
const PLACE = `local current = redis.call('get', KEYS[1])
if (not current) or current == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return ARGV[2]
end
return current`;

/**
 * Keeps the sessions a worker is running jobs of (KEYS) on that worker (ARGV[1]) for ARGV[2] ms more: a session
 * whose placement lapsed meanwhile is claimed back; one placed elsewhere (this worker was taken for dead) is left.
 */
const HOLD = `for _, key in ipairs(KEYS) do
  local current = redis.call('get', key)
  if not current then redis.call('set', key, ARGV[1], 'PX', ARGV[2])
  elseif current == ARGV[1] then redis.call('pexpire', key, ARGV[2]) end
end
return #KEYS`;

/**
 * How long a placement read here is trusted without reading it again: a quarter of the idle window, at most 5 s
 * (a worker taken for dead and back again may have lost the session to another meanwhile; the cluster epoch keeps
 * such a brief split correct, and this keeps it brief).
 */
const RECENT_SHARE = 0.25;
const RECENT_MAX_MS = 5000;
const RECENT_SESSIONS = 20_000;

/**
 * Which worker process runs a lab session's jobs, so the session's embedded cluster lives in one process. A session
 * keeps its worker (a sticky assignment in Redis) while the worker lives and the session is not idle for longer than
 * PLACEMENT_IDLE_SECONDS; otherwise it is placed afresh by rendezvous hashing over the live workers. So a joining
 * worker takes its share only as sessions go idle, and a leaving worker's sessions spread over the others.
 */
@Injectable()
export class SessionPlacementService implements OnModuleDestroy {
  private readonly scripts: Record<'read' | 'place', RedisScript>;
  /** Sessions a job of this process is running for, with how many such jobs (worker processes only). */
  private readonly held = new Map<string, number>();
  private holdTimer: NodeJS.Timeout | undefined;
  private holder: string | undefined;
  /**
   * Placements this process read or made lately: for a short while (RECENT_SHARE, RECENT_MAX_MS) the session is
   * known to stay where it is while its worker is live, so its next jobs need no Redis command. The read that
   * refreshes the placement still comes at least four times per idle window, so it never lapses meanwhile.
   */
  private readonly recent = new Map<string, { workerId: string; at: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisRepository,
    private readonly directory: WorkerDirectoryRepository,
  ) {
    this.scripts = {
      read: redis.script(READ, 1),
      place: redis.script(PLACE, 1),
    };
  }

  /**
   * The worker that runs the session's jobs, or undefined when no worker is live (the job then waits on the shared
   * queue, which every worker consumes). Usually one Redis command (the live list is cached for a second).
   */
  async workerFor(labSessionId: string): Promise<string | undefined> {
    const known = this.recent.get(labSessionId);
    if (known && Date.now() - known.at < Math.min(this.idleMs() * RECENT_SHARE, RECENT_MAX_MS)) {
      const live = await this.directory.live();
      if (live.some((worker) => worker.workerId === known.workerId)) return known.workerId;
    }
    const key = this.key(labSessionId);
    const [live, current] = await Promise.all([
      this.directory.live(),
      this.scripts.read([key], [this.idleMs()]) as Promise<string | null>,
    ]);
    const liveIds = live.map((worker) => worker.workerId);
    if (current && liveIds.includes(current)) return this.noteRecent(labSessionId, current);
    const pick = rendezvousPick(labSessionId, liveIds);
    if (!pick) return undefined;
    const placed = (await this.scripts.place([key], [current ?? '', pick, this.idleMs()])) as string;
    return this.noteRecent(labSessionId, placed);
  }

  /** Remembers where the session was found (bounded: the oldest entries go first). */
  private noteRecent(labSessionId: string, workerId: string): string {
    this.recent.delete(labSessionId);
    this.recent.set(labSessionId, { workerId, at: Date.now() });
    if (this.recent.size > RECENT_SESSIONS) this.recent.delete(this.recent.keys().next().value as string);
    return workerId;
  }

  /** The worker the session is placed on now, if any, without placing or refreshing it (uncached). */
  async placedOn(labSessionIds: string[]): Promise<(string | null)[]> {
    if (labSessionIds.length === 0) return [];
    return this.redis.client.mget(...labSessionIds.map((id) => this.key(id)));
  }

  /**
   * Marks a job of the session as running in this worker (`workerId`) until the returned release is called: the
   * session's placement is kept fresh meanwhile, however long the job lasts (interactive runs, background jobs,
   * watches), and this worker keeps the session's cluster in memory.
   */
  hold(labSessionId: string, workerId: string): () => void {
    this.holder = workerId;
    this.held.set(labSessionId, (this.held.get(labSessionId) ?? 0) + 1);
    this.holdTimer ??= setInterval(() => void this.refreshHeld().catch(() => undefined), this.idleMs() / 4);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const count = (this.held.get(labSessionId) ?? 1) - 1;
      if (count > 0) this.held.set(labSessionId, count);
      else this.held.delete(labSessionId);
    };
  }

  /** Whether a job of the session is running in this process. */
  isHeld(labSessionId: string): boolean {
    return this.held.has(labSessionId);
  }

  onModuleDestroy(): void {
    clearInterval(this.holdTimer);
  }

  private async refreshHeld(): Promise<void> {
    if (this.held.size === 0 || !this.holder) return;
    const keys = [...this.held.keys()].map((id) => this.key(id));
    // Every held session in one command, every quarter of the idle window: cheap next to the jobs themselves.
    await this.redis.client.eval(HOLD, keys.length, ...keys, this.holder, this.idleMs());
  }

  private idleMs(): number {
    return this.config.worker.placementIdleSeconds * 1000;
  }

  private key(labSessionId: string): string {
    return `${this.config.redisPrefix}:placement:${labSessionId}`;
  }
}
