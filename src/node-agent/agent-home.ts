/**
 * AgentHome: the lab terminal's home inside the control-plane container, kept in the container's volume
 * (a JSON snapshot, written whole and renamed into place) so it outlives a restart of the container.
 *
 * It is a copy of the session's home as the platform stores it, with the rules of the embedded driver's
 * HomeCopy: a line that carries the stored home's version first replaces the copy when the stored one is
 * newer or the copy was never filled (a new cluster; a restart keeps the filled copy), and the home after
 * the line goes back to the platform when the line changed it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { HomeDirectory, HomeSnapshot } from '../engine/index';
import type { RunHome } from './protocol';

/** What a line needs before it runs: nothing more, or the stored home (the request lacked it). */
export type HomeReadiness = { ready: true; before: number } | { ready: false };

export class AgentHome {
  /** False until the copy holds the session's home (loaded from a request, or from the volume). */
  private filled = false;

  private constructor(
    private readonly home: HomeDirectory,
    /** The snapshot file in the volume; undefined keeps the home in memory only. */
    private readonly file: string | undefined,
  ) {}

  /** The terminal's home, restored from the volume's snapshot when the container ran before. */
  static async open(home: HomeDirectory, file: string | undefined): Promise<AgentHome> {
    const kept = new AgentHome(home, file);
    const text = file ? await fs.readFile(file, 'utf8').catch(() => undefined) : undefined;
    const snapshot = text === undefined ? undefined : parse(text);
    if (snapshot) {
      home.replaceWith(snapshot);
      kept.filled = true;
    }
    return kept;
  }

  /** Brings the copy up to the stored home before a line runs; answers the version the line starts from. */
  async prepare(stored: RunHome | undefined): Promise<HomeReadiness> {
    if (stored && (!this.filled || stored.version > this.home.version)) {
      if (!stored.snapshot) return { ready: false };
      this.home.replaceWith(stored.snapshot);
      this.filled = true;
      await this.save();
    }
    return { ready: true, before: this.home.version };
  }

  /**
   * After a line that started at `before`: keeps a changed home in the volume, and answers it when the
   * line came with the stored home (the platform stores it).
   */
  async finish(before: number, stored: RunHome | undefined): Promise<HomeSnapshot | undefined> {
    if (this.home.version === before) return undefined;
    await this.save();
    return stored ? this.home.snapshot() : undefined;
  }

  /**
   * A copy the volume failed to keep is not the line's failure: the platform holds the home too, and an
   * older copy after a restart is replaced by the newer stored one.
   */
  private async save(): Promise<void> {
    if (!this.file) return;
    const partial = `${this.file}.partial`;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.writeFile(partial, JSON.stringify(this.home.snapshot()));
      await fs.rename(partial, this.file);
    } catch (error) {
      process.stderr.write(`kubelab-agent: home not kept in ${this.file}: ${(error as Error).message}\n`);
    }
  }
}

function parse(text: string): HomeSnapshot | undefined {
  try {
    const snapshot = JSON.parse(text) as HomeSnapshot;
    return snapshot?.v === 1 && Array.isArray(snapshot.entries) ? snapshot : undefined;
  } catch {
    return undefined;
  }
}
