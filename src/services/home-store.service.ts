import { Injectable, Logger } from '@nestjs/common';
import type { ExecHome } from '../clusters/cluster-driver';
import { HOME_LIMITS, HomeDirectory, type HomeSnapshot } from '../engine';
import { EXAMPLE_MANIFESTS } from '../engine/kubectl/virtual-files';
import { EventRepository } from '../repositories/event.repository';
import { hintFrom, HomeRepository, HomeWrite, StoredHome } from '../repositories/home.repository';
import { LabSessionRepository } from '../repositories/lab-session.repository';
import { courseRoom, sessionRoom } from '../shared/events';
import {
  applyChanges,
  bytesOf,
  diffSnapshots,
  EMPTY_SNAPSHOT,
  HomeChanges,
  isEmptyChange,
  isKeyframe,
  parseSnapshot,
  rebuild,
} from './home-snapshots';
import { LabCatalogService } from './lab-catalog.service';

/** Sessions whose last stored home a process keeps (a few KiB each, usually). */
const REMEMBERED_HOMES = 2000;

/** What a change of the stored home decided: the write (or none) and what the caller answers. */
export interface HomeDecision<T> {
  write: HomeWrite | null;
  answer: T;
}

/**
 * The session's home as the platform stores it (lab_session_homes), shared by the command runner and
 * the editor's REST API. Every change is made under the home's row lock and bumps its version, which
 * only grows; each new version is kept as a revision for replay, and announced as `home.changed`.
 * A new home holds its lab's starter files.
 */
@Injectable()
export class HomeStoreService {
  private readonly logger = new Logger('HomeStore');
  /** Course of each session seen, for the instructors' room (a session never changes course). */
  private readonly courses = new Map<string, string>();
  /**
   * The last home this process stored for each session: a run that started from it is stored in one
   * statement (a compare-and-swap on the version) instead of a locked read and write.
   */
  private readonly stored = new Map<string, HomeSnapshot>();

  constructor(
    private readonly homes: HomeRepository,
    private readonly sessions: LabSessionRepository,
    private readonly catalog: LabCatalogService,
    private readonly events: EventRepository,
  ) {}

  /**
   * The Redis hint of the session's home version (null: not known, or Redis failed), for a caller
   * that sends it beside reads of its own (the command runner's take) and hands it to execHome.
   */
  versionHint(labSessionId: string): Promise<number | null> {
    return this.homes.hint(labSessionId).catch(() => null);
  }

  /**
   * The hint as a caller reads it inside a Redis script of its own (the command runner's take): the key
   * to read, and the version its value names.
   */
  readonly versionHintAlongside = {
    key: (labSessionId: string) => this.homes.hintKey(labSessionId),
    from: hintFrom,
  };

  /**
   * The home a command hands its driver (ExecOptions.home). The version comes from the Redis hint,
   * so the hot path reads the database only when Redis does not know the home (new, or Redis lost).
   */
  async execHome(
    labSessionId: string,
    hint: Promise<number | null> = this.versionHint(labSessionId),
  ): Promise<ExecHome> {
    let version = await hint;
    if (version === null) {
      version = (await this.current(labSessionId)).version;
      await this.homes.raise(labSessionId, version).catch(() => undefined);
    }
    return { version, load: () => this.load(labSessionId) };
  }

  /**
   * The stored home, for a driver whose copy must be filled (a new or restored cluster). Remembered
   * as the last stored home, so the run's write (usually the session's first) is the one-statement swap.
   */
  private async load(labSessionId: string): Promise<HomeSnapshot> {
    const current = await this.current(labSessionId);
    const home = { ...parseSnapshot(current.snapshot), version: current.version };
    this.remember(labSessionId, home);
    return home;
  }

  /** The stored home, created from the lab's starter files if the session has none yet. */
  async current(labSessionId: string): Promise<StoredHome> {
    const found = await this.homes.find(labSessionId);
    if (found) return found;
    const session = await this.sessions.findById(labSessionId);
    const starter = (session && this.catalog.get(session.labId)?.starterFiles) ?? EXAMPLE_MANIFESTS;
    const home = new HomeDirectory(() => Date.now(), starter).snapshot();
    const text = JSON.stringify(home);
    await this.homes.createIfMissing(labSessionId, {
      version: home.version,
      snapshot: text,
      bytes: bytesOf(home),
      changes: JSON.stringify(diffSnapshots(EMPTY_SNAPSHOT, home)),
      keyframe: text,
    });
    return (await this.homes.find(labSessionId)) ?? { version: home.version, snapshot: text };
  }

  /**
   * Stores the home a run left (ExecResult.home), the run having started from stored version `base`.
   * When the home moved on meanwhile (an editor save), the run's own changes since `base` are applied
   * to the stored home instead, so neither is lost. Answers the stored version after the run.
   */
  async recordRun(labSessionId: string, runId: string, base: number, after: HomeSnapshot): Promise<number> {
    const known = this.stored.get(labSessionId);
    if (known?.version === base) {
      const next = { ...after, version: Math.max(after.version, base + 1) };
      const write = writeOf(known, next);
      if (!write) return base;
      if (await this.homes.swap(labSessionId, base, write)) {
        this.remember(labSessionId, next);
        await this.announce(labSessionId, next.version, runId);
        return next.version;
      }
    }
    // Known only once the stored home is found to have moved on: the home the run started from.
    let start: HomeSnapshot | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = await this.change(
        labSessionId,
        (current): HomeDecision<{ version: number; done: boolean; home?: HomeSnapshot }> => {
          const stored = parseSnapshot(current.snapshot);
          let next: HomeSnapshot | null;
          if (current.version === base) {
            // The driver counts its own changes; the stored version only ever grows.
            next = { ...after, version: Math.max(after.version, current.version + 1) };
          } else if (start) {
            next = mergeInto(
              stored,
              diffSnapshots(start, after),
              Math.max(after.version, current.version) + 1,
            );
          } else {
            return { write: null, answer: { version: current.version, done: false } };
          }
          const write = next && writeOf(stored, next);
          const home = write && next ? next : stored;
          return { write, answer: { version: write ? write.version : current.version, done: true, home } };
        },
        runId,
      );
      if (outcome.home) this.remember(labSessionId, { ...outcome.home, version: outcome.version });
      if (outcome.done) return outcome.version;
      start = (await this.snapshotAt(labSessionId, base)) ?? EMPTY_SNAPSHOT;
    }
    return base;
  }

  private remember(labSessionId: string, home: HomeSnapshot): void {
    this.stored.delete(labSessionId);
    this.stored.set(labSessionId, home);
    // Bounded: the least recently stored sessions are forgotten first (they take the locked path).
    if (this.stored.size > REMEMBERED_HOMES) this.stored.delete(this.stored.keys().next().value as string);
  }

  /**
   * Runs `decide` on the stored home under its lock; a write it returns is stored as the next
   * revision, the hint raised and `home.changed` announced.
   */
  async change<T>(
    labSessionId: string,
    decide: (current: StoredHome) => HomeDecision<T>,
    runId?: string,
  ): Promise<T> {
    await this.current(labSessionId);
    const result = await this.homes.update(labSessionId, decide);
    if (!result) throw new Error(`lab session ${labSessionId} has no home`);
    if (result.write) await this.announce(labSessionId, result.write.version, runId);
    return result.answer;
  }

  /** The home as it was at `version` (the latest revision at or before it), null before the first. */
  async snapshotAt(labSessionId: string, version: number): Promise<HomeSnapshot | null> {
    return rebuild(await this.homes.revisionsUpTo(labSessionId, version));
  }

  private async announce(labSessionId: string, version: number, runId?: string): Promise<void> {
    await this.homes
      .raise(labSessionId, version)
      .catch((error: Error) =>
        this.logger.warn({ msg: 'home version hint not raised', labSessionId, error: error.message }),
      );
    let courseId = this.courses.get(labSessionId);
    if (!courseId) {
      courseId = (await this.sessions.findById(labSessionId).catch(() => null))?.courseId;
      if (courseId) this.courses.set(labSessionId, courseId);
    }
    const rooms = courseId ? [sessionRoom(labSessionId), courseRoom(courseId)] : sessionRoom(labSessionId);
    this.events.emit(rooms, 'home.changed', { labSessionId, version, runId });
  }
}

/** The write that replaces `stored` by `next`: the revision records what changed between them. */
export function writeOf(stored: HomeSnapshot, next: HomeSnapshot): HomeWrite | null {
  const changes = diffSnapshots(stored, next);
  if (isEmptyChange(changes)) return null;
  const text = JSON.stringify(next);
  return {
    version: next.version,
    snapshot: text,
    bytes: bytesOf(next),
    changes: JSON.stringify(changes),
    keyframe: isKeyframe(stored.version, next.version) ? text : null,
  };
}

/**
 * `changes` applied to `stored`, if the result keeps the home's limits (two writers' changes together
 * could break one); null when it would not, and the stored home stays as it is.
 */
function mergeInto(stored: HomeSnapshot, changes: HomeChanges, version: number): HomeSnapshot | null {
  const merged = applyChanges(stored, changes, version);
  const usage = HomeDirectory.restore(merged).usage();
  return usage.bytes <= HOME_LIMITS.totalBytes && usage.entries <= HOME_LIMITS.entries ? merged : null;
}
