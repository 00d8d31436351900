import { HOME_LIMITS, HomeDirectory, HomeError } from './home-directory';

const T0 = Date.UTC(2024, 5, 3, 2, 15, 0);

function home(files: Record<string, string> = {}): { home: HomeDirectory; tick: (ms: number) => void } {
  let now = T0;
  return { home: new HomeDirectory(() => now, files), tick: (ms) => (now += ms) };
}

function failure(action: () => unknown): { code: string; message: string } | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof HomeError) return { code: error.code, message: error.message };
    throw error;
  }
}

const OUTSIDE = {
  code: 'OUTSIDE',
  message: 'outside the home directory: files in this lab terminal live in /home/student',
};

describe('HomeDirectory paths', () => {
  it('resolves ~, absolute, relative, . and .. paths inside /home/student', () => {
    const { home: h } = home();
    expect(h.resolve('web.yaml')).toEqual({ key: 'web.yaml', dirOnly: false });
    expect(h.resolve('./a/../web.yaml')).toEqual({ key: 'web.yaml', dirOnly: false });
    expect(h.resolve('~/k8s/web.yaml')).toEqual({ key: 'k8s/web.yaml', dirOnly: false });
    expect(h.resolve('/home/student/k8s/')).toEqual({ key: 'k8s', dirOnly: true });
    expect(h.resolve('..', 'k8s/deep')).toEqual({ key: 'k8s', dirOnly: true });
    expect(h.resolve('~')).toEqual({ key: '', dirOnly: false });
    expect(h.resolve('/home/student/../student/x')).toEqual({ key: 'x', dirOnly: false });
  });

  it.each([
    '../../etc/passwd',
    '..',
    '/etc/passwd',
    '/home/other/x',
    '/home',
    '/',
    '/home/studentx/a',
    '~/../x',
  ])('%s is outside the home', (path) => {
    expect(failure(() => home().home.resolve(path))).toEqual(OUTSIDE);
  });

  it('refuses NUL in a name', () => {
    expect(failure(() => home().home.resolve('a\u0000b'))).toEqual({
      code: 'OUTSIDE',
      message: 'file names cannot contain NUL characters',
    });
  });
});

describe('HomeDirectory limits: a change over a limit is refused whole', () => {
  it('holds a file of 256 KiB, not one byte more', () => {
    const { home: h } = home();
    h.writeFile('big', 'x'.repeat(HOME_LIMITS.fileBytes));
    expect(failure(() => h.writeFile('big', 'y', { append: true }))).toEqual({
      code: 'LIMIT',
      message: 'file too large: a file in this lab terminal holds at most 256 KiB (this would be 257 KiB)',
    });
    expect(h.readFile('big')).toBe('x'.repeat(HOME_LIMITS.fileBytes));
    // Sizes are UTF-8 bytes: 'é' is two.
    expect(failure(() => h.writeFile('utf8', 'é'.repeat(HOME_LIMITS.fileBytes / 2 + 1)))?.code).toBe('LIMIT');
    expect(h.stat('utf8')).toBeUndefined();
  });

  it('holds 2 MiB of files in all', () => {
    const { home: h } = home();
    for (let i = 0; i < 8; i++) h.writeFile(`f${i}`, 'x'.repeat(HOME_LIMITS.fileBytes));
    expect(h.usage()).toEqual({ bytes: 2 * 1024 * 1024, entries: 8 });
    expect(failure(() => h.writeFile('one-more', 'x'))).toEqual({
      code: 'LIMIT',
      message:
        'home directory full: it holds at most 2 MiB of files (this would be 2049 KiB); remove files with rm',
    });
    expect(h.stat('one-more')).toBeUndefined();
  });

  it('holds 200 files and folders', () => {
    const { home: h } = home();
    for (let i = 0; i < HOME_LIMITS.entries; i++) h.writeFile(`f${i}`, '');
    const version = h.version;
    expect(failure(() => h.writeFile('f200', ''))).toEqual({
      code: 'LIMIT',
      message: 'home directory full: it holds at most 200 files and folders; remove some with rm',
    });
    expect(h.version).toBe(version);
    expect(h.list('')).toHaveLength(200);
  });

  it('refuses writes below a missing folder, into a folder or through a file', () => {
    const { home: h } = home({ f: 'x\n', 'd/in': '' });
    expect(failure(() => h.writeFile('nope/x', ''))).toEqual({
      code: 'ENOENT',
      message: 'No such file or directory',
    });
    expect(failure(() => h.writeFile('d', ''))).toEqual({ code: 'EISDIR', message: 'Is a directory' });
    expect(failure(() => h.writeFile('f/x', ''))).toEqual({ code: 'ENOTDIR', message: 'Not a directory' });
    expect(failure(() => h.readFile('d'))).toEqual({ code: 'EISDIR', message: 'Is a directory' });
  });
});

describe('HomeDirectory snapshot', () => {
  it('round-trips files, folders, times and the version; the version counts changes', () => {
    const { home: h, tick } = home({ 'deployment.yaml': 'kind: Deployment\n' });
    expect(h.version).toBe(0);
    tick(60_000);
    h.commit(new Map([['k8s', { kind: 'dir', mtime: T0 + 60_000 }]]));
    h.writeFile('k8s/web.yaml', 'kind: Pod\n');
    expect(h.version).toBe(2);
    const snapshot = h.snapshot();
    expect(snapshot).toEqual({
      v: 1,
      version: 2,
      entries: [
        { p: 'deployment.yaml', t: 'kind: Deployment\n', m: T0 },
        { p: 'k8s', m: T0 + 60_000 },
        { p: 'k8s/web.yaml', t: 'kind: Pod\n', m: T0 + 60_000 },
      ],
    });
    const restored = HomeDirectory.restore(JSON.parse(JSON.stringify(snapshot)));
    expect(restored.snapshot()).toEqual(snapshot);
    expect(restored.readFile('~/k8s/web.yaml')).toBe('kind: Pod\n');
  });

  it('takes a stored snapshot in place, keeping the object the terminal holds', () => {
    const { home: h } = home({ 'old.yaml': 'old\n' });
    const stored = home({ 'k8s/web.yaml': 'kind: Pod\n' }).home;
    stored.writeFile('notes.txt', 'x\n');
    h.replaceWith(stored.snapshot());
    expect(h.list('')).toEqual(['k8s', 'notes.txt']);
    expect(h.version).toBe(1);
    expect(h.snapshot()).toEqual(stored.snapshot());
  });

  it('restores nothing from a snapshot it does not know, and skips entries outside the home', () => {
    expect(HomeDirectory.restore({ v: 2 } as never).list('')).toEqual([]);
    const restored = HomeDirectory.restore({
      v: 1,
      version: 5,
      entries: [
        { p: '../../etc/passwd', t: 'root', m: 0 },
        { p: 'ok', t: '1', m: 0 },
      ],
    });
    expect(restored.list('')).toEqual(['ok']);
    expect(restored.version).toBe(5);
  });
});
