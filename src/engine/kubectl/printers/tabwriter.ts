/**
 * The column-aligning writer kubectl uses for `get` and `describe` (Go text/tabwriter semantics, reference §1.2).
 * Cells end at TAB; the text after a line's last TAB is never padded. Alignment happens in column blocks:
 * consecutive lines that all have a cell in a column share its width, computed recursively per block.
 */
export interface TabWriterOptions {
  minWidth: number;
  padding: number;
  /** liggitt/tabwriter's RememberWidths: later flushes never print a column narrower than before (watch mode). */
  rememberWidths?: boolean;
}

export const GET_TABLE_OPTIONS: TabWriterOptions = { minWidth: 6, padding: 3, rememberWidths: true };
export const DESCRIBE_OPTIONS: TabWriterOptions = { minWidth: 0, padding: 2 };

export class TabWriter {
  private buffer = '';
  /** Rows given as cells (writeRow) since the last flush, while nothing was written as text. */
  private rows: string[][] = [];
  private readonly rememberedWidths: number[] = [];

  constructor(private readonly options: TabWriterOptions) {}

  write(text: string): void {
    if (this.rows.length > 0) this.buffer = this.rowsAsText();
    this.buffer += text;
  }

  /**
   * One line of cells (the writer keeps the array and pads its cells in place), as write(cells.join('\t') + '\n') but without joining the cells only to split them again at
   * flush (a `get`'s table was most of what it allocated). Cells holding a TAB or a line break take the text path.
   */
  writeRow(cells: string[]): void {
    if (this.buffer === '' && cells.every(plainCell)) this.rows.push(cells);
    else this.write(cells.join('\t') + '\n');
  }

  /** Aligns everything buffered since the last flush and returns it. */
  flush(): string {
    let lines: string[][];
    let endsWithNewline = true;
    if (this.rows.length > 0) {
      lines = this.rows;
      this.rows = [];
    } else {
      const text = this.buffer;
      this.buffer = '';
      if (text === '') return '';
      endsWithNewline = text.endsWith('\n');
      lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((line) => line.split('\t'));
    }
    // Each cell but a line's last is padded in place to its block's width, then every line joined once.
    this.alignColumn(lines, 0, 0, lines.length);
    let out = '';
    for (let i = 0; i < lines.length; i++) out += i > 0 ? '\n' + lines[i].join('') : lines[i].join('');
    return endsWithNewline ? out + '\n' : out;
  }

  private rowsAsText(): string {
    const text = this.rows.map((cells) => cells.join('\t') + '\n').join('');
    this.rows = [];
    return text;
  }

  /** Pads column `column` of lines [from, to) block by block; a block's later columns are aligned within it. Reads
   *  only columns from `column` on, so the cells it has padded are never measured again. */
  private alignColumn(lines: string[][], column: number, from: number, to: number): void {
    let line = from;
    while (line < to) {
      if (column >= lines[line].length - 1) {
        line++;
        continue;
      }
      const blockStart = line;
      let width = this.options.minWidth;
      while (line < to && column < lines[line].length - 1) {
        width = Math.max(width, runeLength(lines[line][column]) + this.options.padding);
        line++;
      }
      if (this.options.rememberWidths) {
        width = Math.max(width, this.rememberedWidths[column] ?? 0);
        this.rememberedWidths[column] = width;
      }
      this.alignColumn(lines, column + 1, blockStart, line);
      for (let i = blockStart; i < line; i++) {
        const cell = lines[i][column];
        lines[i][column] = cell + spaces(width - runeLength(cell));
      }
    }
  }
}

/** Code points, as Go counts runes (a lone surrogate counts as one), without iterating the string. */
export function runeLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

const plainCell = (cell: string) => cell.indexOf('\t') < 0 && cell.indexOf('\n') < 0;

/** Runs of spaces by length, made once: padding every cell was the next biggest allocation of a table. */
const SPACES: string[] = [];
function spaces(count: number): string {
  if (!(count > 0)) return '';
  if (count > 256) return ' '.repeat(count);
  for (let n = SPACES.length; n <= count; n++) SPACES.push(' '.repeat(n));
  return SPACES[count];
}

/** Aligns a complete text in one go. */
export function alignTabs(text: string, options: TabWriterOptions): string {
  const writer = new TabWriter(options);
  writer.write(text);
  return writer.flush();
}
