import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BundleError } from './lab-files';
import { readTar, readTarGz, writeTarGz } from './tar';

const LIMITS = { maxUnpackedBytes: 4 * 1024 * 1024, maxEntries: 100 };

/** GNU tar is the reference: what it writes we must read, and what we write it must read. */
function gnuTar(args: string[], cwd: string): Buffer {
  return execFileSync('tar', args, { cwd });
}

describe('tar bundles', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tar-spec-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes archives GNU tar extracts byte for byte, long and non-ASCII paths included', () => {
    const longPath = `lab/steps/${'a'.repeat(60)}/${'b'.repeat(70)}.md`;
    const entries = [
      { path: 'lab/lab.yaml', data: Buffer.from('id: lab\n') },
      { path: 'lab/steps/01-第一步.md', data: Buffer.from('<!-- lang: en -->\nHello 世界\n') },
      { path: longPath, data: Buffer.alloc(1500, 'x') },
      { path: 'lab/empty.md', data: Buffer.alloc(0) },
    ];
    writeFileSync(join(dir, 'out.tar.gz'), writeTarGz(entries));
    mkdirSync(join(dir, 'x'));
    gnuTar(['-xzf', '../out.tar.gz'], join(dir, 'x'));
    for (const entry of entries) expect(readFileSync(join(dir, 'x', entry.path))).toEqual(entry.data);
  });

  it('reads what GNU tar writes, folders and pax long names included, in archive order', () => {
    const long = 'c'.repeat(120);
    mkdirSync(join(dir, 'lab', 'steps', long), { recursive: true });
    writeFileSync(join(dir, 'lab', 'lab.yaml'), 'id: lab\n');
    writeFileSync(join(dir, 'lab', 'steps', long, 'x.md'), 'text');
    for (const format of ['gnu', 'pax', 'ustar']) {
      const archive = gnuTar(
        ['-czf', '-', `--format=${format}`, '--sort=name', 'lab/lab.yaml', `lab/steps/${long}/x.md`],
        dir,
      );
      const files = readTarGz(archive, LIMITS).map((entry) => [entry.path, entry.data.toString()]);
      expect(files).toEqual([
        ['lab/lab.yaml', 'id: lab\n'],
        [`lab/steps/${long}/x.md`, 'text'],
      ]);
    }
  });

  it('refuses symbolic links and hard links, naming them', () => {
    mkdirSync(join(dir, 'lab'));
    writeFileSync(join(dir, 'lab', 'lab.yaml'), 'id: lab\n');
    symlinkSync('/etc/passwd', join(dir, 'lab', 'passwd.md'));
    const withSymlink = gnuTar(['-czf', '-', 'lab'], dir);
    expect(() => readTarGz(withSymlink, LIMITS)).toThrow(
      new BundleError('Refused: "lab/passwd.md" is a symbolic link; a bundle holds only files.'),
    );
    rmSync(join(dir, 'lab', 'passwd.md'));
    execFileSync('ln', [join(dir, 'lab', 'lab.yaml'), join(dir, 'lab', 'again.yaml')]);
    const withHardLink = gnuTar(['-czf', '-', '--sort=name', 'lab'], dir);
    expect(() => readTarGz(withHardLink, LIMITS)).toThrow(/is a hard link; a bundle holds only files/);
  });

  it('refuses absolute paths and paths that climb out with ..', () => {
    writeFileSync(join(dir, 'x.md'), 'x');
    const absolute = gnuTar(['-czf', '-', '--absolute-names', join(dir, 'x.md')], dir);
    expect(() => readTarGz(absolute, LIMITS)).toThrow(/is an absolute path/);
    const climbing = gnuTar(['-czf', '-', '--transform', 's,^,lab/../../,', 'x.md'], dir);
    expect(() => readTarGz(climbing, LIMITS)).toThrow(
      'Refused: "lab/../../x.md" escapes the bundle\'s folder ("..").',
    );
  });

  it('refuses a gzip bomb without unpacking it', () => {
    // 64 MiB of zeros in one file compress to about 64 KiB.
    const bomb = writeTarGz([{ path: 'lab/big.md', data: Buffer.alloc(64 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(() => readTarGz(bomb, LIMITS)).toThrow(
      `Refused: the bundle unpacks to more than ${LIMITS.maxUnpackedBytes} bytes.`,
    );
  });

  it('refuses what is not a tar.gz, a damaged header and an archive cut short', () => {
    expect(() => readTarGz(Buffer.from('not gzip at all'), LIMITS)).toThrow(/not a gzip-compressed file/);
    expect(() => readTarGz(gzipSync(Buffer.alloc(1024, 'z')), LIMITS)).toThrow(
      'Refused: the bundle is not a tar archive (bad checksum).',
    );
    const tar = gunzipSync(writeTarGz([{ path: 'lab/lab.yaml', data: Buffer.alloc(2000, 'y') }]));
    expect(() => readTar(tar.subarray(0, 1024))).toThrow(/cut short/);
  });

  it('refuses an archive with more entries than allowed', () => {
    const entries = Array.from({ length: 5 }, (_, index) => ({
      path: `lab/${index}.md`,
      data: Buffer.from('x'),
    }));
    expect(() => readTarGz(writeTarGz(entries), { ...LIMITS, maxEntries: 4 })).toThrow(/more than 4 entries/);
  });
});
