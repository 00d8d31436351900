/**
 * The student's home as the editor pane shows it: names made safe to display, the flat listing of the API turned
 * into a tree, and the `vim FILE` runs of the terminal recognised as "open this file here".
 */
import { editorTarget } from '../../../src/engine/terminal/line-shape';

export type { HomeEntryView as HomeEntry, HomeFile, HomeListing } from '@shared/http-api';
import type { HomeEntryView as HomeEntry } from '@shared/http-api';

/** Control characters and the bidirectional overrides that could disguise a name. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A name as the page shows it: every control or direction character written as a visible `\xHH`/`\uHHHH`. */
export function displayName(name: string): string {
  return name.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
      : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

export interface TreeNode {
  name: string;
  path: string;
  kind: 'file' | 'dir';
  size: number;
  children: TreeNode[];
}

/** The listing as nested folders, folders first, then by name. Folders only implied by a path are made up. */
export function buildTree(entries: readonly HomeEntry[]): TreeNode[] {
  const root: TreeNode = { name: '', path: '', kind: 'dir', size: 0, children: [] };
  const dirs = new Map<string, TreeNode>([['', root]]);
  const dirFor = (path: string): TreeNode => {
    const found = dirs.get(path);
    if (found) return found;
    const cut = path.lastIndexOf('/');
    const parent = dirFor(cut < 0 ? '' : path.slice(0, cut));
    const node: TreeNode = { name: path.slice(cut + 1), path, kind: 'dir', size: 0, children: [] };
    parent.children.push(node);
    dirs.set(path, node);
    return node;
  };
  for (const entry of entries) {
    const path = entry.path.replace(/^\/+|\/+$/g, '');
    if (!path) continue;
    if (entry.kind === 'dir') {
      dirFor(path);
      continue;
    }
    const cut = path.lastIndexOf('/');
    dirFor(cut < 0 ? '' : path.slice(0, cut)).children.push({
      name: path.slice(cut + 1),
      path,
      kind: 'file',
      size: entry.size,
      children: [],
    });
  }
  const sort = (node: TreeNode) => {
    node.children.sort((a, b) =>
      a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind === 'dir' ? -1 : 1,
    );
    node.children.forEach(sort);
  };
  sort(root);
  return root.children;
}

const OPENS = ' opens in the editor pane of the lab page';

/**
 * The home path a finished `vim FILE` / `vi FILE` / `nano FILE` run asks the page to open: the terminal checked the
 * file and printed where it is (`vim: ~/app/web.yaml opens in the editor pane …`), so a name relative to the
 * terminal's folder arrives resolved. Undefined for any other run, a failed one, or a file outside the home.
 */
export function editorRequest(command: string, output: string, exitCode: number): string | undefined {
  if (exitCode !== 0 || editorTarget(command) === undefined) return undefined;
  const line = output.split('\n').find((l) => /^(vim|vi|nano): /.test(l) && l.includes(OPENS));
  if (!line) return undefined;
  const shown = line.slice(line.indexOf(': ') + 2, line.lastIndexOf(OPENS));
  if (!shown.startsWith('~/') || shown.length <= 2) return undefined;
  return shown.slice(2);
}
