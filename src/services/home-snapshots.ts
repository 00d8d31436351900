/**
 * Pure functions over the engine's HomeSnapshot (the JSON a session's home is stored as): what changed
 * between two of them (a revision's `changes`), applying changes, rebuilding a version from revisions,
 * and the listing the REST API answers. No I/O; the home store and its spec use them.
 */
import type { HomeSnapshot } from '../engine';

export type SnapshotEntry = HomeSnapshot['entries'][number];

/** What one revision changed: entries written (whole) and paths removed. */
export interface HomeChanges {
  set: SnapshotEntry[];
  removed: string[];
}

/** A stored revision as replay reads it back. */
export interface RevisionRow {
  version: number;
  changes: string;
  snapshot: string | null;
}

/** A whole home is stored beside the changes every this many versions, so a rebuild reads few rows. */
export const KEYFRAME_EVERY = 16;

export const EMPTY_SNAPSHOT: HomeSnapshot = { v: 1, version: 0, entries: [] };

/** Parses stored snapshot JSON; anything unreadable is an empty home rather than an exception. */
export function parseSnapshot(text: string | null | undefined): HomeSnapshot {
  if (!text) return EMPTY_SNAPSHOT;
  try {
    const parsed = JSON.parse(text) as HomeSnapshot;
    return parsed?.v === 1 && Array.isArray(parsed.entries) ? parsed : EMPTY_SNAPSHOT;
  } catch {
    return EMPTY_SNAPSHOT;
  }
}

function parseChanges(text: string): HomeChanges {
  try {
    const parsed = JSON.parse(text) as HomeChanges;
    return { set: parsed?.set ?? [], removed: parsed?.removed ?? [] };
  } catch {
    return { set: [], removed: [] };
  }
}

function byPath(snapshot: HomeSnapshot): Map<string, SnapshotEntry> {
  return new Map(snapshot.entries.map((entry) => [entry.p, entry]));
}

function sameEntry(a: SnapshotEntry, b: SnapshotEntry): boolean {
  return a.t === b.t && a.m === b.m;
}

/** What turns `from` into `to`. */
export function diffSnapshots(from: HomeSnapshot, to: HomeSnapshot): HomeChanges {
  const before = byPath(from);
  const after = byPath(to);
  const set = to.entries.filter((entry) => {
    const old = before.get(entry.p);
    return !old || !sameEntry(old, entry);
  });
  const removed = from.entries.filter((entry) => !after.has(entry.p)).map((entry) => entry.p);
  return { set, removed };
}

export function isEmptyChange(changes: HomeChanges): boolean {
  return changes.set.length === 0 && changes.removed.length === 0;
}

/** `base` with `changes` applied, at `version`; entries stay in path order, as the engine writes them. */
export function applyChanges(base: HomeSnapshot, changes: HomeChanges, version: number): HomeSnapshot {
  const entries = byPath(base);
  for (const path of changes.removed) {
    entries.delete(path);
    // A folder removed takes what was under it (a rebase may remove a folder another writer filled).
    for (const key of [...entries.keys()]) if (key.startsWith(`${path}/`)) entries.delete(key);
  }
  for (const entry of changes.set) entries.set(entry.p, entry);
  // A file written under a folder the other writer removed brings the folder back.
  for (const entry of [...entries.values()])
    for (let slash = entry.p.lastIndexOf('/'); slash > 0; slash = entry.p.lastIndexOf('/', slash - 1)) {
      const parent = entry.p.slice(0, slash);
      if (!entries.has(parent)) entries.set(parent, { p: parent, m: entry.m });
    }
  const sorted = [...entries.values()].sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
  return { v: 1, version, entries: sorted };
}

/** Whether `path` (or something under it, for a folder) appears in a revision's changes. */
export function touches(changes: string, path: string): boolean {
  const parsed = parseChanges(changes);
  const hit = (p: string) => p === path || p.startsWith(`${path}/`) || path.startsWith(`${p}/`);
  return parsed.set.some((entry) => entry.p === path) || parsed.removed.some(hit);
}

/**
 * The home at the last revision of `rows`, which must run (in version order) from a whole snapshot:
 * that snapshot, then each later revision's changes.
 */
export function rebuild(rows: readonly RevisionRow[]): HomeSnapshot | null {
  let start = rows.length - 1;
  while (start >= 0 && rows[start].snapshot === null) start--;
  if (start < 0) return null;
  let home = parseSnapshot(rows[start].snapshot);
  for (const row of rows.slice(start + 1)) home = applyChanges(home, parseChanges(row.changes), row.version);
  return { ...home, version: rows[rows.length - 1].version };
}

/** Whether the revision at `version` stores the whole home (the first one, and one per KEYFRAME_EVERY). */
export function isKeyframe(previous: number | null, version: number): boolean {
  return previous === null || Math.floor(previous / KEYFRAME_EVERY) !== Math.floor(version / KEYFRAME_EVERY);
}

export interface HomeListingEntry {
  path: string;
  kind: 'file' | 'dir';
  size: number;
  mtime: string;
}

/** The REST listing: every entry with its path relative to ~, sorted; sizes in UTF-8 bytes. */
export function listingOf(snapshot: HomeSnapshot): HomeListingEntry[] {
  return snapshot.entries.map((entry) => ({
    path: entry.p,
    kind: entry.t === undefined ? 'dir' : 'file',
    size: entry.t === undefined ? 0 : Buffer.byteLength(entry.t, 'utf8'),
    mtime: isoTime(entry.m),
  }));
}

/** A stored mtime as ISO text; a damaged one reads as the epoch rather than throwing. */
function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

/** Total UTF-8 bytes of the files of a snapshot. */
export function bytesOf(snapshot: HomeSnapshot): number {
  let bytes = 0;
  for (const entry of snapshot.entries)
    if (entry.t !== undefined) bytes += Buffer.byteLength(entry.t, 'utf8');
  return bytes;
}
