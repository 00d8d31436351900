import type { HomeDirectory, HomeSnapshot } from '../engine';
import type { ExecHome } from './cluster-driver';

/**
 * The driver side of ExecOptions.home, shared by the drivers that hold a home in memory (embedded,
 * the fakes): a copy is a cache of the session's stored home, loaded when the stored version is newer
 * than the copy's or the copy was never filled. A copy ahead of the stored version holds writes of a
 * line still running (a background job) that the platform has not stored yet, so it is kept.
 */
export class HomeCopy {
  /** False until the copy has been filled from the stored home (a new or restored cluster). */
  private filled = false;

  constructor(readonly home: HomeDirectory) {}

  /** Brings the copy up to the stored home before a line runs; answers the version the line starts from. */
  async sync(stored: ExecHome | undefined): Promise<number> {
    if (stored && (!this.filled || stored.version > this.home.version)) {
      this.home.replaceWith(await stored.load());
      this.filled = true;
    }
    return this.home.version;
  }

  /** The home after a line that started at version `before`, when the line changed it. */
  changedSince(before: number, stored: ExecHome | undefined): HomeSnapshot | undefined {
    return stored && this.home.version !== before ? this.home.snapshot() : undefined;
  }
}
