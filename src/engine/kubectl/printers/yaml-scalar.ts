/**
 * How go-yaml v2 (what sigs.k8s.io/yaml, and so kubectl, emits with) writes one string: the style its encoder asks
 * for (a string that would read back as another type is double-quoted, one with a line break is a literal block,
 * any other plain), the emitter's analysis that may overrule it (yaml_emitter_analyze_scalar and
 * select_scalar_style), and the four writers, which fold long lines at a space once past column 80 (best_width).
 * Columns count characters, as the emitter does.
 */

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

/** go-yaml's preferred line width. */
const BEST_WIDTH = 80;

/** Where a scalar is written: the column it starts at and the indentation of its continuation lines. */
export interface ScalarPlace {
  column: number;
  indent: number;
  /** A mapping key written as a simple key (`key: value`): never folded, never a block. */
  simpleKey: boolean;
}

/** is_printable: the characters written as they are (a line feed counts; a tab, a BOM or an emoji does not). */
function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

function isBreak(cp: number): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/** The style go-yaml v2 writes `text` in (encoder's request, then the emitter's analysis). */
export function scalarStyle(text: string, readsAsOtherType: boolean, simpleKey: boolean): ScalarStyle {
  let style: ScalarStyle = text.includes('\n') ? 'literal' : readsAsOtherType ? 'double' : 'plain';
  const a = analyze(text);
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain' && (!a.blockPlainAllowed || (text === '' && simpleKey))) style = 'single';
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

/** yaml_emitter_analyze_scalar, for block context. */
function analyze(text: string): {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
} {
  if (text === '')
    return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  const chars = [...text];
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  chars.forEach((c, i) => {
    const cp = c.codePointAt(0)!;
    const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if ((c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace)) {
      blockIndicators = true;
    }
    if (!isPrintable(cp)) special = true;
    const last = i === chars.length - 1;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(cp)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(cp);
  });
  let blockPlainAllowed = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak);
  let singleQuotedAllowed = true;
  let blockAllowed = !trailingSpace;
  if (breakSpace) blockPlainAllowed = singleQuotedAllowed = false;
  if (spaceBreak || special) blockPlainAllowed = singleQuotedAllowed = blockAllowed = false;
  if (lineBreaks || blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/** `text` in `style`, starting at `place.column`; continuation lines start at `place.indent`. */
export function writeScalar(text: string, style: ScalarStyle, place: ScalarPlace): string {
  switch (style) {
    case 'plain':
      return writeFolded(text, place, false);
    case 'single':
      return writeFolded(text, place, true);
    case 'double':
      return writeDoubleQuoted(text, place);
    case 'literal':
      return writeLiteral(text, place.indent);
  }
}

/**
 * write_plain_scalar and write_single_quoted_scalar: past column 80, a single space before a non-space becomes a
 * line break (a quoted value's first and last characters never break); `'` doubles inside quotes.
 */
function writeFolded(text: string, place: ScalarPlace, quoted: boolean): string {
  const chars = [...text];
  let column = place.column;
  let out = '';
  if (quoted) {
    out = "'";
    column++;
  }
  let spaces = false;
  let breaks = false;
  chars.forEach((c, i) => {
    if (c === ' ') {
      const inside = !quoted || (i > 0 && i < chars.length - 1);
      if (!place.simpleKey && !spaces && column > BEST_WIDTH && inside && chars[i + 1] !== ' ') {
        out += '\n' + ' '.repeat(place.indent);
        column = place.indent;
      } else {
        out += c;
        column++;
      }
      spaces = true;
      return;
    }
    if (isBreak(c.codePointAt(0)!)) {
      // Only U+2028 and U+2029 get here (a line feed asks for a block): written as they are, a new line.
      out += c;
      column = 0;
      breaks = true;
      return;
    }
    if (breaks) {
      out += ' '.repeat(place.indent);
      column = place.indent;
    }
    const written = quoted && c === "'" ? "''" : c;
    out += written;
    column += written.length;
    spaces = false;
    breaks = false;
  });
  return quoted ? out + "'" : out;
}

/**
 * What go-yaml's reader refuses when sigs.k8s.io/yaml reads the JSON encoding/json wrote (which escapes the C0
 * controls but not DEL, the C1 controls but NEL, U+FFFE or U+FFFF): kubectl's YAML printer then fails.
 */
export function hasControlCharacters(text: string): boolean {
  return /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/.test(text);
}

/** The escapes of write_double_quoted_scalar. */
const NAMED_ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

function escape(cp: number): string {
  const named = NAMED_ESCAPES[cp];
  if (named !== undefined) return '\\' + named;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return '\\x' + hex.padStart(2, '0');
  if (cp <= 0xffff) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}

/**
 * write_double_quoted_scalar: non-printable characters, breaks, `"` and `\` escaped; past column 80 a space (not the
 * first or last character) becomes a line break, and a space that follows it is kept with `\`.
 */
function writeDoubleQuoted(text: string, place: ScalarPlace): string {
  const chars = [...text];
  let column = place.column + 1;
  let out = '"';
  let spaces = false;
  chars.forEach((c, i) => {
    const cp = c.codePointAt(0)!;
    if (!isPrintable(cp) || isBreak(cp) || c === '"' || c === '\\') {
      const escaped = escape(cp);
      out += escaped;
      column += escaped.length;
      spaces = false;
    } else if (c === ' ') {
      if (!place.simpleKey && !spaces && column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
        out += '\n' + ' '.repeat(place.indent);
        column = place.indent;
        if (chars[i + 1] === ' ') {
          out += '\\';
          column++;
        }
      } else {
        out += c;
        column++;
      }
      spaces = true;
    } else {
      out += c;
      column++;
      spaces = false;
    }
  });
  return out + '"';
}

/**
 * write_literal_scalar: `|`, an indentation hint when the text starts with a space or a break, the chomping hint
 * (`-` without a final break, none for one, `+` for more), then the lines at the indentation (empty ones empty).
 */
function writeLiteral(text: string, indent: number): string {
  const chars = [...text];
  const breakAt = (i: number) => i >= 0 && isBreak(chars[i].codePointAt(0)!);
  let head = '|';
  if (chars[0] === ' ' || breakAt(0)) head += '2';
  const last = chars.length - 1;
  if (!breakAt(last)) head += '-';
  else if (last === 0 || breakAt(last - 1)) head += '+';
  const pad = ' '.repeat(indent);
  let out = head + '\n';
  let lineStart = true;
  for (const c of chars) {
    if (isBreak(c.codePointAt(0)!)) {
      out += '\n';
      lineStart = true;
      continue;
    }
    if (lineStart) out += pad;
    out += c;
    lineStart = false;
  }
  // The printer joins lines with breaks: the last one is the next line's.
  return out.endsWith('\n') ? out.slice(0, -1) : out;
}
