/**
 * Splits a command line into words the way a POSIX shell would for simple lines: blanks separate words,
 * quotes group, backslash escapes. Enough for completion and for reading commands back; the server's
 * terminal does the real parsing.
 */
export interface ShellWords {
  words: string[];
  /** Offset in the line where each word starts. */
  starts: number[];
  /** The line ends inside an open quote. */
  openQuote: boolean;
  /** The line ends with a blank, i.e. a new word would start at the end. */
  endsWithBlank: boolean;
}

export function splitWords(line: string): ShellWords {
  const words: string[] = [];
  const starts: number[] = [];
  let current: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += char;
      continue;
    }
    if (char === ' ' || char === '\t') {
      if (current !== undefined) words.push(current);
      current = undefined;
      continue;
    }
    if (current === undefined) {
      current = '';
      starts.push(i);
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '\\' && i + 1 < line.length) current += line[++i];
    else current += char;
  }
  if (current !== undefined) words.push(current);
  const last = line[line.length - 1];
  return {
    words,
    starts,
    openQuote: quote !== undefined,
    endsWithBlank: line === '' || last === ' ' || last === '\t',
  };
}

/** The words of the last pipeline stage of a line (after the last unquoted `|`), with their offsets. */
export function lastStage(line: string): { text: string; offset: number } {
  let quote: string | undefined;
  let stageStart = 0;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '\\') i++;
    else if (char === '|') stageStart = i + 1;
  }
  return { text: line.slice(stageStart), offset: stageStart };
}
