/**
 * The pod shell's sed scripts, parsed: addresses (a line number, `$`, `/RE/`), ranges of two (`2,4`, `/a/,/b/`,
 * `N,$`, `addr,+N`), `!` to invert, and the commands `s/RE/REPL/[gpIw FILE]`, `y/abc/xyz/`, `p`, `d`, `q`, `=`, `a text`,
 * `i text`, `c text` (also `a\text` and `a\` with the text on the next line) and `w FILE`. The text of a, i, c and
 * the file of w run to the end of the script's line, as in both seds. Errors carry GNU sed's message and busybox's
 * (editors/sed.c: `command 'a' uses only one address`, `no address after comma`, `empty filename`, `unmatched '/'`).
 */
export type Address = { line: number } | { last: true } | { match: RegExp };
/** The second address of a range: also `+N`, N lines after the first. */
export type RangeEnd = Address | { plus: number };

export interface Selector {
  address?: Address;
  end?: RangeEnd;
  invert: boolean;
}

export type Command = Selector &
  (
    | { kind: 's'; re: RegExp; replacement: string; print: boolean; file?: string }
    | { kind: 'y'; map: Map<string, string> }
    | { kind: 'p' | 'd' | 'q' | '=' }
    | { kind: 'a' | 'i' | 'c'; text: string }
    | { kind: 'w'; file: string }
  );

/** A script sed cannot parse, with the message of the sed the image has (both stop at the first problem). */
export class ScriptError extends Error {}

/** A BRE (or an ERE with `extended`) as a JavaScript RegExp source. */
function toJsSource(expr: string, extended: boolean): string {
  if (extended) return expr;
  let out = '';
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (ch === '\\' && i + 1 < expr.length) {
      const next = expr[++i];
      out += '(){}+?|'.includes(next) ? next : `\\${next}`;
    } else out += '(){}+?|'.includes(ch) ? `\\${ch}` : ch;
  }
  return out;
}

/** JavaScript's replacement syntax for sed's: `&` the match, `\N` a group, `\&` and `\\` literal. */
function toJsReplacement(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[++i];
      out += /[1-9]/.test(next) ? `$${next}` : next === 'n' ? '\n' : next === '$' ? '$$' : next;
    } else if (ch === '&') out += '$&';
    else if (ch === '$') out += '$$';
    else out += ch;
  }
  return out;
}

/** Reads up to the next unescaped `delim`; returns the text and the index after the delimiter. */
function until(script: string, start: number, delim: string): [string, number] | undefined {
  let text = '';
  for (let i = start; i < script.length; i++) {
    if (script[i] === '\\' && i + 1 < script.length) {
      // An escaped delimiter stands for itself.
      text += script[i + 1] === delim ? delim : script[i] + script[i + 1];
      i++;
    } else if (script[i] === delim) return [text, i + 1];
    else text += script[i];
  }
  return undefined;
}

/** `\n` is a newline and `\X` is X in y's strings. */
function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch));
}

/** The rest of the script's line from `start`, and where the next line starts. */
function restOfLine(script: string, start: number): [string, number] {
  const newline = script.indexOf('\n', start);
  return newline < 0 ? [script.slice(start), script.length] : [script.slice(start, newline), newline + 1];
}

/**
 * The text of a, i or c: blanks after the letter are skipped, then one backslash or newline; a line ending in an
 * odd number of backslashes goes on to the next line; `\X` is X.
 */
function readText(script: string, start: number): [string, number] {
  let i = start;
  while (i < script.length && /[ \t]/.test(script[i])) i++;
  // `a\` then the text on the next line, `a\text` on the same one.
  if (script[i] === '\\' && script[i + 1] === '\n') i += 2;
  else if (script[i] === '\\' || script[i] === '\n') i++;
  let text = '';
  for (;;) {
    const [line, next] = restOfLine(script, i);
    const trailing = /\\*$/.exec(line)![0].length;
    if (trailing % 2 === 1 && next < script.length) {
      text += `${line.slice(0, -1)}\n`;
      i = next;
      continue;
    }
    return [unescape(text + line), next];
  }
}

/** Parses `script` into `commands`; `busybox`: the image's sed is busybox's, else GNU sed. */
export function parseScript(script: string, extended: boolean, busybox: boolean, commands: Command[]): void {
  let i = 0;
  const at = (n: number) => `-e expression #1, char ${n}`;
  const error = (gnu: string, bb: string) => new ScriptError(busybox ? bb : gnu);
  const regex = (source: string, flags = '') => {
    try {
      return new RegExp(toJsSource(source, extended), flags);
    } catch {
      throw error(`${at(script.length)}: Invalid regular expression`, 'bad regex');
    }
  };
  const address = (): Address | undefined => {
    const number = /^\d+/.exec(script.slice(i));
    if (number) {
      i += number[0].length;
      return { line: Number(number[0]) };
    }
    if (script[i] === '$') {
      i++;
      return { last: true };
    }
    if (script[i] !== '/') return undefined;
    const read = until(script, i + 1, '/');
    if (!read) throw error(`${at(script.length)}: unterminated address regex`, "unmatched '/'");
    i = read[1];
    return { match: regex(read[0]) };
  };
  const fileName = (): string => {
    const [name, next] = restOfLine(script, i);
    const file = name.trim();
    if (file === '') throw error(`${at(i)}: missing filename in r/R/w/W commands`, 'empty filename');
    i = next;
    return file;
  };
  while (i < script.length) {
    while (i < script.length && /[\s;]/.test(script[i])) i++;
    if (i >= script.length) break;
    const selector: Selector = { address: address(), invert: false };
    if (script[i] === ',') {
      if (!selector.address && !busybox) throw new ScriptError(`${at(i + 1)}: unknown command: \`,'`);
      i++;
      const plus = /^\+(\d+)/.exec(script.slice(i));
      if (plus) i += plus[0].length;
      const end = plus ? { plus: Number(plus[1]) } : address();
      if (!end) throw error(`${at(i + 1)}: unexpected \`,'`, 'no address after comma');
      // busybox takes `,N` (and `0,...`, GNU sed's "before the first line") as a range whose start never comes.
      if (!selector.address || (busybox && 'line' in selector.address && selector.address.line === 0))
        selector.address = { match: /(?!)/ };
      selector.end = end;
    }
    while (script[i] === ' ' || script[i] === '\t') i++;
    if (script[i] === '!') {
      selector.invert = true;
      i++;
      while (script[i] === ' ' || script[i] === '\t') i++;
    }
    const command = script[i];
    i++;
    if (command === 'p' || command === 'd' || command === 'q' || command === '=')
      commands.push({ ...selector, kind: command });
    else if (command === 'a' || command === 'i' || command === 'c') {
      // GNU sed takes a range for every one of them; busybox only for c.
      if (busybox && command !== 'c' && selector.end)
        throw new ScriptError(`command '${command}' uses only one address`);
      const rest = script.slice(i).replace(/^[ \t]*/, '');
      if (!busybox && (rest === '' || rest.startsWith('\n')))
        throw new ScriptError(`${at(i)}: expected \\ after \`a', \`c' or \`i'`);
      const [text, next] = readText(script, i);
      // The text is printed with its newline; GNU sed's empty text (`a\` ending the script) prints nothing at all.
      commands.push({ ...selector, kind: command, text: text === '' && !busybox ? '' : `${text}\n` });
      i = next;
    } else if (command === 'w') commands.push({ ...selector, kind: 'w', file: fileName() });
    else if (command === 'y') {
      const delim = script[i];
      const from = delim === undefined ? undefined : until(script, i + 1, delim);
      const to = from && until(script, from[1], delim);
      if (!from || !to)
        throw error(`${at(script.length)}: unterminated \`y' command`, `unmatched '${delim ?? ''}'`);
      i = to[1];
      const source = [...unescape(from[0])];
      const target = [...unescape(to[0])];
      // busybox pairs the characters as far as both strings go; GNU sed refuses strings of different lengths.
      if (!busybox && source.length !== target.length)
        throw new ScriptError(`${at(i)}: strings for \`y' command are different lengths`);
      const pairs = source.slice(0, target.length).map((ch, n): [string, string] => [ch, target[n]]);
      commands.push({ ...selector, kind: 'y', map: new Map(pairs) });
    } else if (command === 's') {
      const delim = script[i];
      const pattern = delim === undefined ? undefined : until(script, i + 1, delim);
      const replacement = pattern && until(script, pattern[1], delim);
      if (!pattern || !replacement)
        throw error(`${at(script.length)}: unterminated \`s' command`, `unmatched '${delim ?? ''}'`);
      i = replacement[1];
      let flags = '';
      let print = false;
      let file: string | undefined;
      while (i < script.length && /[gpIw]/.test(script[i])) {
        const flag = script[i++];
        if (flag === 'p') print = true;
        else if (flag === 'w') file = fileName();
        else flags += flag === 'I' ? 'i' : 'g';
      }
      commands.push({
        ...selector,
        kind: 's',
        re: regex(pattern[0], flags),
        replacement: toJsReplacement(replacement[0]),
        print,
        ...(file !== undefined ? { file } : {}),
      });
    } else
      throw command === undefined
        ? error(`${at(script.length)}: missing command`, 'missing command')
        : error(`${at(i)}: unknown command: \`${command}'`, `unsupported command ${command}`);
  }
}
