/**
 * The student's home directory, `/home/student`: an in-memory tree of files and folders that belongs to the lab
 * session (not to the cluster, so it outlives a cluster reset). Every path a terminal command or a kubectl flag
 * names resolves here and cannot leave it. Limits keep a session's state small; a change that would break one is
 * refused whole, so nothing is ever half-written. `snapshot()` / `HomeDirectory.restore()` give the compact JSON the
 * session stores, and `version` counts changes so a caller knows when to store it again.
 */
export const HOME = '/home/student';

export const HOME_LIMITS = {
  /** Bytes (UTF-8) of one file. */
  fileBytes: 256 * 1024,
  /** Bytes of all files together. */
  totalBytes: 2 * 1024 * 1024,
  /** Files and folders together (the home itself not counted). */
  entries: 200,
} as const;

export type HomeEntry = { kind: 'file'; text: string; mtime: number } | { kind: 'dir'; mtime: number };

/** Why an operation failed; `message` is the strerror text coreutils prints after `prog: path: `. */
export type HomeErrorCode =
  'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EACCES' | 'OUTSIDE' | 'LIMIT';

export class HomeError extends Error {
  constructor(
    readonly code: HomeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const STRERROR: Record<Exclude<HomeErrorCode, 'OUTSIDE' | 'LIMIT'>, string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EACCES: 'Permission denied',
};

export function homeError(code: Exclude<HomeErrorCode, 'OUTSIDE' | 'LIMIT'>): HomeError {
  return new HomeError(code, STRERROR[code]);
}

export const OUTSIDE_MESSAGE = `outside the home directory: files in this lab terminal live in ${HOME}`;

/** A resolved path: `key` is relative to the home ('' is the home itself); `dirOnly` when written with a final `/`. */
export interface HomePath {
  key: string;
  dirOnly: boolean;
}

/** The serialised home: entries in path order, `t` the text of a file (absent for a folder), `m` its mtime. */
export interface HomeSnapshot {
  v: 1;
  version: number;
  entries: { p: string; t?: string; m: number }[];
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function parentKey(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

export function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

export function joinKey(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** The absolute path of a key, as commands print it (`pwd`, messages). */
export function absolutePath(key: string): string {
  return key === '' ? HOME : `${HOME}/${key}`;
}

export class HomeDirectory {
  private readonly entries = new Map<string, HomeEntry>();
  private rootMtime: number;
  private changes = 0;

  /** `now` stamps modification times (the cluster's virtual clock in the lab). */
  constructor(
    private readonly now: () => number = () => Date.now(),
    starterFiles: Record<string, string> = {},
  ) {
    this.rootMtime = now();
    for (const [path, text] of Object.entries(starterFiles)) {
      const key = this.resolve(path).key;
      for (let dir = parentKey(key); dir !== '' && !this.entries.has(dir); dir = parentKey(dir))
        this.entries.set(dir, { kind: 'dir', mtime: this.rootMtime });
      this.entries.set(key, { kind: 'file', text, mtime: this.rootMtime });
    }
    this.checkLimits(this.entries);
  }

  /** Bumped on every change: the session stores the snapshot again when it differs from the one it stored. */
  get version(): number {
    return this.changes;
  }

  static restore(snapshot: HomeSnapshot, now?: () => number): HomeDirectory {
    const home = new HomeDirectory(now);
    if (snapshot?.v !== 1 || !Array.isArray(snapshot.entries)) return home;
    for (const { p, t, m } of snapshot.entries) {
      const key = typeof p === 'string' ? home.tryResolve(p) : undefined;
      if (key === undefined || key === '' || typeof m !== 'number') continue;
      if (t !== undefined && typeof t !== 'string') continue;
      home.entries.set(
        key,
        t === undefined ? { kind: 'dir', mtime: m } : { kind: 'file', text: t, mtime: m },
      );
    }
    home.changes = snapshot.version;
    return home;
  }

  /**
   * Replaces the whole tree with `snapshot`, in place: the session's stored home changed outside this
   * terminal (an editor save), and the terminal holding this object keeps its shell state.
   */
  replaceWith(snapshot: HomeSnapshot): void {
    const fresh = HomeDirectory.restore(snapshot, this.now);
    this.entries.clear();
    for (const [key, entry] of fresh.entries) this.entries.set(key, entry);
    this.rootMtime = fresh.rootMtime;
    this.changes = fresh.changes;
  }

  snapshot(): HomeSnapshot {
    return {
      v: 1,
      version: this.changes,
      entries: [...this.entries.keys()].sort().map((p) => {
        const entry = this.entries.get(p) as HomeEntry;
        return entry.kind === 'file' ? { p, t: entry.text, m: entry.mtime } : { p, m: entry.mtime };
      }),
    };
  }

  /**
   * Resolves `path` against the working directory `cwd` (a key): `~` and `~/...` are the home, absolute paths must
   * lie inside it, `.` and `..` are followed. Throws OUTSIDE for anything that leaves the home, or holds a NUL.
   */
  resolve(path: string, cwd = ''): HomePath {
    if (path.includes('\0')) throw new HomeError('OUTSIDE', 'file names cannot contain NUL characters');
    let absolute: string;
    if (path === '~' || path.startsWith('~/')) absolute = HOME + path.slice(1);
    else if (path.startsWith('/')) absolute = path;
    else absolute = `${absolutePath(cwd)}/${path}`;
    const segments: string[] = [];
    for (const segment of absolute.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') segments.pop();
      else segments.push(segment);
    }
    const [home, student, ...rest] = segments;
    if (`/${home}/${student}` !== HOME) throw new HomeError('OUTSIDE', OUTSIDE_MESSAGE);
    return {
      key: rest.join('/'),
      // `dir/`, `.` and `..` can only name a folder.
      dirOnly: path !== '' && /(^|\/)\.{0,2}$/.test(path),
    };
  }

  private tryResolve(path: string): string | undefined {
    try {
      return this.resolve(path).key;
    } catch {
      return undefined;
    }
  }

  /** The entry at `key` ('' is the home), undefined when there is none. */
  stat(key: string): HomeEntry | undefined {
    if (key === '') return { kind: 'dir', mtime: this.rootMtime };
    return this.entries.get(key);
  }

  /** Names directly inside the folder `key`, sorted as `ls` sorts in the C locale. */
  list(key: string): string[] {
    const prefix = key === '' ? '' : `${key}/`;
    return [...this.entries.keys()]
      .filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/') && k !== key)
      .map((k) => k.slice(prefix.length))
      .sort();
  }

  /** Every key under the folder `key` (not itself), parents before children. */
  descendants(key: string): string[] {
    const prefix = key === '' ? '' : `${key}/`;
    return [...this.entries.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  /** Follows the parents of `key`: ENOENT when one is missing, ENOTDIR when one is a file. */
  checkParents(key: string): void {
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i++) {
      const entry = this.entries.get(parts.slice(0, i).join('/'));
      if (!entry) throw homeError('ENOENT');
      if (entry.kind !== 'dir') throw homeError('ENOTDIR');
    }
  }

  /** The text of the file at `path`; the errors `cat` reports. */
  readFile(path: string, cwd = ''): string {
    const { key, dirOnly } = this.resolve(path, cwd);
    this.checkParents(key);
    const entry = this.stat(key);
    if (!entry) throw homeError('ENOENT');
    if (entry.kind === 'dir') throw homeError('EISDIR');
    if (dirOnly) throw homeError('ENOTDIR');
    return entry.text;
  }

  /**
   * Applies a batch of changes at once: `set` entries (undefined removes one), after checking the parents exist
   * and the limits hold for the result. Nothing changes when a check fails.
   */
  commit(changes: Map<string, HomeEntry | undefined>): void {
    if (changes.size === 0) return;
    const next = new Map(this.entries);
    for (const [key, entry] of changes) {
      if (entry) next.set(key, entry);
      else next.delete(key);
    }
    this.checkLimits(next, changes);
    // A folder's mtime changes when an entry is added to or removed from it.
    const stamp = this.now();
    for (const [key, entry] of changes)
      if (!entry !== !this.entries.has(key)) this.touchDir(next, parentKey(key), stamp);
    this.entries.clear();
    for (const [key, entry] of [...next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      this.entries.set(key, entry);
    this.changes++;
  }

  private touchDir(entries: Map<string, HomeEntry>, key: string, stamp: number): void {
    const dir = entries.get(key);
    if (key === '') this.rootMtime = stamp;
    else if (dir?.kind === 'dir') entries.set(key, { kind: 'dir', mtime: stamp });
  }

  /** Writes a whole file (creating it) or appends to it; checks as `bash: path: ...` redirections do. */
  writeFile(path: string, text: string, options: { cwd?: string; append?: boolean } = {}): void {
    const { key, dirOnly } = this.resolve(path, options.cwd);
    this.checkParents(key);
    const entry = this.stat(key);
    if (entry?.kind === 'dir' || key === '') throw homeError('EISDIR');
    if (dirOnly) throw homeError(entry ? 'ENOTDIR' : 'EISDIR');
    const before = options.append && entry?.kind === 'file' ? entry.text : '';
    this.commit(new Map([[key, { kind: 'file', text: before + text, mtime: this.now() }]]));
  }

  mtimeNow(): number {
    return this.now();
  }

  usage(): { bytes: number; entries: number } {
    return usageOf(this.entries);
  }

  private checkLimits(entries: Map<string, HomeEntry>, changes?: Map<string, HomeEntry | undefined>): void {
    for (const [key, entry] of changes ?? entries) {
      if (baseName(key).length > 255) throw new HomeError('LIMIT', 'File name too long');
      if (entry?.kind === 'file' && byteLength(entry.text) > HOME_LIMITS.fileBytes)
        throw new HomeError(
          'LIMIT',
          `file too large: a file in this lab terminal holds at most 256 KiB (this would be ${kib(byteLength(entry.text))})`,
        );
    }
    const { bytes, entries: count } = usageOf(entries);
    if (bytes > HOME_LIMITS.totalBytes)
      throw new HomeError(
        'LIMIT',
        `home directory full: it holds at most 2 MiB of files (this would be ${kib(bytes)}); remove files with rm`,
      );
    if (count > HOME_LIMITS.entries)
      throw new HomeError(
        'LIMIT',
        `home directory full: it holds at most ${HOME_LIMITS.entries} files and folders; remove some with rm`,
      );
  }
}

function usageOf(entries: Map<string, HomeEntry>): { bytes: number; entries: number } {
  let bytes = 0;
  for (const entry of entries.values()) if (entry.kind === 'file') bytes += byteLength(entry.text);
  return { bytes, entries: entries.size };
}

function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}
