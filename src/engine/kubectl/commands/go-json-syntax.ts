/**
 * encoding/json's syntax error for a text that is not JSON (its scanner's first complaint): `invalid character 'b'
 * looking for beginning of object key string`, `unexpected end of JSON input`. Undefined for valid JSON. Covers what a
 * typed flag value holds (objects, arrays, strings, numbers, literals); string escapes are checked loosely.
 */
export function goJsonSyntaxError(text: string): string | undefined {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const bad = (context: string) => {
    if (i >= text.length) throw new Stop('unexpected end of JSON input');
    throw new Stop(`invalid character ${quoteChar(text[i])} ${context}`);
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') bad('looking for beginning of object key string');
        string();
        space();
        if (text[i] !== ':') bad('after object key');
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else bad('after object key:value pair');
      }
    }
    if (ch === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else bad('after array element');
      }
    }
    if (ch === '"') return string();
    const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (literal) return void (i += literal[0].length);
    bad('looking for beginning of value');
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) throw new Stop('unexpected end of JSON input');
    i++;
  };
  try {
    value();
    space();
    if (i < text.length) bad('after top-level value');
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return error.message;
    throw error;
  }
}

class Stop extends Error {}

/** Go's quoteChar: `'x'`, with `'\''` and `'"'` as it writes them. */
function quoteChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  return `'${ch}'`;
}
