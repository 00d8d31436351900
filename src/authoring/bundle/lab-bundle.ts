/**
 * A lab as a `.tar.gz` with the layout of labs/: one folder named after the lab id holding lab.yaml,
 * description.md, steps/ and the rest, so `tar -xzf` into labs/ installs it and git can keep it.
 */
import type { LabFileMap } from '../../shared/authoring-api';
import {
  BUNDLE_MAX_BYTES,
  BUNDLE_MAX_FILES,
  BundleError,
  checkLabFiles,
  decodeText,
  formatMiB,
} from './lab-files';
import { readTarGz, writeTarGz } from './tar';

/** Headers and padding cost at most two blocks per file on top of the texts. */
const MAX_UNPACKED_BYTES = BUNDLE_MAX_BYTES + BUNDLE_MAX_FILES * 1024 + 1024;

export function packLab(labId: string, files: LabFileMap): Buffer {
  const paths = Object.keys(files).sort();
  return writeTarGz(
    paths.map((path) => ({ path: `${labId}/${path}`, data: Buffer.from(files[path], 'utf8') })),
  );
}

export interface UnpackedLab {
  /** The bundle's folder name (the lab id by the labs/ layout), when all files are in one folder. */
  folder?: string;
  files: LabFileMap;
}

/** Reads a bundle, refusing anything the lab limits forbid (lab-files.ts). Throws BundleError. */
export function unpackLab(archive: Buffer): UnpackedLab {
  if (archive.length > BUNDLE_MAX_BYTES)
    throw new BundleError(
      `Refused: the bundle is ${formatMiB(archive.length)}, more than the ${formatMiB(BUNDLE_MAX_BYTES)} a lab may be.`,
    );
  const entries = readTarGz(archive, {
    maxUnpackedBytes: MAX_UNPACKED_BYTES,
    maxEntries: BUNDLE_MAX_FILES * 2,
  })
    .map((entry) => ({ ...entry, path: entry.path.replace(/^(\.\/)+/, '') }))
    .filter((entry) => entry.path !== '' && !entry.path.endsWith('/'));
  if (entries.length === 0) throw new BundleError('Refused: the bundle holds no files.');
  const firstParts = new Set(entries.map((entry) => entry.path.split('/')[0]));
  const inOneFolder = firstParts.size === 1 && entries.every((entry) => entry.path.includes('/'));
  const folder = inOneFolder ? [...firstParts][0] : undefined;
  const files: LabFileMap = {};
  for (const entry of entries) {
    const path = folder ? entry.path.slice(folder.length + 1) : entry.path;
    if (path in files) throw new BundleError(`Refused: "${path}" is in the bundle twice.`);
    files[path] = decodeText(path, entry.data);
  }
  checkLabFiles(files);
  return { folder, files };
}
