/**
 * `kubectl cp` between the student's home and a container, one file at a time. kubectl v1.30 runs tar in the
 * container (`tar cf - FILE` with tar's stderr on kubectl's stdout, `tar -xmf - -C DIR`); the lab reads and writes
 * the container's files directly and prints what that tar and kubectl print: `tar: Removing leading `/' from member
 * names`, tar's Cannot stat / Cannot open lines, `command terminated with exit code 2`, kubectl's own errors
 * (`source and destination are required`, `X doesn't exist in local filesystem`, `open X: is a directory`).
 */
import { isStatusError } from '../../api/status-error';
import { HomeEntry, HomeError } from '../../terminal/home/home-directory';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, KubectlContext } from '../context';

interface FileSpec {
  namespace?: string;
  pod?: string;
  file: string;
}

/** kubectl's extractFileSpec: `[[namespace/]pod:]file/path`. */
function fileSpec(arg: string): FileSpec {
  const colon = arg.indexOf(':');
  const bad = 'filespec must match the canonical format: [[namespace/]pod:]file/path';
  if (colon === 0) throw new CommandError(bad);
  if (colon < 0) return { file: arg };
  const pieces = arg.slice(0, colon).split('/');
  if (pieces.length > 2) throw new CommandError(bad);
  const file = arg.slice(colon + 1);
  return pieces.length === 1 ? { pod: pieces[0], file } : { namespace: pieces[0], pod: pieces[1], file };
}

const TAR_FAILED = 'tar: Exiting with failure status due to previous errors\n';

export const cpCommand: CommandDef = {
  path: ['cp'],
  short: 'Copy files and directories to and from containers',
  usage: 'kubectl cp <file-spec-src> <file-spec-dest> [options]',
  flags: [
    flag.string(
      'container',
      'c',
      '',
      'Container name. If omitted, the first container in the pod will be chosen',
    ),
    flag.bool(
      'no-preserve',
      undefined,
      false,
      "The copied file/directory's ownership and permissions will not be preserved in the container",
    ),
    flag.int('retries', undefined, 0, 'Set number of retries to complete a copy operation from a container.'),
  ],
  run(ctx, args) {
    if (args.positional.length !== 2) throw new CommandError('source and destination are required');
    const [src, dest] = args.positional.map(fileSpec);
    if (src.pod && dest.pod) throw new CommandError('one of src or dest must be a local file specification');
    if (src.file === '' || dest.file === '') throw new CommandError('filepath can not be empty');
    if (!src.pod && !dest.pod)
      throw new CommandError('one of src or dest must be a remote file specification');
    const container = (args.flags.container as string) || undefined;
    if (src.pod)
      return copyFromPod(ctx, src.namespace ?? namespaceFlag(args), src.pod, container, src.file, dest.file);
    return copyToPod(
      ctx,
      dest.namespace ?? namespaceFlag(args),
      dest.pod as string,
      container,
      src.file,
      dest.file,
    );
  },
};

/** What the container holds at `path` (read with its own cat): a file's text, a folder, or nothing. */
function remote(
  ctx: KubectlContext,
  namespace: string,
  pod: string,
  container: string | undefined,
  path: string,
): { kind: 'file'; text: string } | { kind: 'dir' } | undefined {
  let result;
  try {
    result = ctx.cluster.runtime.exec(namespace, pod, container, ['cat', path]);
  } catch (error) {
    // The exec stream cannot start (container not running, not valid): kubectl's plain error line.
    if (isStatusError(error, 'BadRequest')) throw new CommandError(error.status.message);
    throw error;
  }
  if (result.exitCode === 0) return { kind: 'file', text: result.stdout };
  return /Is a directory/.test(result.stderr) ? { kind: 'dir' } : undefined;
}

function copyFromPod(
  ctx: KubectlContext,
  namespace: string,
  pod: string,
  container: string | undefined,
  file: string,
  dest: string,
): number {
  const found = remote(ctx, namespace, pod, container, file);
  // GNU tar names absolute members without their leading slash, and says so once.
  const leading = file.startsWith('/') ? "tar: Removing leading `/' from member names\n" : '';
  if (!found) {
    ctx.stdout(`${leading}tar: ${file}: Cannot stat: No such file or directory\n${TAR_FAILED}`);
    throw new CommandError('command terminated with exit code 2');
  }
  if (found.kind === 'dir')
    throw new CommandError(
      `copying the folder ${file} out of a container is not available in this lab terminal; copy its files one at a time`,
    );
  ctx.stdout(leading);
  try {
    const key = ctx.files.key(dest);
    const entry = ctx.files.home.stat(key);
    // kubectl creates the file at the destination path itself, so a folder there cannot be opened as a file.
    if (entry?.kind === 'dir') throw new CommandError(`open ${dest}: is a directory`);
    // os.MkdirAll: the missing parents are created with the file.
    const mtime = ctx.files.home.mtimeNow();
    const parts = key.split('/');
    const changes = new Map<string, HomeEntry>();
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const existing = ctx.files.home.stat(dir);
      if (existing?.kind === 'file') throw new CommandError(`mkdir ${dir}: not a directory`);
      if (!existing) changes.set(dir, { kind: 'dir', mtime });
    }
    changes.set(key, { kind: 'file', text: found.text, mtime });
    ctx.files.home.commit(changes);
  } catch (error) {
    if (error instanceof HomeError) throw new CommandError(`open ${dest}: ${error.message}`);
    throw error;
  }
  return 0;
}

function copyToPod(
  ctx: KubectlContext,
  namespace: string,
  pod: string,
  container: string | undefined,
  file: string,
  dest: string,
): number {
  let text: string;
  try {
    const { entry } = ctx.files.locate(file);
    if (!entry) throw new CommandError(`${file} doesn't exist in local filesystem`);
    if (entry.kind === 'dir')
      throw new CommandError(
        `copying the folder ${file} into a container is not available in this lab terminal; copy its files one at a time`,
      );
    text = entry.text;
  } catch (error) {
    if (error instanceof HomeError) throw new CommandError(`${file} doesn't exist in local filesystem`);
    throw error;
  }
  // checkDestinationIsDir: into an existing folder the file keeps its name.
  const target =
    remote(ctx, namespace, pod, container, dest)?.kind === 'dir'
      ? `${dest.replace(/\/+$/, '')}/${file.replace(/\/+$/, '').split('/').pop()}`
      : dest;
  const dir = target.includes('/') ? target.slice(0, target.lastIndexOf('/')) || '/' : '.';
  if (dir !== '.' && remote(ctx, namespace, pod, container, dir)?.kind !== 'dir') {
    ctx.stderr(
      `tar: ${dir}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n`,
    );
    throw new CommandError('command terminated with exit code 2');
  }
  const path = target.startsWith('/') ? target : `/${target}`;
  if (ctx.cluster.runtime.writeFile(namespace, pod, container, path, text) === 'read-only') {
    ctx.stderr(`tar: ${path.split('/').pop()}: Cannot open: Read-only file system\n${TAR_FAILED}`);
    throw new CommandError('command terminated with exit code 2');
  }
  return 0;
}
