/**
 * Prose (descriptions, instructions) is Markdown, written inline in lab.yaml as `{ zh-CN: ..., en: ... }` or
 * kept in a Markdown file referenced as `{ file: steps/scale.md }`. One file holds both languages, each after
 * a marker line `<!-- lang: zh-CN -->` / `<!-- lang: en -->` (invisible when the Markdown is rendered), so a
 * translator sees both versions side by side.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { LANGUAGES, Language, Localized } from '../format/types';
import { Cursor } from './reader';

const MARKER = /^<!--\s*lang:\s*(\S+)\s*-->\s*$/;

export function readProse(cursor: Cursor, labDir: string): Localized | undefined {
  if (!cursor.has('file')) return cursor.localized();
  if (!cursor.mapping(['file'], ['file'])) return undefined;
  const fileCursor = cursor.child('file');
  const relative = fileCursor.string();
  if (relative === undefined) return undefined;
  if (isAbsolute(relative) || normalize(relative).startsWith('..') || !relative.endsWith('.md')) {
    return fileCursor.report('expected a relative path to a .md file inside the lab folder');
  }
  let text: string;
  try {
    text = readFileSync(join(labDir, relative), 'utf8');
  } catch (error) {
    return fileCursor.report(`cannot read ${relative}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const sections = splitLanguageSections(text);
  if (typeof sections === 'string') return fileCursor.report(`${relative}: ${sections}`);
  return sections;
}

/** The language sections of a Markdown file, or a message saying what is wrong with it. */
export function splitLanguageSections(text: string): Localized | string {
  const found: Partial<Record<Language, string[]>> = {};
  let current: Language | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const marker = MARKER.exec(line);
    if (marker) {
      const language = marker[1] as Language;
      if (!LANGUAGES.includes(language)) return `line ${index + 1}: unknown language "${marker[1]}"`;
      if (found[language]) return `line ${index + 1}: a second ${language} section`;
      found[language] = [];
      current = language;
    } else if (current) {
      found[current]?.push(line);
    } else if (line.trim() !== '') {
      return `line ${index + 1}: text before the first <!-- lang: ... --> marker`;
    }
  }
  const result: Partial<Localized> = {};
  for (const language of LANGUAGES) {
    const body = found[language]?.join('\n').trim();
    if (!body) return `missing translation: no non-empty <!-- lang: ${language} --> section`;
    result[language] = body;
  }
  return result as Localized;
}
