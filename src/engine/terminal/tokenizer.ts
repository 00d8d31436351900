/**
 * Splits a terminal line the way a POSIX shell would, for the small language the lab terminal supports:
 * words with '...' and "..." quoting and backslash escapes, `$NAME` / `${NAME}` variables, `$( ... )` command
 * substitution (the terminal decides which inner commands are allowed), `#` comments, `|` pipes and
 * here-documents (`<<WORD`, whose body is the lines after the command line up to a line that is exactly WORD).
 * Every other shell operator is reported as unsupported before anything runs.
 */
export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  | { kind: 'subst'; command: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

/** A `<<WORD` redirection and the body lines read for it so far. */
export interface Heredoc {
  /** The pipeline stage whose stdin the body becomes. */
  stage: number;
  /** WORD after quote removal: the line that ends the body. */
  delimiter: string;
  /** Part of WORD was quoted (`<<'EOF'`, `<<"EOF"`, `<<\EOF`): the body is taken literally, without expansion. */
  quoted: boolean;
  /** `<<-WORD`: leading tabs are removed from the body lines and from the delimiter line. */
  stripTabs: boolean;
  lines: string[];
  /** The delimiter line was seen (or input ended, which bash accepts with a warning). */
  complete: boolean;
  /** Where `<<WORD` is in the command line ([start, end) offsets): a pod shell sends the line without it. */
  operator?: [start: number, end: number];
}

/** `> FILE` or `>> FILE` (`append`) on a pipeline stage: the stage's output goes to a file of the home. */
export interface Redirect {
  stage: number;
  append: boolean;
  target: Word;
}

/**
 * A line: pipeline stages, each a list of words, its here-documents in the order their bodies follow and its output
 * redirections. An empty or comment-only line has no stages.
 */
export interface ParsedLine {
  stages: Word[][];
  heredocs: Heredoc[];
  redirects: Redirect[];
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
  const heredocs: Heredoc[] = [];
  const redirects: Redirect[] = [];
  /** A `>` or `>>` whose FILE word comes next. */
  let pending: Omit<Redirect, 'target'> | undefined;
  let parts: WordPart[] | null = null;
  const stage = () => stages[stages.length - 1];
  const endWord = () => {
    if (parts && pending) {
      redirects.push({ ...pending, target: { parts } });
      pending = undefined;
    } else if (parts) stage().push({ parts });
    parts = null;
  };
  /** An operator where the FILE of a redirection should be: bash's syntax error naming it. */
  const needTarget = (token: string) => {
    if (pending) throw new ShellSyntaxError(`bash: syntax error near unexpected token \`${token}'`);
  };
  const addText = (text: string, quoted: boolean) => {
    parts ??= [];
    const last = parts[parts.length - 1];
    if (last && last.kind === 'text' && last.quoted === quoted) last.text += text;
    else parts.push({ kind: 'text', text, quoted });
  };
  const dollar = (quoted: boolean): boolean => {
    const found = readDollar(line, i, quoted);
    if (!found) return false;
    parts ??= [];
    parts.push(found.part);
    i = found.end;
    return true;
  };

  let i = 0;
  /** Where the here-document bodies start: after the newline that ends the command line. */
  let bodyStart: number | undefined;
  while (i < line.length) {
    const c = line[i];
    if (c === '\n' && heredocs.length > 0) {
      endWord();
      needTarget('newline');
      bodyStart = i + 1;
      break;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      endWord();
      i++;
    } else if (c === '#' && parts === null) {
      // A comment runs to the end of the command line; here-document bodies may still follow it.
      const newline = line.indexOf('\n', i);
      if (newline < 0 || heredocs.length === 0) break;
      i = newline;
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
          if (!dollar(true)) {
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
      if (!dollar(false)) {
        addText('$', false);
        i++;
      }
    } else if (c === '|') {
      if (line[i + 1] === '|') throw new ShellSyntaxError(`'||' ${UNSUPPORTED_HINT}`);
      endWord();
      needTarget('|');
      if (stage().length === 0) throw new ShellSyntaxError("bash: syntax error near unexpected token `|'");
      stages.push([]);
      i++;
    } else if (c === '&') {
      if (line[i + 1] === '&') throw new ShellSyntaxError(`'&&' ${UNSUPPORTED_HINT}`);
      // A line ending in `&` is started as a job by whoever runs lines (lineShape says so); it never gets here then.
      const rest = line
        .slice(i + 1)
        .split('\n')[0]
        .trim();
      throw new ShellSyntaxError(
        rest === '' || rest.startsWith('#')
          ? "background jobs ('&') are started by the lab terminal session; this command runner cannot start them"
          : "background jobs ('&') go at the end of a line: '&' in the middle of a line is not available in this lab terminal",
      );
    } else if (c === ';') {
      throw new ShellSyntaxError(`';' ${UNSUPPORTED_HINT}`);
    } else if (c === '<' && line[i + 1] === '<') {
      if (line[i + 2] === '<') throw new ShellSyntaxError(`here-strings ('<<<') ${UNSUPPORTED_HINT}`);
      endWord();
      const stripTabs = line[i + 2] === '-';
      let j = i + (stripTabs ? 3 : 2);
      while (line[j] === ' ' || line[j] === '\t') j++;
      const word = readDelimiter(line, j);
      heredocs.push({
        stage: stages.length - 1,
        delimiter: word.delimiter,
        quoted: word.quoted,
        stripTabs,
        lines: [],
        complete: false,
        operator: [i, word.end],
      });
      i = word.end;
    } else if (c === '>') {
      const append = line[i + 1] === '>';
      const operator = append ? '>>' : '>';
      // `2>`, `1>>`: a file descriptor written right before the operator; `>&`, `>|`: other redirections.
      const fd = fdDigits(parts as WordPart[] | null);
      const after = line[i + operator.length];
      if (fd !== undefined || after === '&' || after === '|')
        throw new ShellSyntaxError(
          `redirection ('${fd ?? ''}${operator}${fd === undefined ? after : ''}') is not available in this lab terminal: only '> FILE' and '>> FILE' into your home directory work`,
        );
      endWord();
      needTarget(operator);
      pending = { stage: stages.length - 1, append };
      i += operator.length;
    } else if (c === '<') {
      throw new ShellSyntaxError(`redirection ('<') ${UNSUPPORTED_HINT}`);
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
  needTarget('newline');
  if (stages.length > 1 && stage().length === 0)
    throw new ShellSyntaxError('bash: syntax error: unexpected end of file');
  if (bodyStart !== undefined) readBodies(heredocs, line.slice(bodyStart));
  return { stages: stage().length === 0 && stages.length === 1 ? [] : stages, heredocs, redirects };
}

/** The digits of a word that is only unquoted digits (the N of `N>`); undefined otherwise. */
function fdDigits(parts: WordPart[] | null): string | undefined {
  const only = parts?.length === 1 ? parts[0] : undefined;
  return only?.kind === 'text' && !only.quoted && /^\d+$/.test(only.text) ? only.text : undefined;
}

/**
 * Feeds the lines after the command line to the open here-documents in order. Lines left once every body is
 * complete would be further commands, which the lab terminal runs one per line.
 */
function readBodies(heredocs: Heredoc[], text: string): void {
  const lines = text.split('\n');
  // The text's final newline ends the last line; it does not start an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  let next = 0;
  while (next < lines.length && !heredocsComplete(heredocs)) addHeredocLine(heredocs, lines[next++]);
  if (lines.slice(next).some((rest) => rest.trim() !== ''))
    throw new ShellSyntaxError(`a command after the end of a here-document ${UNSUPPORTED_HINT}`);
}

/** Adds one typed line to the first open here-document (the delimiter line closes it); true once all are complete. */
export function addHeredocLine(heredocs: Heredoc[], line: string): boolean {
  const open = heredocs.find((h) => !h.complete);
  if (open) {
    const text = open.stripTabs ? line.replace(/^\t+/, '') : line;
    if (text === open.delimiter) open.complete = true;
    else open.lines.push(text);
  }
  return heredocsComplete(heredocs);
}

export function heredocsComplete(heredocs: readonly Heredoc[]): boolean {
  return heredocs.every((h) => h.complete);
}

/** The body as the command reads it: each line ended by a newline. */
export function heredocText(heredoc: Heredoc): string {
  return heredoc.lines.map((l) => `${l}\n`).join('');
}

/**
 * The parts of an unquoted here-document body: `$NAME`, `${NAME}` and `$(...)` expand (never split into words),
 * a backslash escapes `$`, a backquote, a backslash or a newline (which joins two lines), and quotes are plain text.
 */
export function heredocParts(body: string): WordPart[] {
  const parts: WordPart[] = [];
  const addText = (text: string) => {
    const last = parts[parts.length - 1];
    if (last && last.kind === 'text') last.text += text;
    else parts.push({ kind: 'text', text, quoted: true });
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length && '$`\\\n'.includes(body[i + 1])) {
      if (body[i + 1] !== '\n') addText(body[i + 1]);
      i += 2;
    } else if (c === '$') {
      const found = readDollar(body, i, true);
      if (found) {
        parts.push(found.part);
        i = found.end;
      } else {
        addText('$');
        i++;
      }
    } else if (c === '`') {
      throw new ShellSyntaxError(`backquote command substitution ${UNSUPPORTED_HINT}`);
    } else {
      addText(c);
      i++;
    }
  }
  return parts;
}

/** `$(...)`, `${NAME}` or `$NAME` at text[i] (a `$`); undefined when the `$` is plain text. */
function readDollar(
  text: string,
  i: number,
  quoted: boolean,
): { part: Exclude<WordPart, { kind: 'text' }>; end: number } | undefined {
  const next = text[i + 1];
  if (next === '(') {
    if (text[i + 2] === '(') throw new ShellSyntaxError(`arithmetic expansion '$((' ${UNSUPPORTED_HINT}`);
    const end = findClosingParen(text, i + 2);
    return { part: { kind: 'subst', command: text.slice(i + 2, end), quoted }, end: end + 1 };
  }
  if (next === '{') {
    const end = text.indexOf('}', i + 2);
    if (end < 0) throw new ShellSyntaxError("bash: unexpected EOF while looking for matching `}'");
    const name = text.slice(i + 2, end);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new ShellSyntaxError(`bash: \${${name}}: bad substitution`, 1);
    return { part: { kind: 'var', name, quoted }, end: end + 1 };
  }
  const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
  if (match) return { part: { kind: 'var', name: match[0], quoted }, end: i + 1 + match[0].length };
  if (next !== undefined && /[?$!#@*0-9-]/.test(next))
    throw new ShellSyntaxError(`special parameter '$${next}' ${UNSUPPORTED_HINT}`);
  return undefined;
}

/**
 * The WORD of `<<WORD` starting at line[from]: quote removal gives the delimiter, and any quoting at all makes the
 * body literal (bash's rule; `$` in WORD is never expanded).
 */
function readDelimiter(line: string, from: number): { delimiter: string; quoted: boolean; end: number } {
  let delimiter = '';
  let quoted = false;
  let i = from;
  while (i < line.length && !' \t\n|&;<>()'.includes(line[i])) {
    const c = line[i];
    if (c === "'" || c === '"') {
      let end = i + 1;
      while (end < line.length && line[end] !== c) end += c === '"' && line[end] === '\\' ? 2 : 1;
      if (end >= line.length)
        throw new ShellSyntaxError(`bash: unexpected EOF while looking for matching \`${c}'`);
      const inner = line.slice(i + 1, end);
      delimiter += c === '"' ? inner.replace(/\\([$`"\\])/g, '$1') : inner;
      quoted = true;
      i = end + 1;
    } else if (c === '\\') {
      delimiter += line[i + 1] ?? '';
      quoted = true;
      i += 2;
    } else {
      delimiter += c;
      i++;
    }
  }
  if (i === from) {
    const next = line[i];
    throw new ShellSyntaxError(
      `bash: syntax error near unexpected token \`${next === undefined || next === '\n' ? 'newline' : next}'`,
    );
  }
  return { delimiter, quoted, end: i };
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
