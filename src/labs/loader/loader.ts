/**
 * Loading labs from disk: one lab is `<folder>/lab.yaml` plus the Markdown files it references; a labs folder
 * holds one sub-folder per lab, named after the lab id. Loading is all-or-nothing and strict: any problem in
 * any lab raises a LabLoadError listing every problem found, each with its file, step and field.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Document, isNode, LineCounter, parseDocument } from 'yaml';
import { Check, Lab } from '../format/types';
import { readCheck } from './read-check';
import { Cursor, LabIssue, LabLoadError, PathPart, ReadSession } from './reader';
import { readLab } from './read-lab';

export const LAB_FILE = 'lab.yaml';

/** Loads and validates one lab file (`labs/<id>/lab.yaml`). Throws LabLoadError. */
export function loadLabFile(file: string): Lab {
  const issues: LabIssue[] = [];
  const lab = readLabFile(file, issues);
  if (!lab || issues.length > 0) throw new LabLoadError(issues);
  return lab;
}

/** Loads every `<folder>/<id>/lab.yaml`, sorted by id. Throws LabLoadError listing the problems of all labs. */
export function loadLabs(folder: string): Lab[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new LabLoadError([{ file: folder, path: '', message: 'is not a folder' }]);
  }
  const issues: LabIssue[] = [];
  const labs: Lab[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = join(folder, entry.name, LAB_FILE);
    if (!existsSync(file)) continue;
    const lab = readLabFile(file, issues);
    if (lab) labs.push(lab);
  }
  if (issues.length > 0) throw new LabLoadError(issues);
  return labs.sort((a, b) => a.id.localeCompare(b.id));
}

function readLabFile(file: string, issues: LabIssue[]): Lab | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    issues.push({
      file,
      path: '',
      message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`,
    });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const line = error.linePos?.[0].line ?? lineCounter.linePos(error.pos[0]).line;
      issues.push({ file, path: '', message: `invalid YAML: ${error.message.split('\n')[0]}`, line });
    }
    return undefined;
  }
  const session: ReadSession = {
    file,
    issues,
    lineOf(path: PathPart[]) {
      const node = path.length === 0 ? document.contents : document.getIn(path, true);
      return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
    },
  };
  const value = toPlainValue(document, file, issues);
  if (value === undefined) return undefined;
  const before = issues.length;
  const lab = readLab(new Cursor(value, session), dirname(file), file);
  const folderName = basename(dirname(file));
  if (lab && lab.id !== folderName) {
    new Cursor(value, session).child('id').report(`must match the folder name "${folderName}"`);
  }
  return issues.length === before ? lab : undefined;
}

/**
 * Aliases may be expanded at most MAX_ALIAS_COUNT times in all: a "billion laughs" file (aliases of aliases)
 * would otherwise grow to gigabytes while being read. The yaml library stops and throws past the limit.
 */
const MAX_ALIAS_COUNT = 100;

function toPlainValue(document: Document, file: string, issues: LabIssue[]): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    issues.push({
      file,
      path: '',
      message: `invalid YAML: aliases expand too much (more than ${MAX_ALIAS_COUNT} alias uses): ${error.message}`,
    });
    return undefined;
  }
}

/** One check written in lab YAML, validated like inside a lab (for tools and specs). Throws LabLoadError. */
export function parseCheck(yamlText: string, varNames: string[] = [], source = '<check>'): Check {
  const issues: LabIssue[] = [];
  const document = parseDocument(yamlText, { uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new LabLoadError([
      { file: source, path: '', message: `invalid YAML: ${document.errors[0].message}` },
    ]);
  }
  const session: ReadSession = { file: source, issues, lineOf: () => undefined };
  const value = toPlainValue(document, source, issues);
  if (value === undefined) throw new LabLoadError(issues);
  const check = readCheck(new Cursor(value, session), { varNames: new Set(varNames) });
  if (!check || issues.length > 0) throw new LabLoadError(issues);
  return check;
}
