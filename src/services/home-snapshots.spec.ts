import type { HomeSnapshot } from '../engine';
import {
  applyChanges,
  diffSnapshots,
  isKeyframe,
  listingOf,
  parseSnapshot,
  rebuild,
  touches,
} from './home-snapshots';
import { homePath } from './home.service';

const home = (version: number, entries: HomeSnapshot['entries']): HomeSnapshot => ({
  v: 1,
  version,
  entries,
});

describe('home snapshots', () => {
  const before = home(3, [
    { p: 'a.yaml', t: 'a', m: 1 },
    { p: 'd', m: 1 },
    { p: 'd/x.txt', t: 'x', m: 1 },
  ]);
  const after = home(5, [
    { p: 'a.yaml', t: 'a2', m: 2 },
    { p: 'b.yaml', t: 'b', m: 2 },
  ]);

  it('records what changed, and applying it gives the later home', () => {
    const changes = diffSnapshots(before, after);
    expect(changes).toEqual({
      set: [
        { p: 'a.yaml', t: 'a2', m: 2 },
        { p: 'b.yaml', t: 'b', m: 2 },
      ],
      removed: ['d', 'd/x.txt'],
    });
    expect(applyChanges(before, changes, 5)).toEqual(after);
  });

  it('brings back the folder of a file written under one the other writer removed', () => {
    const merged = applyChanges(home(1, []), { set: [{ p: 'k/y.txt', t: 'y', m: 7 }], removed: [] }, 2);
    expect(merged.entries).toEqual([
      { p: 'k', m: 7 },
      { p: 'k/y.txt', t: 'y', m: 7 },
    ]);
  });

  it('rebuilds a version from the last whole revision and the changes after it', () => {
    const rows = [
      { version: 3, changes: '{}', snapshot: JSON.stringify(before) },
      { version: 5, changes: JSON.stringify(diffSnapshots(before, after)), snapshot: null },
    ];
    expect(rebuild(rows)).toEqual(after);
    expect(rebuild([{ version: 5, changes: '{}', snapshot: null }])).toBeNull();
  });

  it('tells which revisions touch a path (a folder removed touches what was in it)', () => {
    const changes = JSON.stringify(diffSnapshots(before, after));
    expect(['a.yaml', 'b.yaml', 'd/x.txt', 'd', 'c.yaml'].map((path) => touches(changes, path))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('stores a whole home on the first revision and on each 16th version crossed', () => {
    expect([
      isKeyframe(null, 0),
      isKeyframe(0, 1),
      isKeyframe(15, 16),
      isKeyframe(16, 17),
      isKeyframe(3, 40),
    ]).toEqual([true, false, true, false, true]);
  });

  it('lists entries for the API and reads damaged JSON as an empty home', () => {
    expect(listingOf(before)).toEqual([
      { path: 'a.yaml', kind: 'file', size: 1, mtime: '1970-01-01T00:00:00.001Z' },
      { path: 'd', kind: 'dir', size: 0, mtime: '1970-01-01T00:00:00.001Z' },
      { path: 'd/x.txt', kind: 'file', size: 1, mtime: '1970-01-01T00:00:00.001Z' },
    ]);
    expect(parseSnapshot('{not json')).toEqual({ v: 1, version: 0, entries: [] });
  });
});

describe('homePath: a request’s path as a key of the home', () => {
  it.each([
    ['web.yaml', 'web.yaml'],
    ['~/manifests/web.yaml', 'manifests/web.yaml'],
    ['/home/student/a/./b.yaml', 'a/b.yaml'],
    ['a//b/', 'a/b'],
  ])('%j is %j', (raw, key) => expect(homePath(raw)).toBe(key));

  it.each([
    ['../etc/passwd', 'a path in the home cannot contain ".."'],
    ['a/../../b', 'a path in the home cannot contain ".."'],
    ['/etc/passwd', 'the path must be inside the home (/home/student)'],
    ['a\0b', 'file names cannot contain NUL characters'],
    ['~', 'the path must name a file or folder in the home'],
  ])('refuses %j: %s', (raw, message) => expect(() => homePath(raw)).toThrow(message));
});
