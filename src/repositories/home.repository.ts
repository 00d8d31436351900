import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { DatabaseRepository, SqlStatement } from './database.repository';
import { RedisRepository, RedisScript } from './redis.repository';

/** A session's stored home: the engine's HomeSnapshot JSON and its version. */
export interface StoredHome {
  version: number;
  snapshot: string;
}

/** A change computed under the row lock: the new home and the revision that records it. */
export interface HomeWrite {
  version: number;
  snapshot: string;
  bytes: number;
  changes: string;
  /** Stored beside the changes on a keyframe (the whole home). */
  keyframe: string | null;
}

/**
 * The command runner's usual write, in one statement: the home moves from version $2 to $3 only if it
 * is still at $2, and its revision is recorded with it (nothing is inserted when the swap missed).
 */
const SWAP: SqlStatement = {
  name: 'home.swap',
  text:
    'WITH swapped AS (UPDATE lab_session_homes SET version = $3, snapshot = $4, bytes = $5, updated_at = now() ' +
    'WHERE lab_session_id = $1::uuid AND version = $2 RETURNING lab_session_id) ' +
    'INSERT INTO home_revisions (lab_session_id, version, changes, snapshot, created_at) ' +
    'SELECT lab_session_id, $3, $6, $7, now() FROM swapped ' +
    'ON CONFLICT (lab_session_id, version) DO UPDATE SET changes = EXCLUDED.changes, snapshot = EXCLUDED.snapshot',
};

/** Raises the hint (KEYS[1]) to ARGV[1] unless it already holds a higher version. */
const RAISE_HINT = `local current = tonumber(redis.call('get', KEYS[1]) or '-1')
if current < tonumber(ARGV[1]) then redis.call('set', KEYS[1], ARGV[1]) end
return 1`;

/**
 * Lab session homes (lab_session_homes, home_revisions) and the Redis hint of each home's version,
 * which the command runner reads beside its other per-command keys so it need not ask the database
 * whether the home changed. The database row is the truth; the hint only ever grows.
 */
@Injectable()
export class HomeRepository {
  private readonly raiseHint: RedisScript;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseRepository,
    private readonly redis: RedisRepository,
  ) {
    this.raiseHint = redis.script(RAISE_HINT, 1);
  }

  async find(labSessionId: string): Promise<StoredHome | null> {
    return this.db.client.labSessionHome.findUnique({
      where: { labSessionId },
      select: { version: true, snapshot: true },
    });
  }

  async version(labSessionId: string): Promise<number | null> {
    const row = await this.db.client.labSessionHome.findUnique({
      where: { labSessionId },
      select: { version: true },
    });
    return row?.version ?? null;
  }

  /** Creates the home (and its first, whole revision) unless the session has one already. */
  async createIfMissing(labSessionId: string, home: HomeWrite): Promise<void> {
    await this.db.client.$transaction(async (tx) => {
      const { count } = await tx.labSessionHome.createMany({
        data: [{ labSessionId, version: home.version, snapshot: home.snapshot, bytes: home.bytes }],
        skipDuplicates: true,
      });
      if (count === 1)
        await tx.homeRevision.create({
          data: { labSessionId, version: home.version, changes: home.changes, snapshot: home.keyframe },
        });
    });
  }

  /**
   * Changes the home under its row lock: `decide` sees the stored home and returns the write to make
   * (or null to change nothing), so concurrent writers (the editor, command runs) go one at a time.
   * Answers what `decide` returned, whether or not it wrote.
   */
  async update<R extends { write: HomeWrite | null }>(
    labSessionId: string,
    decide: (current: StoredHome) => R,
  ): Promise<R | null> {
    return this.db.client.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<StoredHome[]>`
        SELECT version, snapshot FROM lab_session_homes WHERE lab_session_id = ${labSessionId}::uuid FOR UPDATE`;
      if (rows.length === 0) return null;
      const result = decide(rows[0]);
      const write = result.write;
      if (!write) return result;
      await tx.labSessionHome.update({
        where: { labSessionId },
        data: { version: write.version, snapshot: write.snapshot, bytes: write.bytes, updatedAt: new Date() },
      });
      await tx.homeRevision.upsert({
        where: { labSessionId_version: { labSessionId, version: write.version } },
        create: { labSessionId, version: write.version, changes: write.changes, snapshot: write.keyframe },
        update: { changes: write.changes, snapshot: write.keyframe },
      });
      return result;
    });
  }

  /** Stores `home` if the stored version is still `from` (one round trip); false when it moved on. */
  async swap(labSessionId: string, from: number, home: HomeWrite): Promise<boolean> {
    const { rowCount } = await this.db.sql(SWAP, [
      labSessionId,
      from,
      home.version,
      home.snapshot,
      home.bytes,
      home.changes,
      home.keyframe,
    ]);
    return rowCount === 1;
  }

  /** The revisions needed to rebuild `version`: from the last whole one at or before it, in order. */
  async revisionsUpTo(
    labSessionId: string,
    version: number,
  ): Promise<{ version: number; changes: string; snapshot: string | null }[]> {
    const keyframe = await this.db.client.homeRevision.findFirst({
      where: { labSessionId, version: { lte: version }, snapshot: { not: null } },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    if (!keyframe) return [];
    return this.db.client.homeRevision.findMany({
      where: { labSessionId, version: { gte: keyframe.version, lte: version } },
      orderBy: { version: 'asc' },
      select: { version: true, changes: true, snapshot: true },
    });
  }

  /** The changes of every revision after `version` (an editor save checks them for its file). */
  changesAfter(labSessionId: string, version: number): Promise<{ version: number; changes: string }[]> {
    return this.db.client.homeRevision.findMany({
      where: { labSessionId, version: { gt: version } },
      orderBy: { version: 'asc' },
      select: { version: true, changes: true },
    });
  }

  /**
   * The home version after a command of the session (replay): the run's own link, else that of the
   * latest earlier run that has one, else 0 (the starter files). Null when the run is not the session's.
   */
  async versionAfterRun(labSessionId: string, runId: string): Promise<number | null> {
    const run = await this.db.client.commandRun.findFirst({
      where: { id: runId, labSessionId },
      select: { seq: true, homeVersion: true },
    });
    if (!run) return null;
    if (run.homeVersion !== null) return run.homeVersion;
    const earlier = await this.db.client.commandRun.findFirst({
      where: { labSessionId, seq: { lt: run.seq }, homeVersion: { not: null } },
      orderBy: { seq: 'desc' },
      select: { homeVersion: true },
    });
    return earlier?.homeVersion ?? 0;
  }

  /** The version hint; null when Redis does not know it (then ask the database). */
  async hint(labSessionId: string): Promise<number | null> {
    return hintFrom(await this.redis.get(this.hintKey(labSessionId)));
  }

  async raise(labSessionId: string, version: number): Promise<void> {
    await this.raiseHint([this.hintKey(labSessionId)], [version]);
  }

  /** The Redis key of the hint, for a script that reads it alongside its own work (then `hintFrom`). */
  hintKey(labSessionId: string): string {
    return `${this.config.redisPrefix}:home-version:${labSessionId}`;
  }
}

/** The version a hint's stored value names; null when Redis does not know it. */
export function hintFrom(value: string | null): number | null {
  return value === null ? null : Number(value);
}
