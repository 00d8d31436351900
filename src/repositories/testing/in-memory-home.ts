import type { HomeRepository, HomeWrite, StoredHome } from '../home.repository';

type HomeMethods =
  | 'find'
  | 'version'
  | 'createIfMissing'
  | 'update'
  | 'swap'
  | 'revisionsUpTo'
  | 'changesAfter'
  | 'versionAfterRun'
  | 'hint'
  | 'hintKey'
  | 'raise';

interface Revision {
  version: number;
  changes: string;
  snapshot: string | null;
}

/**
 * Homes, revisions and version hints in memory, with HomeRepository's contract: `update` runs one
 * writer at a time per session (as the row lock does), and hints only grow. `runVersions` stands in
 * for command_runs.home_version (tests set it as the ledger would).
 */
export class InMemoryHomeRepository implements Pick<HomeRepository, HomeMethods> {
  readonly homes = new Map<string, StoredHome>();
  readonly revisions = new Map<string, Revision[]>();
  readonly hints = new Map<string, number>();
  /** Run id → { session, seq, version }, as the command run records hold them. */
  readonly runVersions = new Map<string, { labSessionId: string; seq: number; version: number | null }>();
  private readonly locks = new Map<string, Promise<unknown>>();

  async find(labSessionId: string): Promise<StoredHome | null> {
    const home = this.homes.get(labSessionId);
    return home ? { ...home } : null;
  }

  async version(labSessionId: string): Promise<number | null> {
    return this.homes.get(labSessionId)?.version ?? null;
  }

  async createIfMissing(labSessionId: string, home: HomeWrite): Promise<void> {
    if (this.homes.has(labSessionId)) return;
    this.homes.set(labSessionId, { version: home.version, snapshot: home.snapshot });
    this.revisions.set(labSessionId, [
      { version: home.version, changes: home.changes, snapshot: home.keyframe },
    ]);
  }

  async update<R extends { write: HomeWrite | null }>(
    labSessionId: string,
    decide: (current: StoredHome) => R,
  ): Promise<R | null> {
    const previous = this.locks.get(labSessionId) ?? Promise.resolve();
    const turn = previous.then(async () => {
      // A pause, as a database round trip takes one: concurrent writers interleave (fake timers allow it).
      await Promise.resolve();
      const current = this.homes.get(labSessionId);
      if (!current) return null;
      const result = decide({ ...current });
      const write = result.write;
      if (write) {
        this.homes.set(labSessionId, { version: write.version, snapshot: write.snapshot });
        const list = this.revisions.get(labSessionId) ?? [];
        list.push({ version: write.version, changes: write.changes, snapshot: write.keyframe });
        this.revisions.set(labSessionId, list);
      }
      return result;
    });
    this.locks.set(
      labSessionId,
      turn.catch(() => undefined),
    );
    return turn;
  }

  async swap(labSessionId: string, from: number, home: HomeWrite): Promise<boolean> {
    const result = await this.update(labSessionId, (current) => ({
      write: current.version === from ? home : null,
    }));
    return (result?.write ?? null) !== null;
  }

  async revisionsUpTo(labSessionId: string, version: number): Promise<Revision[]> {
    const list = (this.revisions.get(labSessionId) ?? []).filter((r) => r.version <= version);
    let start = list.length - 1;
    while (start >= 0 && list[start].snapshot === null) start--;
    return start < 0 ? [] : list.slice(start);
  }

  async changesAfter(labSessionId: string, version: number): Promise<{ version: number; changes: string }[]> {
    return (this.revisions.get(labSessionId) ?? [])
      .filter((r) => r.version > version)
      .map((r) => ({ version: r.version, changes: r.changes }));
  }

  async versionAfterRun(labSessionId: string, runId: string): Promise<number | null> {
    const run = this.runVersions.get(runId);
    if (!run || run.labSessionId !== labSessionId) return null;
    if (run.version !== null) return run.version;
    const earlier = [...this.runVersions.values()]
      .filter((r) => r.labSessionId === labSessionId && r.seq < run.seq && r.version !== null)
      .sort((a, b) => b.seq - a.seq)[0];
    return earlier?.version ?? 0;
  }

  async hint(labSessionId: string): Promise<number | null> {
    return this.hints.get(labSessionId) ?? null;
  }

  /** A name only: the in-memory mailbox reads nothing alongside its takes, so the runner asks `hint`. */
  hintKey(labSessionId: string): string {
    return `home-version:${labSessionId}`;
  }

  async raise(labSessionId: string, version: number): Promise<void> {
    if ((this.hints.get(labSessionId) ?? -1) < version) this.hints.set(labSessionId, version);
  }
}
