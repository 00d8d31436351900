/** Reading the values checks are made of: {{placeholder}} strings and regexes, validated against the lab's vars. */
import { escapeRegExp, fillPlaceholders, placeholdersIn } from '../format/template';
import { JsonPathError, parseJsonPath } from '../../engine/jsonpath';
import { Cursor } from './reader';
import { REGEX_SOURCE_LIMIT } from '../evaluation/regex-runner';

/** What check readers need to know about the lab: the names usable as {{placeholders}}. */
export interface CheckScope {
  varNames: ReadonlySet<string>;
  /** Values of the fixed vars, known at load time; captured ones get a stand-in when checking offline. */
  fixedValues?: ReadonlyMap<string, string>;
}

export function readRegex(cursor: Cursor, scope: CheckScope): string | undefined {
  const source = readTemplate(cursor, scope);
  if (source === undefined) return undefined;
  if (source.length > REGEX_SOURCE_LIMIT) {
    return cursor.report(`regex too long (${source.length} characters; at most ${REGEX_SOURCE_LIMIT})`);
  }
  try {
    new RegExp(fillPlaceholders(source, () => 'x', escapeRegExp));
  } catch (error) {
    const detail = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
    return cursor.report(`bad regex /${source}/: ${detail}`);
  }
  return source;
}

/**
 * A JSONPath (kubectl's subset), compiled now so a typo is reported with the lab file. It may hold {{vars}}
 * (`.data.{{key}}`, `[?(@.name=="{{container}}")]`); a stand-in value takes their place for the check.
 */
export function readJsonPath(cursor: Cursor, scope?: CheckScope): string | undefined {
  const path = scope ? readTemplate(cursor, scope) : cursor.string();
  if (path === undefined) return undefined;
  try {
    parseJsonPath(fillPlaceholders(path, (name) => scope?.fixedValues?.get(name) ?? 'x'));
  } catch (error) {
    if (!(error instanceof JsonPathError)) throw error;
    return cursor.report(error.message);
  }
  return path;
}

/** A string that may contain {{placeholders}}; each must name a var of the lab. */
export function readTemplate(cursor: Cursor, scope: CheckScope, options: { optional?: boolean } = {}) {
  const text = cursor.value === undefined && options.optional ? undefined : cursor.scalarText();
  if (text !== undefined) checkPlaceholders(cursor, text, scope);
  return text;
}

/** A string where {{vars}} are not filled (a phase, a protocol): one there is an error, not left as text. */
export function readPlainString(cursor: Cursor, options: { optional?: boolean } = {}): string | undefined {
  const text = cursor.string(options);
  if (text !== undefined && placeholdersIn(text).length > 0) {
    return cursor.report('{{vars}} are not filled in here; write the value itself');
  }
  return text;
}

export function checkPlaceholders(cursor: Cursor, text: string, scope: CheckScope): void {
  for (const name of placeholdersIn(text)) {
    if (!scope.varNames.has(name)) cursor.report(`unknown variable {{${name}}}`);
  }
}

export function allDefined<T>(items: (T | undefined)[]): items is T[] {
  return items.every((item) => item !== undefined);
}
