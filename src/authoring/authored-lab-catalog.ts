import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Lab } from '../labs';
import { LabVersionRepository } from './repositories/lab-version.repository';

/** How often each process looks for labs published (or tried) by another process. */
const REFRESH_MS = 3000;
const PINNED_CACHE_VERSIONS = 500;

/**
 * Labs authored in the browser, beside the built-in ones of LABS_DIR (LabCatalogService):
 * - `latest(labId)`: the newest published definition, read synchronously by the services that list
 *   labs and gradebooks (kept in memory, refreshed every few seconds and right after a local publish);
 * - `labForSession(session)`: the definition a session is graded against — the version it is pinned
 *   to (immutable, so cached by id), or a trial lab's current definition.
 */
@Injectable()
export class AuthoredLabCatalog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AuthoredLabCatalog');
  private latestLabs = new Map<string, { version: string; lab: Lab }>();
  private readonly pinned = new Map<string, Lab>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly versions: LabVersionRepository) {}

  async onModuleInit(): Promise<void> {
    // A database hiccup at start-up costs the first few seconds of authored labs, not the start.
    await this.refresh().catch((error: Error) =>
      this.logger.warn({ msg: 'authored labs not read yet', error: error.message }),
    );
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  latest(labId: string): Lab | undefined {
    return this.latestLabs.get(labId)?.lab;
  }

  /** Re-reads the authored labs whose version string changed. */
  refresh(): Promise<void> {
    this.refreshing ??= this.readChanged().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /**
   * The lab a session of an authored lab is graded against (callers look up built-in labs first). A session that started before its pin was set is pinned now, to the newest
   * version (grading always reads the pin afresh: a regrade moves it).
   */
  async labForSession(session: { id: string; labId: string }): Promise<Lab | undefined> {
    const pin = await this.versions.sessionPin(session.id);
    if (!pin) return undefined;
    if (pin.trial) {
      const row = await this.versions.findLab(session.labId);
      return row ? (row.definition as unknown as Lab) : undefined;
    }
    const versionId = pin.labVersionId ?? (await this.versions.pinIfUnpinned(session.id, session.labId));
    return versionId ? this.version(versionId) : undefined;
  }

  /** Pins a newly started session of a published lab to its newest version (resumed sessions keep theirs). */
  async pinOnStart(session: {
    id: string;
    labId: string;
    labVersionId: string | null;
    trial: boolean;
  }): Promise<void> {
    if (session.labVersionId || session.trial || !this.latestLabs.has(session.labId)) return;
    await this.versions.pinIfUnpinned(session.id, session.labId);
  }

  private async version(labVersionId: string): Promise<Lab | undefined> {
    const known = this.pinned.get(labVersionId);
    if (known) return known;
    const row = await this.versions.findVersionById(labVersionId);
    if (!row) return undefined;
    const lab = row.definition as unknown as Lab;
    if (this.pinned.size >= PINNED_CACHE_VERSIONS)
      this.pinned.delete(this.pinned.keys().next().value as string);
    this.pinned.set(labVersionId, lab);
    return lab;
  }

  private async readChanged(): Promise<void> {
    const stamps = await this.versions.listAuthoredStamps();
    const next = new Map<string, { version: string; lab: Lab }>();
    for (const { id, version } of stamps) {
      const known = this.latestLabs.get(id);
      if (known && known.version === version) {
        next.set(id, known);
        continue;
      }
      const row = await this.versions.findLab(id);
      if (row) next.set(id, { version: row.version, lab: row.definition as unknown as Lab });
    }
    if (next.size !== this.latestLabs.size) this.logger.debug?.({ msg: 'authored labs', count: next.size });
    this.latestLabs = next;
  }
}
