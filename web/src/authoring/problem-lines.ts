import type { LabFiles, LabProblem } from './authoring-types';

/** A problem placed in its file: 1-based line, for the editor's gutter and underline and the list's "go to". */
export interface PlacedProblem {
  problem: LabProblem;
  path: string;
  line: number;
}

/** `checks[0].select.kind`, `hints.1.en`, `/steps/2/points` → ['checks', '0', 'select', 'kind']. */
export function fieldPath(field: string): string[] {
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .filter(Boolean);
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isBlank = (line: string) => line.trim() === '' || line.trim().startsWith('#');

/**
 * The line (0-based index) where `segment` starts inside the block that begins at `from` with items indented
 * deeper than `parentIndent`: a key `segment:`, or the n-th list item `- ` for a number.
 */
function findInBlock(
  lines: string[],
  from: number,
  parentIndent: number,
  segment: string,
  /** The block starts on a list item's own line (`- id: x`), which is not deeper than its dash. */
  startsOnItem: boolean,
): number | undefined {
  const index = /^\d+$/.test(segment) ? Number(segment) : undefined;
  let items = -1;
  let itemIndent: number | undefined;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i];
    if (isBlank(line)) continue;
    const indent = indentOf(line);
    if (!(startsOnItem && i === from) && indent <= parentIndent) return undefined;
    const text = line.trimStart();
    if (index !== undefined) {
      if (text.startsWith('- ') || text === '-') {
        itemIndent ??= indent;
        if (indent === itemIndent && ++items === index) return i;
      }
      continue;
    }
    const key = text.replace(/^-\s+/, '');
    if (key.startsWith(`${segment}:`) || key.startsWith(`'${segment}':`) || key.startsWith(`"${segment}":`))
      return i;
  }
  return undefined;
}

/** A list item `- key: …` at `line`: its keys start on that line, deeper than its dash. */
function itemScope(lines: string[], line: number) {
  return { from: line, column: indentOf(lines[line]), item: true };
}

/** A key at `line`: its value's lines follow, deeper than the key. */
function keyScope(lines: string[], line: number) {
  const text = lines[line];
  const column = indentOf(text) + (/^\s*-\s/.test(text) ? text.trimStart().search(/[^-\s]/) : 0);
  return { from: line + 1, column, item: false };
}

/** The 0-based line of the step `- id: <step>` in lab.yaml's text. */
function stepLine(lines: string[], step: string): number | undefined {
  const pattern = new RegExp(
    `^\\s*(-\\s+)?id:\\s*['"]?${step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*(#.*)?$`,
  );
  const found = lines.findIndex((line) => pattern.test(line));
  return found === -1 ? undefined : found;
}

/**
 * Where a problem belongs: its own line when the loader gave one; else, in lab.yaml, the step's `- id:` line
 * narrowed down by the field's path as far as the text allows; else the file's first line.
 */
export function placeProblem(problem: LabProblem, files: LabFiles): PlacedProblem {
  const path = problem.file;
  const text = files[path];
  const lines = text === undefined ? [] : text.split('\n');
  const clamp = (line: number) => Math.min(Math.max(1, line), Math.max(1, lines.length));
  if (problem.line !== undefined && problem.line > 0) return { problem, path, line: clamp(problem.line) };
  if (lines.length === 0) return { problem, path, line: 1 };
  let at: number | undefined;
  if (problem.step !== undefined) at = stepLine(lines, problem.step);
  if (problem.field !== undefined) {
    let segments = fieldPath(problem.field);
    if (at !== undefined && segments[0] === 'steps') segments = segments.slice(2);
    // The block searched next: from a line, holding what is indented deeper than `column`.
    let scope = at === undefined ? { from: 0, column: -1, item: false } : itemScope(lines, at);
    for (const segment of segments) {
      const numeric = /^\d+$/.test(segment);
      // A list may sit at its key's own indentation (`checks:` then `- label:` below it, same column).
      const parentIndent = !scope.item && numeric ? scope.column - 1 : scope.column;
      const found = findInBlock(lines, scope.from, parentIndent, segment, scope.item);
      if (found === undefined) break;
      at = found;
      scope = numeric ? itemScope(lines, found) : keyScope(lines, found);
    }
  }
  return { problem, path, line: clamp((at ?? 0) + 1) };
}

/** Every problem placed, grouped by file (files the draft lacks keep their problems too). */
export function problemsByFile(problems: LabProblem[], files: LabFiles): Map<string, PlacedProblem[]> {
  const grouped = new Map<string, PlacedProblem[]>();
  for (const problem of problems) {
    const placed = placeProblem(problem, files);
    grouped.set(placed.path, [...(grouped.get(placed.path) ?? []), placed]);
  }
  return grouped;
}

/** The tabs' order: lab.yaml, description.md, the steps in order, then every other file by name. */
export function orderFiles(paths: string[]): string[] {
  const rank = (path: string) =>
    path === 'lab.yaml' ? 0 : path === 'description.md' ? 1 : path.startsWith('steps/') ? 2 : 3;
  return [...paths].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
