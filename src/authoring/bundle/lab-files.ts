/**
 * The limits every lab's files are held to, however they arrive (a save in the editor, an imported
 * bundle): a lab is a folder of text files, so a path is relative and stays inside the folder, a text
 * is UTF-8, and the whole lab fits in BUNDLE_MAX_BYTES. A lab that breaks one is refused with a
 * message naming the file; nothing is stored.
 */
import type { LabFileMap } from '../../shared/authoring-api';

/** The most a lab's files may hold together (UTF-8 bytes), and the most an uploaded bundle may be. */
export const BUNDLE_MAX_BYTES = 2 * 1024 * 1024;
/** A lab is a handful of YAML and Markdown files, plus starter files: hundreds would be a mistake. */
export const BUNDLE_MAX_FILES = 500;
export const PATH_MAX_LENGTH = 200;

const SAFE_PART = /^[A-Za-z0-9._@+-][A-Za-z0-9 ._@+-]*$/;

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

/** Why `path` cannot be a file of a lab, or undefined when it can. */
export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'a file needs a name';
  if (path.length > PATH_MAX_LENGTH)
    return `"${path.slice(0, 40)}…" is longer than ${PATH_MAX_LENGTH} characters`;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\'))
    return `"${path}" must be a relative path with "/" between folders`;
  const parts = path.split('/');
  if (parts.some((part) => part === '..')) return `"${path}" escapes the lab's folder ("..")`;
  if (parts.some((part) => part === '' || part === '.')) return `"${path}" has an empty or "." part`;
  if (parts.some((part) => !SAFE_PART.test(part)))
    return `"${path}" may use only letters, digits, spaces and . _ - @ + in its names`;
  return undefined;
}

/** UTF-8 size of all texts together. */
export function bundleBytes(files: LabFileMap): number {
  let total = 0;
  for (const [path, text] of Object.entries(files))
    total += Buffer.byteLength(path) + Buffer.byteLength(text);
  return total;
}

/** Throws BundleError with a clear message when `files` break a limit. */
export function checkLabFiles(files: LabFileMap): void {
  const paths = Object.keys(files);
  if (paths.length > BUNDLE_MAX_FILES)
    throw new BundleError(`A lab may have at most ${BUNDLE_MAX_FILES} files; this one has ${paths.length}.`);
  for (const path of paths) {
    const problem = pathProblem(path);
    if (problem) throw new BundleError(`Refused: ${problem}.`);
    if (typeof files[path] !== 'string') throw new BundleError(`Refused: "${path}" is not text.`);
    if (files[path].includes('\0'))
      throw new BundleError(`Refused: "${path}" is binary (it holds a NUL byte).`);
  }
  if (!('lab.yaml' in files))
    throw new BundleError('Refused: a lab needs a lab.yaml at the top of its folder.');
  const bytes = bundleBytes(files);
  if (bytes > BUNDLE_MAX_BYTES)
    throw new BundleError(
      `Refused: the lab's files hold ${formatMiB(bytes)}, more than the ${formatMiB(BUNDLE_MAX_BYTES)} a lab may.`,
    );
}

/** Decodes a file's bytes as UTF-8, refusing anything that is not valid UTF-8 text. */
export function decodeText(path: string, bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new BundleError(`Refused: "${path}" is not UTF-8 text.`);
  }
}

export function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}
