/**
 * Splits a terminal line the way a POSIX shell would, for the small language the lab terminal supports:
 * words with '...' and "..." quoting and backslash escapes, `$NAME` / `${NAME}` variables, `$( ... )` command
 * substitution (the terminal decides which inner commands are allowed), `#` comments and `|` pipes.
 * Every other shell operator is reported as unsupported before anything runs.
 */
export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  | { kind: 'subst'; command: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

/** A line: pipeline stages, each a list of words. An empty or comment-only line has no stages. */
export interface ParsedLine {
  stages: Word[][];
}

/** The line cannot run: `exitCode` 2 for syntax errors and unsupported shell operators (bash's usage code). */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

const UNSUPPORTED_HINT =
  'is not available in this lab terminal: run one command per line (pipes into grep, wc, head and tail work)';

export function tokenize(line: string): ParsedLine {
  const stages: Word[][] = [[]];
  let parts: WordPart[] | null = null;
  const stage = () => stages[stages.length - 1];
  const endWord = () => {
    if (parts) stage().push({ parts });
    parts = null;
  };
  const addText = (text: string, quoted: boolean) => {
    parts ??= [];
    const last = parts[parts.length - 1];
    if (last && last.kind === 'text' && last.quoted === quoted) last.text += text;
    else parts.push({ kind: 'text', text, quoted });
  };

  let i = 0;
  const readDollar = (quoted: boolean): boolean => {
    // at line[i] === '$'
    const next = line[i + 1];
    if (next === '(') {
      if (line[i + 2] === '(') throw new ShellSyntaxError(`arithmetic expansion '$((' ${UNSUPPORTED_HINT}`);
      const end = findClosingParen(line, i + 2);
      parts ??= [];
      parts.push({ kind: 'subst', command: line.slice(i + 2, end), quoted });
      i = end + 1;
      return true;
    }
    if (next === '{') {
      const end = line.indexOf('}', i + 2);
      if (end < 0) throw new ShellSyntaxError("bash: unexpected EOF while looking for matching `}'");
      const name = line.slice(i + 2, end);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        throw new ShellSyntaxError(`bash: \${${name}}: bad substitution`, 1);
      parts ??= [];
      parts.push({ kind: 'var', name, quoted });
      i = end + 1;
      return true;
    }
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1));
    if (match) {
      parts ??= [];
      parts.push({ kind: 'var', name: match[0], quoted });
      i += 1 + match[0].length;
      return true;
    }
    if (next !== undefined && /[?$!#@*0-9-]/.test(next))
      throw new ShellSyntaxError(`special parameter '$${next}' ${UNSUPPORTED_HINT}`);
    return false;
  };

  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      endWord();
      i++;
    } else if (c === '#' && parts === null) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("bash: unexpected EOF while looking for matching `''");
      addText(line.slice(i + 1, end), true);
      i = end + 1;
    } else if (c === '"') {
      i++;
      addText('', true);
      for (;;) {
        if (i >= line.length)
          throw new ShellSyntaxError('bash: unexpected EOF while looking for matching `"\'');
        const d = line[i];
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '$`"\\'.includes(line[i + 1])) {
          addText(line[i + 1], true);
          i += 2;
        } else if (d === '$') {
          if (!readDollar(true)) {
            addText('$', true);
            i++;
          }
        } else if (d === '`') {
          throw new ShellSyntaxError(`backquote command substitution ${UNSUPPORTED_HINT}`);
        } else {
          addText(d, true);
          i++;
        }
      }
    } else if (c === '\\') {
      if (i + 1 < line.length) addText(line[i + 1], true);
      i += 2;
    } else if (c === '$') {
      if (!readDollar(false)) {
        addText('$', false);
        i++;
      }
    } else if (c === '|') {
      if (line[i + 1] === '|') throw new ShellSyntaxError(`'||' ${UNSUPPORTED_HINT}`);
      endWord();
      if (stage().length === 0) throw new ShellSyntaxError("bash: syntax error near unexpected token `|'");
      stages.push([]);
      i++;
    } else if (c === '&') {
      throw new ShellSyntaxError(
        line[i + 1] === '&' ? `'&&' ${UNSUPPORTED_HINT}` : `background jobs ('&') ${UNSUPPORTED_HINT}`,
      );
    } else if (c === ';') {
      throw new ShellSyntaxError(`';' ${UNSUPPORTED_HINT}`);
    } else if (c === '>' || c === '<') {
      throw new ShellSyntaxError(`redirection ('${c}') ${UNSUPPORTED_HINT}`);
    } else if (c === '`') {
      throw new ShellSyntaxError(`backquote command substitution ${UNSUPPORTED_HINT}`);
    } else if (c === '(' || c === ')') {
      throw new ShellSyntaxError(`subshells and '${c}' ${UNSUPPORTED_HINT}`);
    } else {
      addText(c, false);
      i++;
    }
  }
  endWord();
  if (stages.length > 1 && stage().length === 0)
    throw new ShellSyntaxError('bash: syntax error: unexpected end of file');
  return { stages: stage().length === 0 && stages.length === 1 ? [] : stages };
}

/** Index of the `)` closing a `$(` whose content starts at `from`, skipping quoted text and nested parentheses. */
function findClosingParen(line: string, from: number): number {
  let depth = 0;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '\\') {
      i++;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new ShellSyntaxError("bash: unexpected EOF while looking for matching `)'");
}

/** A word's literal text if it has no expansions (used for command names and assignments). */
export function literalText(word: Word): string | undefined {
  let text = '';
  for (const part of word.parts) {
    if (part.kind !== 'text') return undefined;
    text += part.text;
  }
  return text;
}

/**
 * Expands words after the values of variables and substitutions are known. Unquoted expansion results are split
 * on whitespace (so an unset `$POD_NAME` disappears, like in bash); quoted ones stay one word.
 */
export function expandWords(
  words: readonly Word[],
  valueOf: (part: Exclude<WordPart, { kind: 'text' }>) => string,
  options: { split?: boolean } = {},
): string[] {
  const out: string[] = [];
  for (const word of words) {
    let current: string | null = null;
    const pieces: string[] = [];
    for (const part of word.parts) {
      if (part.kind === 'text') {
        current = (current ?? '') + part.text;
        continue;
      }
      const value = valueOf(part);
      // Assignments (NAME=$(...)) are not split, as in bash.
      if (part.quoted || options.split === false) {
        current = (current ?? '') + value;
        continue;
      }
      const fields = value.split(/[ \t\n]+/);
      fields.forEach((field, index) => {
        if (index > 0) {
          if (current !== null && current !== '') pieces.push(current);
          current = null;
        }
        if (field !== '') current = (current ?? '') + field;
      });
    }
    if (current !== null) pieces.push(current);
    out.push(...pieces);
  }
  return out;
}
