/**
 * `cluster:` of lab.yaml, the shape a lab's sessions start from: `nodes` (1-10), minikube `addons` to enable,
 * and `objects` to create, each a manifest written inline or `{ file: objects/web.yaml }` (a file of the lab
 * folder, several documents allowed). Also the lab's `files/` folder: every file in it is a starter file of the
 * student's home, at the same path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { addonNamed } from '../../engine/addons';
import { ClusterShape } from '../format/types';
import { selectableKind } from '../format/kinds';
import { Cursor, isMapping } from './reader';

const MAX_NODES = 10;
const MAX_ALIAS_COUNT = 100;

export function readClusterShape(cursor: Cursor, labDir: string): ClusterShape | undefined | null {
  if (cursor.value === undefined) return undefined;
  if (!cursor.mapping(['nodes', 'addons', 'objects'])) return null;
  const nodesCursor = cursor.child('nodes');
  const nodes = nodesCursor.value === undefined ? 1 : nodesCursor.integer(1);
  if (nodes !== undefined && nodes > MAX_NODES) nodesCursor.report(`at most ${MAX_NODES} nodes`);
  const addons = cursor
    .child('addons')
    .list(0, { optional: true })
    .map((item) => {
      const name = item.string();
      if (name !== undefined && !addonNamed(name)) return item.report(`unknown minikube add-on "${name}"`);
      return name;
    });
  const objects = cursor
    .child('objects')
    .list(0, { optional: true })
    .map((item) => readObjects(item, labDir));
  if (nodes === undefined || nodes > MAX_NODES) return null;
  if (addons.some((name) => name === undefined) || objects.some((text) => text === undefined)) return null;
  return { nodes, addons: addons as string[], objects: objects as string[] };
}

/** One item of `objects`: an inline manifest, or a file of the lab folder; the YAML text to apply. */
function readObjects(cursor: Cursor, labDir: string): string | undefined {
  if (!isMapping(cursor.value)) return cursor.report('expected a manifest or { file: path }');
  if ('file' in cursor.value && Object.keys(cursor.value).length === 1) {
    const fileCursor = cursor.child('file');
    const path = fileCursor.string();
    if (path === undefined) return undefined;
    const full = resolve(labDir, path);
    if (relative(resolve(labDir), full).startsWith('..'))
      return fileCursor.report('must be inside the lab folder');
    if (!existsSync(full) || !statSync(full).isFile()) return fileCursor.report(`no such file "${path}"`);
    const text = readFileSync(full, 'utf8');
    return checkManifests(fileCursor, text, path) ? text : undefined;
  }
  const text = stringify(cursor.value);
  return checkManifests(cursor, text) ? text : undefined;
}

/** Every document must be an object of a kind the cluster serves, with a name. */
function checkManifests(cursor: Cursor, text: string, file?: string): boolean {
  const where = file ? `${file}: ` : '';
  let documents;
  try {
    documents = parseAllDocuments(text);
  } catch (error) {
    cursor.report(`${where}invalid YAML: ${(error as Error).message.split('\n')[0]}`);
    return false;
  }
  for (const [index, document] of (Array.isArray(documents) ? documents : []).entries()) {
    const at = `${where}document ${index + 1}`;
    if (document.errors.length > 0) {
      cursor.report(`${at}: invalid YAML: ${document.errors[0].message.split('\n')[0]}`);
      return false;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      cursor.report(`${at}: ${(error as Error).message}`);
      return false;
    }
    if (value === null || value === undefined) continue;
    const manifest = isMapping(value) ? value : {};
    const kind = typeof manifest.kind === 'string' ? manifest.kind : undefined;
    const name = isMapping(manifest.metadata) ? manifest.metadata.name : undefined;
    if (!kind || !selectableKind(kind)) {
      cursor.report(`${at}: ${kind ? `unknown kind "${kind}"` : 'has no kind'}`);
      return false;
    }
    if (typeof manifest.apiVersion !== 'string' || typeof name !== 'string') {
      cursor.report(`${at}: a manifest needs apiVersion and metadata.name`);
      return false;
    }
  }
  return true;
}

/** The files of `<lab>/files/`, by path relative to it ('/'-separated), for the student's home. */
export function readFilesFolder(labDir: string): Record<string, string> {
  const root = join(labDir, 'files');
  if (!existsSync(root) || !statSync(root).isDirectory()) return {};
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files[relative(root, full).split(sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}
