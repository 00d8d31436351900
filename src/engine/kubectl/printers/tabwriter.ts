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
  private readonly rememberedWidths: number[] = [];

  constructor(private readonly options: TabWriterOptions) {}

  write(text: string): void {
    this.buffer += text;
  }

  /** Aligns everything buffered since the last flush and returns it. */
  flush(): string {
    const text = this.buffer;
    this.buffer = '';
    if (text === '') return '';
    const endsWithNewline = text.endsWith('\n');
    const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((line) => line.split('\t'));
    const widths: number[][] = lines.map(() => []);
    this.alignColumn(lines, widths, 0, 0, lines.length);
    const out = lines.map((cells, i) =>
      cells
        .map((cell, j) => (j < cells.length - 1 ? cell + ' '.repeat(widths[i][j] - runeLength(cell)) : cell))
        .join(''),
    );
    return out.join('\n') + (endsWithNewline ? '\n' : '');
  }

  private alignColumn(lines: string[][], widths: number[][], column: number, from: number, to: number): void {
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
      for (let i = blockStart; i < line; i++) widths[i][column] = width;
      this.alignColumn(lines, widths, column + 1, blockStart, line);
    }
  }
}

export function runeLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Aligns a complete text in one go. */
export function alignTabs(text: string, options: TabWriterOptions): string {
  const writer = new TabWriter(options);
  writer.write(text);
  return writer.flush();
}
