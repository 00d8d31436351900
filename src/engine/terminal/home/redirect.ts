/**
 * `> FILE` and `>> FILE`: a line's output written into a file of the home. As in bash the file is opened before the
 * command runs (`>` creates or empties it, `>>` creates it), and a target that cannot be opened stops the line with
 * `bash: FILE: reason`. The output is kept and written in one change when the command ends, so a file that would
 * break a limit is refused whole (left as it was opened) rather than half-written.
 */
import { RejectedLine } from '../pipeline';
import type { Redirect } from '../tokenizer';
import { literalText } from '../tokenizer';
import { FileContext, isOutside, reason } from './file-context';
import { homeError } from './home-directory';

export interface Redirection {
  target: string;
  /** What the command printed so far. */
  text: string;
}

/** The line checker's part: one redirection, after the last command, to a file inside the home. */
export function validateRedirects(ctx: FileContext, stages: number, redirects: readonly Redirect[]): void {
  if (redirects.length > 1)
    throw new RejectedLine(
      'only one redirection per line is available in this lab terminal (> FILE or >> FILE at the end)',
      2,
    );
  const [redirect] = redirects;
  if (!redirect) return;
  if (redirect.stage !== stages - 1)
    throw new RejectedLine(
      "a redirection before a pipe is not available in this lab terminal: put '> FILE' after the last command",
      2,
    );
  const target = literalText(redirect.target);
  if (target === undefined) return;
  try {
    ctx.home.resolve(target, ctx.cwd);
  } catch (error) {
    if (isOutside(error)) throw new RejectedLine(`bash: ${target}: ${reason(error)}`, 1);
    throw error;
  }
}

/** Opens the target as bash does before running the command; undefined (after printing why) when it cannot. */
export function openRedirect(ctx: FileContext, target: string, append: boolean): Redirection | undefined {
  try {
    if (target === '') throw homeError('ENOENT');
    const { key, dirOnly } = ctx.home.resolve(target, ctx.cwd);
    ctx.home.checkParents(key);
    const entry = ctx.home.stat(key);
    if (entry?.kind === 'dir' || dirOnly) throw homeError('EISDIR');
    if (!entry || !append) ctx.home.writeFile(target, '', { cwd: ctx.cwd });
    return { target, text: '' };
  } catch (error) {
    ctx.stderr(`bash: ${target}: ${reason(error)}\n`);
    return undefined;
  }
}

/** Writes what the command printed; false (after printing why) when a limit refuses it. */
export function writeRedirect(ctx: FileContext, redirection: Redirection): boolean {
  if (redirection.text === '') return true;
  try {
    ctx.home.writeFile(redirection.target, redirection.text, { cwd: ctx.cwd, append: true });
    return true;
  } catch (error) {
    ctx.stderr(`bash: ${redirection.target}: ${reason(error)}\n`);
    return false;
  }
}
