/**
 * The bordered table minikube prints with olekukonko/tablewriter v0.0.5: upper-case headers centred, cells
 * left-aligned (numbers right-aligned), a cell wider than 30 columns wrapped at word boundaries with minimal raggedness, widths measured in
 * terminal columns (an emoji such as ✅ takes two).
 */
const MAX_CELL_WIDTH = 30;
/** Penalty tablewriter adds to a line that is longer than the limit (only when one word is longer). */
const TOO_LONG_PENALTY = 1e5;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return width;
}

/** East Asian wide characters and emoji presentation symbols (the ones minikube prints). */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    code === 0x2705 ||
    code === 0x274c ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x1f300 && code <= 0x1faff)
  );
}

/** tablewriter's WrapString: words into lines of at most `limit` columns, minimising the squared slack. */
export function wrapCell(text: string, limit: number): string[] {
  const words = text.split(' ');
  for (const w of words) limit = Math.max(limit, displayWidth(w));
  const n = words.length;
  const length = (i: number, j: number) =>
    words.slice(i, j + 1).reduce((sum, w) => sum + displayWidth(w), 0) + (j - i);
  const cost = new Array<number>(n).fill(Number.MAX_SAFE_INTEGER);
  const breakAt = new Array<number>(n).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    if (length(i, n - 1) <= limit) {
      cost[i] = 0;
      breakAt[i] = n;
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      const line = length(i, j - 1);
      const slack = limit - line;
      const c = slack * slack + cost[j] + (line > limit ? TOO_LONG_PENALTY : 0);
      if (c < cost[i]) {
        cost[i] = c;
        breakAt[i] = j;
      }
    }
  }
  const lines: string[] = [];
  for (let i = 0; i < n; i = breakAt[i]) lines.push(words.slice(i, breakAt[i]).join(' '));
  return lines;
}

function padRight(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** tablewriter's ALIGN_DEFAULT: numbers to the right, everything else to the left. */
function align(text: string, width: number): string {
  if (!NUMBER.test(text)) return padRight(text, width);
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}
const NUMBER = /^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$/;

function centre(text: string, width: number): string {
  const gap = Math.max(0, width - displayWidth(text));
  const left = Math.floor(gap / 2);
  return ' '.repeat(left) + text + ' '.repeat(gap - left);
}

/**
 * tablewriter's parseDimension with AutoWrapText and ReflowText on (the defaults): a cell's lines are joined into one
 * paragraph and wrapped again at the width of its longest line, capped at 30 columns. A one-line cell up to 30
 * columns stays as it is; minikube joins several URLs with newlines and gets one per line.
 */
function cellLines(cell: string): string[] {
  const lines = cell.split('\n');
  const limit = Math.min(MAX_CELL_WIDTH, Math.max(...lines.map(displayWidth)));
  return wrapCell(lines.join(' '), limit);
}

/**
 * The whole table. A row may have fewer cells than there are headers: tablewriter prints only the cells it has (the
 * line stops early), as in `minikube service list`'s "No node port" rows.
 */
export function renderTable(headers: string[], rows: string[][]): string {
  const cells = rows.map((row) => row.map(cellLines));
  const widths = headers.map((h, c) =>
    Math.max(displayWidth(h), ...cells.map((row) => (row[c] ? Math.max(...row[c].map(displayWidth)) : 0))),
  );
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`;
  let out = rule + `|${headers.map((h, c) => ` ${centre(h.toUpperCase(), widths[c])} `).join('|')}|\n` + rule;
  for (const row of cells) {
    const height = Math.max(...row.map((lines) => lines.length));
    for (let line = 0; line < height; line++)
      out += `|${row.map((lines, c) => ` ${align(lines[line] ?? '', widths[c])} `).join('|')}|\n`;
  }
  return out + rule;
}
