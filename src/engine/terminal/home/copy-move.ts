/**
 * `mv SOURCE DEST`, `mv SOURCE... DIR`, `cp [-r] SOURCE DEST`, `cp [-r] SOURCE... DIR` over the home, with GNU
 * coreutils' messages. A folder is copied or moved with everything in it in one commit, so a limit refuses it whole
 * (real cp may leave a partial copy; here nothing is half-written).
 */
import { FileContext, parseOptions, reason, usage } from './file-context';
import { locate } from './file-commands';
import { baseName, HomeEntry, HomeError, homeError, joinKey } from './home-directory';

type Verb = 'mv' | 'cp';

export function runMv(ctx: FileContext, args: string[]): number {
  const parsed = parseOptions(args, { f: 'force', force: 'force' });
  if ('error' in parsed) return usage(ctx, 'mv', parsed.error);
  return transfer(ctx, 'mv', parsed.operands, true);
}

export function runCp(ctx: FileContext, args: string[]): number {
  const parsed = parseOptions(args, { r: 'recursive', R: 'recursive', recursive: 'recursive', f: 'force' });
  if ('error' in parsed) return usage(ctx, 'cp', parsed.error);
  return transfer(ctx, 'cp', parsed.operands, parsed.flags.has('recursive'));
}

function transfer(ctx: FileContext, verb: Verb, operands: string[], recursive: boolean): number {
  if (operands.length === 0) return usage(ctx, verb, 'missing file operand');
  if (operands.length === 1)
    return usage(ctx, verb, `missing destination file operand after '${operands[0]}'`);
  const sources = operands.slice(0, -1);
  const dest = operands[operands.length - 1];
  // One source may go to a path that does not resolve: the copy itself reports it, after checking the source.
  let target: ReturnType<typeof locate> | undefined;
  try {
    target = locate(ctx, dest);
  } catch (error) {
    if (sources.length > 1) {
      ctx.stderr(`${verb}: target '${dest}': ${reason(error)}\n`);
      return 1;
    }
  }
  const intoDir = target?.entry?.kind === 'dir';
  if (sources.length > 1 && !intoDir) {
    ctx.stderr(
      target?.entry
        ? `${verb}: target '${dest}': Not a directory\n`
        : `${verb}: target '${dest}': No such file or directory\n`,
    );
    return 1;
  }
  let code = 0;
  for (const source of sources) {
    const destPath = intoDir ? `${dest.replace(/\/+$/, '')}/${baseName(source.replace(/\/+$/, ''))}` : dest;
    try {
      one(ctx, verb, source, destPath, recursive);
    } catch (error) {
      code = report(ctx, verb, source, destPath, error);
    }
  }
  return code;
}

/** A message coreutils prints itself (the whole line after `verb: `). */
class Refusal extends Error {}

function report(ctx: FileContext, verb: Verb, source: string, dest: string, error: unknown): number {
  if (error instanceof Refusal) ctx.stderr(`${verb}: ${error.message}\n`);
  else if (error instanceof HomeError && error.code === 'LIMIT')
    ctx.stderr(
      `${verb}: cannot ${verb === 'mv' ? 'move' : 'copy'} '${source}' to '${dest}': ${error.message}\n`,
    );
  else ctx.stderr(`${verb}: ${describe(verb, source, dest, error)}\n`);
  return 1;
}

function describe(verb: Verb, source: string, dest: string, error: unknown): string {
  const text = reason(error);
  if (error instanceof SourceError) return `cannot stat '${source}': ${text}`;
  return verb === 'mv'
    ? `cannot move '${source}' to '${dest}': ${text}`
    : `cannot create regular file '${dest}': ${text}`;
}

/** The source operand could not be found (`cannot stat`). */
class SourceError extends HomeError {}

function one(ctx: FileContext, verb: Verb, source: string, dest: string, recursive: boolean): void {
  let from: ReturnType<typeof locate>;
  try {
    from = locate(ctx, source);
    if (!from.entry) throw homeError('ENOENT');
  } catch (error) {
    if (error instanceof HomeError) throw new SourceError(error.code, error.message);
    throw error;
  }
  const entry = from.entry;
  if (entry.kind === 'dir' && !recursive)
    throw new Refusal(`-r not specified; omitting directory '${source}'`);
  const to = locate(ctx, dest);
  if (to.key === from.key) throw new Refusal(`'${source}' and '${dest}' are the same file`);
  if (entry.kind === 'dir' && (to.key + '/').startsWith(from.key === '' ? '' : `${from.key}/`))
    throw new Refusal(
      verb === 'mv'
        ? `cannot move '${source}' to a subdirectory of itself, '${dest}'`
        : `cannot copy a directory, '${source}', into itself, '${dest}'`,
    );
  if (from.key === '') throw new Refusal(`cannot move '${source}' to '${dest}': Permission denied`);
  if (to.entry?.kind === 'file' && entry.kind === 'dir')
    throw new Refusal(`cannot overwrite non-directory '${dest}' with directory '${source}'`);
  if (to.entry?.kind === 'dir' && entry.kind === 'file')
    throw new Refusal(`cannot overwrite directory '${dest}' with non-directory`);
  if (to.entry?.kind === 'dir' && verb === 'mv' && ctx.home.list(to.key).length > 0)
    throw homeError('ENOTEMPTY');
  if (!to.entry && to.dirOnly && entry.kind === 'file') throw homeError('ENOTDIR');

  const changes = new Map<string, HomeEntry | undefined>();
  const mtime = ctx.home.mtimeNow();
  // cp gives the copies a new time; mv keeps the entries as they are.
  const copy = (e: HomeEntry): HomeEntry => (verb === 'mv' ? e : { ...e, mtime });
  const inside = entry.kind === 'dir' ? ctx.home.descendants(from.key) : [];
  if (verb === 'mv') for (const key of [from.key, ...inside]) changes.set(key, undefined);
  // Copying a folder onto an existing one merges into it, as cp -r does.
  if (!(verb === 'cp' && to.entry?.kind === 'dir')) changes.set(to.key, copy(entry));
  for (const key of inside)
    changes.set(joinKey(to.key, key.slice(from.key.length + 1)), copy(ctx.home.stat(key) as HomeEntry));
  ctx.home.commit(changes);
}
