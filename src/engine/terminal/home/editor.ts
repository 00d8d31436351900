/**
 * `vim FILE`, `vi FILE`, `nano FILE`: the lab has no full-screen editor in the terminal; the web page's editor pane
 * opens the file instead (the web client recognises these lines, see line-shape.ts editorTarget). Here the command
 * checks the path and says where the file opens.
 */
import { FileContext, reason } from './file-context';
import { locate } from './file-commands';
import { absolutePath, homeError } from './home-directory';

export function runEditor(ctx: FileContext, name: string, args: string[]): number {
  const files = args.filter((a) => !a.startsWith('-') && !a.startsWith('+'));
  if (files.length !== 1) {
    ctx.stderr(
      `${name}: name one file to edit, e.g. ${name} web.yaml: it opens in the editor pane of the lab page\n`,
    );
    return 1;
  }
  const [file] = files;
  try {
    const { key, entry } = locate(ctx, file);
    if (entry?.kind === 'dir') throw homeError('EISDIR');
    const shown = absolutePath(key).replace(/^\/home\/student/, '~');
    ctx.stdout(
      `${name}: ${shown} opens in the editor pane of the lab page (this terminal has no full-screen editor); save it there${entry ? '' : ' to create it'}\n`,
    );
    return 0;
  } catch (error) {
    ctx.stderr(`${name}: ${file}: ${reason(error)}\n`);
    return 1;
  }
}
