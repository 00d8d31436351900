import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { HomeDirectory, HomeError, type HomeEntry, type HomeSnapshot } from '../engine';
import { HomeRepository, HomeWrite } from '../repositories/home.repository';
import type { HomeAtRun, HomeConflict, HomeFile, HomeListing, HomeSaved } from '../shared/http-api';
import type { AuthUser } from './auth.service';
import { GradingService } from './grading.service';
import { listingOf, parseSnapshot, touches } from './home-snapshots';
import { HomeDecision, HomeStoreService, writeOf } from './home-store.service';
import { LabSessionService } from './lab-session.service';

/** A save retries this often when other writes keep landing between its check and its write. */
const SAVE_ATTEMPTS = 3;

/**
 * The student's home directory over REST (the web editor, uploads and downloads, replay): the student
 * reads and changes their own session's files; the course's instructors read them, now and as they
 * were after any command. Every change goes through the home store, under the same row lock and
 * version as the command runs, so a save and a command writing the same home never interleave.
 */
@Injectable()
export class HomeService {
  constructor(
    private readonly sessions: LabSessionService,
    private readonly store: HomeStoreService,
    private readonly homes: HomeRepository,
    private readonly grading: GradingService,
  ) {}

  async list(user: AuthUser, labSessionId: string): Promise<HomeListing> {
    await this.sessions.access(user, labSessionId);
    const home = parseStored(await this.store.current(labSessionId));
    return { version: home.version, entries: listingOf(home) };
  }

  async read(user: AuthUser, labSessionId: string, rawPath: string): Promise<HomeFile> {
    await this.sessions.access(user, labSessionId);
    const path = homePath(rawPath);
    const home = parseStored(await this.store.current(labSessionId));
    const text = fileText(HomeDirectory.restore(home), path);
    return { path, text, version: home.version };
  }

  /**
   * Writes a whole file (creating it and its folders). Refused with 409 when the file changed after
   * `baseVersion`, which the editor read it at: the student sees the text as it is now.
   */
  async save(
    user: AuthUser,
    labSessionId: string,
    input: { path: string; text: string; baseVersion: number },
  ): Promise<HomeSaved> {
    await this.sessions.requireOwner(user, labSessionId);
    const path = homePath(input.path);
    await this.store.current(labSessionId);
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      // Which later revisions touched the file: read first, then checked under the lock to be complete.
      const later = await this.homes.changesAfter(labSessionId, input.baseVersion);
      const seen = Math.max(input.baseVersion, ...later.map((row) => row.version));
      const changed = later.some((row) => touches(row.changes, path));
      const outcome = await this.store.change(
        labSessionId,
        (current): HomeDecision<HomeSaved | HomeConflict | { retry: true }> => {
          const stored = parseStored(current);
          // A version the client cannot have seen, or a change to the file after the one it saw.
          if (input.baseVersion > current.version || (changed && current.version >= seen)) {
            const now = HomeDirectory.restore(stored).stat(path);
            return { write: null, answer: conflictOf(current.version, now) };
          }
          // Written after the revisions were read: read them again.
          if (current.version !== seen) return { write: null, answer: { retry: true } };
          const next = edit(stored, (home) => writeWhole(home, path, input.text));
          return { write: next.write, answer: { version: next.version } };
        },
      );
      if ('retry' in outcome) continue;
      if ('statusCode' in outcome) throw new ConflictException(outcome);
      await this.gradeAfterChange(labSessionId);
      return outcome;
    }
    throw new ConflictException({
      statusCode: 409,
      message: 'the home is changing (commands are writing files); try saving again',
    });
  }

  /** Removes a file, or a folder (with everything in it when `recursive`). */
  async remove(
    user: AuthUser,
    labSessionId: string,
    rawPath: string,
    recursive: boolean,
  ): Promise<HomeSaved> {
    await this.sessions.requireOwner(user, labSessionId);
    const path = homePath(rawPath);
    await this.store.current(labSessionId);
    const removed = await this.store.change(labSessionId, (current) => {
      const next = edit(parseStored(current), (home) => removeEntry(home, path, recursive));
      return { write: next.write, answer: { version: next.version } };
    });
    await this.gradeAfterChange(labSessionId);
    return removed;
  }

  /**
   * A step may check the student's files, so a save in the editor is graded at once, as a command is, and
   * its tick does not wait for the next command. A grading that cannot be queued now (Redis down) only
   * delays the tick to the next command; the save itself has landed.
   */
  private async gradeAfterChange(labSessionId: string): Promise<void> {
    await this.grading.requestGrading(labSessionId, 'home').catch(() => undefined);
  }

  /** Replay: the home as it was after the command `runId` of the session (for its instructors). */
  async at(user: AuthUser, labSessionId: string, runId: string): Promise<HomeAtRun> {
    await this.sessions.access(user, labSessionId);
    const version = await this.homes.versionAfterRun(labSessionId, runId);
    if (version === null) throw new NotFoundException('Command not found in this lab session.');
    await this.store.current(labSessionId);
    const home =
      (await this.store.snapshotAt(labSessionId, version)) ??
      parseStored(await this.store.current(labSessionId));
    const texts = new Map(home.entries.map((entry) => [entry.p, entry.t]));
    return {
      runId,
      version,
      entries: listingOf(home).map((entry) =>
        entry.kind === 'file' ? { ...entry, text: texts.get(entry.path) ?? '' } : entry,
      ),
    };
  }
}

function parseStored(stored: { snapshot: string; version: number }): HomeSnapshot {
  return { ...parseSnapshot(stored.snapshot), version: stored.version };
}

/**
 * A path from a request, as a key of the home: relative to `~` (a leading `~/` or `/home/student/`
 * is accepted), without `..`, NUL or an empty name. Throws 400 with the reason.
 */
export function homePath(raw: string): string {
  if (raw.includes('\0')) throw new BadRequestException('file names cannot contain NUL characters');
  const relative = raw.replace(/^(~|\/home\/student)(\/|$)/, '');
  const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new BadRequestException('a path in the home cannot contain ".."');
  if (relative.startsWith('/'))
    throw new BadRequestException('the path must be inside the home (/home/student)');
  if (parts.length === 0) throw new BadRequestException('the path must name a file or folder in the home');
  return parts.join('/');
}

function fileText(home: HomeDirectory, path: string): string {
  try {
    return home.readFile(path);
  } catch (error) {
    throw httpErrorOf(error, path);
  }
}

/** A change made on a copy of the stored home: the copy's engine checks apply, and limits hold whole. */
function edit(
  stored: HomeSnapshot,
  change: (home: HomeDirectory) => void,
): { write: HomeWrite | null; version: number } {
  const home = HomeDirectory.restore(stored, () => Date.now());
  try {
    change(home);
  } catch (error) {
    throw httpErrorOf(error);
  }
  const next = home.snapshot();
  const write = writeOf(stored, next);
  return { write, version: write ? next.version : stored.version };
}

function writeWhole(home: HomeDirectory, path: string, text: string): void {
  const changes = new Map<string, HomeEntry | undefined>();
  const parts = path.split('/');
  const now = home.mtimeNow();
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    const entry = home.stat(dir);
    if (entry?.kind === 'file') throw new HomeError('ENOTDIR', `${dir}: Not a directory`);
    if (!entry) changes.set(dir, { kind: 'dir', mtime: now });
  }
  if (home.stat(path)?.kind === 'dir') throw new HomeError('EISDIR', `${path}: Is a directory`);
  changes.set(path, { kind: 'file', text, mtime: now });
  home.commit(changes);
}

function removeEntry(home: HomeDirectory, path: string, recursive: boolean): void {
  const entry = home.stat(path);
  if (!entry) throw new HomeError('ENOENT', `${path}: No such file or directory`);
  const inside = entry.kind === 'dir' ? home.descendants(path) : [];
  if (inside.length > 0 && !recursive)
    throw new HomeError(
      'ENOTEMPTY',
      `${path}: Directory not empty (remove it with everything in it: recursive=1)`,
    );
  home.commit(new Map([path, ...inside].map((key) => [key, undefined])));
}

function conflictOf(version: number, now: HomeEntry | undefined): HomeConflict {
  return {
    statusCode: 409,
    message: 'the file changed since you opened it (saved elsewhere, or written by a command)',
    version,
    text: now?.kind === 'file' ? now.text : null,
  };
}

/** An engine refusal as the HTTP answer: limits 413, a missing entry 404, a non-empty folder 409, else 400. */
function httpErrorOf(error: unknown, path?: string): HttpException {
  if (!(error instanceof HomeError)) throw error;
  const message = path && !error.message.includes(path) ? `${path}: ${error.message}` : error.message;
  switch (error.code) {
    case 'LIMIT':
      return new HttpException({ statusCode: 413, message }, HttpStatus.PAYLOAD_TOO_LARGE);
    case 'ENOENT':
      return new NotFoundException(message);
    case 'ENOTEMPTY':
      return new ConflictException(message);
    default:
      return new BadRequestException(message);
  }
}
