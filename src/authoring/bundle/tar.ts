/**
 * The small part of the tar format lab bundles need, written here rather than taken from a package
 * (none is a dependency of the project): POSIX ustar headers, plain files only, read and written in
 * memory. Reading is strict because a bundle comes from anyone: symbolic and hard links, devices,
 * absolute paths and `..` are refused with the entry named, and the gzip stream may not unpack to more
 * than a bound (a "zip bomb" is refused, not unpacked). pax and GNU long names are understood, since
 * GNU tar and bsdtar write them for long paths.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { BundleError } from './lab-files';

const BLOCK = 512;

export interface TarEntry {
  path: string;
  data: Buffer;
}

export interface ReadTarOptions {
  /** Most bytes the gzip stream may unpack to. */
  maxUnpackedBytes: number;
  /** Most entries (files and folders) the archive may hold. */
  maxEntries: number;
}

/** Unpacks a .tar.gz; throws BundleError when it is not one or breaks a rule. */
export function readTarGz(archive: Buffer, options: ReadTarOptions): TarEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: options.maxUnpackedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      throw new BundleError(`Refused: the bundle unpacks to more than ${options.maxUnpackedBytes} bytes.`);
    throw new BundleError('Refused: the bundle is not a gzip-compressed file (.tar.gz).');
  }
  return readTar(tar, options.maxEntries);
}

/** The files of an uncompressed tar archive, in archive order (folders are implied, not returned). */
export function readTar(tar: Buffer, maxEntries = Number.MAX_SAFE_INTEGER): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let count = 0;
  // Names from a pax extended header or a GNU long-name entry apply to the next entry.
  let nextPath: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return entries;
    verifyChecksum(header, offset);
    const size = readOctal(header, 124, 12, 'size');
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length)
      throw new BundleError('Refused: the bundle is cut short (an entry runs past its end).');
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (++count > maxEntries)
      throw new BundleError(`Refused: the bundle holds more than ${maxEntries} entries.`);

    if (type === 'x') {
      nextPath = paxPath(data) ?? nextPath;
      continue;
    }
    if (type === 'g') continue; // global pax header: attributes for all entries, no names
    if (type === 'L') {
      nextPath = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    const path = nextPath ?? headerPath(header);
    nextPath = undefined;
    checkEntryPath(path);
    if (type === '2')
      throw new BundleError(`Refused: "${path}" is a symbolic link; a bundle holds only files.`);
    if (type === '1') throw new BundleError(`Refused: "${path}" is a hard link; a bundle holds only files.`);
    if (type === '5') continue;
    if (type !== '0' && type !== '7')
      throw new BundleError(
        `Refused: "${path}" is a special file (type ${type}); a bundle holds only files.`,
      );
    entries.push({ path, data: Buffer.from(data) });
  }
  throw new BundleError('Refused: the bundle is cut short (no end-of-archive marker).');
}

/** A .tar.gz of `entries` (files with mode 0644, folders implied), with a fixed time so equal labs pack equally. */
export function writeTarGz(entries: TarEntry[], mtime = new Date(0)): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    checkEntryPath(entry.path);
    blocks.push(fileHeader(entry.path, entry.data.length, mtime));
    blocks.push(entry.data);
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (padding) blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(blocks));
}

/** Absolute paths and `..` would write outside the folder a bundle is unpacked into. */
function checkEntryPath(path: string): void {
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path))
    throw new BundleError(`Refused: "${path}" is an absolute path; a bundle's paths stay inside its folder.`);
  if (path.split(/[\\/]/).includes('..'))
    throw new BundleError(`Refused: "${path}" escapes the bundle's folder ("..").`);
}

function headerPath(header: Buffer): string {
  const name = cString(header, 0, 100);
  const magic = header.subarray(257, 262).toString('latin1');
  const prefix = magic === 'ustar' ? cString(header, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** The `path` record of a pax extended header: lines of `<length> <key>=<value>\n`. */
function paxPath(data: Buffer): string | undefined {
  let offset = 0;
  let found: string | undefined;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = Number(data.subarray(offset, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0) throw new BundleError('Refused: a damaged pax header.');
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (record.slice(0, equals) === 'path') found = record.slice(equals + 1);
    offset += length;
  }
  return found;
}

function verifyChecksum(header: Buffer, offset: number): void {
  const stored = readOctal(header, 148, 8, 'checksum');
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 0x20 : header[index];
  if (sum !== stored)
    throw new BundleError(
      `Refused: the bundle is not a tar archive (bad header checksum at byte ${offset}).`,
    );
}

function readOctal(header: Buffer, start: number, length: number, field: string): number {
  const text = cString(header, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text))
    throw new BundleError(`Refused: the bundle is not a tar archive (bad ${field}).`);
  return parseInt(text, 8);
}

function cString(buffer: Buffer, start: number, length: number): string {
  const field = buffer.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

function fileHeader(path: string, size: number, mtime: Date): Buffer {
  const header = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(path);
  header.write(name, 0, 100, 'utf8');
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 0);
  writeOctal(header, 116, 8, 0);
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, Math.floor(mtime.getTime() / 1000));
  header[156] = 0x30; // '0': a regular file
  header.write('ustar\0', 257, 6, 'latin1');
  header.write('00', 263, 2, 'latin1');
  header.write(prefix, 345, 155, 'utf8');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return header;
}

/** ustar names hold 100 bytes, with up to 155 more as a prefix split at a "/". */
function splitName(path: string): [prefix: string, name: string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let index = path.indexOf('/'); index >= 0; index = path.indexOf('/', index + 1)) {
    const prefix = path.slice(0, index);
    const name = path.slice(index + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name];
  }
  throw new BundleError(`"${path}" is too long for a bundle.`);
}

function writeOctal(header: Buffer, start: number, length: number, value: number): void {
  header.write(value.toString(8).padStart(length - 1, '0') + '\0', start, length, 'latin1');
}
