import { textWidth } from './text-width';

/**
 * Redraws a prompt and an edited line in place, also when the line wraps over several rows.
 * `previousCursorCells` is where the cursor was, counted in cells from the start of the prompt;
 * the result says where it is now, for the next redraw.
 */
export interface LineRender {
  output: string;
  cursorCells: number;
}

export function renderLine(
  prompt: string,
  text: string,
  cursorChars: number,
  columns: number,
  previousCursorCells: number,
): LineRender {
  const cols = Math.max(1, columns);
  let output = moveUp(Math.floor(previousCursorCells / cols)) + '\r';
  const endCells = textWidth(prompt) + textWidth(text);
  output += prompt + text;
  // At the exact end of a row xterm keeps the cursor on that row ("pending wrap"); a space and a
  // carriage return put it at the start of the next row, where the arithmetic below expects it.
  if (endCells > 0 && endCells % cols === 0) output += ' \r';
  output += '\x1b[J';
  const cursorCells = textWidth(prompt) + textWidth([...text].slice(0, cursorChars).join(''));
  const rowsUp = Math.floor(endCells / cols) - Math.floor(cursorCells / cols);
  output += moveUp(rowsUp);
  output += `\x1b[${(cursorCells % cols) + 1}G`;
  return { output, cursorCells };
}

/** Cells from the cursor to the end of the line's last row: how far to move before printing below it. */
export function rowsBelowCursor(prompt: string, text: string, cursorCells: number, columns: number): number {
  const cols = Math.max(1, columns);
  const endCells = textWidth(prompt) + textWidth(text);
  return Math.floor(endCells / cols) - Math.floor(cursorCells / cols);
}

function moveUp(rows: number): string {
  return rows > 0 ? `\x1b[${rows}A` : '';
}
