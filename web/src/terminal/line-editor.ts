import type { InputAction } from './input-decoder';
/**
 * The command line being typed: text, cursor and history, without any terminal I/O.
 * Text is kept as an array of characters (code points) so the cursor never splits a surrogate pair.
 */
export class LineEditor {
  private chars: string[] = [];
  private cursorIndex = 0;
  private readonly history: string[] = [];
  /** Position while browsing history; equal to history.length when editing the new line. */
  private historyIndex = 0;
  /** The line that was being typed before browsing history, restored when coming back down. */
  private draft = '';

  constructor(private readonly maxHistory = 500) {}

  get text(): string {
    return this.chars.join('');
  }

  get cursor(): number {
    return this.cursorIndex;
  }

  /** The text left of the cursor (what completion looks at). */
  get beforeCursor(): string {
    return this.chars.slice(0, this.cursorIndex).join('');
  }

  insert(text: string): void {
    const added = [...text];
    this.chars.splice(this.cursorIndex, 0, ...added);
    this.cursorIndex += added.length;
  }

  /** Replaces the line (used by history and by programmatic edits); the cursor goes to the end. */
  setText(text: string): void {
    this.chars = [...text];
    this.cursorIndex = this.chars.length;
  }

  backspace(): boolean {
    if (this.cursorIndex === 0) return false;
    this.chars.splice(this.cursorIndex - 1, 1);
    this.cursorIndex -= 1;
    return true;
  }

  deleteForward(): boolean {
    if (this.cursorIndex >= this.chars.length) return false;
    this.chars.splice(this.cursorIndex, 1);
    return true;
  }

  left(): boolean {
    if (this.cursorIndex === 0) return false;
    this.cursorIndex -= 1;
    return true;
  }

  right(): boolean {
    if (this.cursorIndex >= this.chars.length) return false;
    this.cursorIndex += 1;
    return true;
  }

  home(): void {
    this.cursorIndex = 0;
  }

  end(): void {
    this.cursorIndex = this.chars.length;
  }

  wordLeft(): void {
    let i = this.cursorIndex;
    while (i > 0 && this.chars[i - 1] === ' ') i--;
    while (i > 0 && this.chars[i - 1] !== ' ') i--;
    this.cursorIndex = i;
  }

  wordRight(): void {
    let i = this.cursorIndex;
    while (i < this.chars.length && this.chars[i] === ' ') i++;
    while (i < this.chars.length && this.chars[i] !== ' ') i++;
    this.cursorIndex = i;
  }

  killToStart(): void {
    this.chars.splice(0, this.cursorIndex);
    this.cursorIndex = 0;
  }

  killToEnd(): void {
    this.chars.splice(this.cursorIndex);
  }

  /** Ctrl-W: removes the word left of the cursor and the blanks after it, like readline. */
  deleteWordBack(): void {
    const end = this.cursorIndex;
    this.wordLeft();
    this.chars.splice(this.cursorIndex, end - this.cursorIndex);
  }

  /** Ends the line: returns its text, empties the editor and records the text in history. */
  take(): string {
    const line = this.text;
    this.remember(line);
    this.chars = [];
    this.cursorIndex = 0;
    this.draft = '';
    this.historyIndex = this.history.length;
    return line;
  }

  /** Drops the line without running it (Ctrl-C at the prompt). */
  discard(): void {
    this.chars = [];
    this.cursorIndex = 0;
    this.draft = '';
    this.historyIndex = this.history.length;
  }

  /** Adds a line to history (also for lines restored from the server); blank lines and repeats are skipped. */
  remember(line: string): void {
    if (line.trim() === '' || this.history[this.history.length - 1] === line) return;
    this.history.push(line);
    if (this.history.length > this.maxHistory) this.history.shift();
    this.historyIndex = this.history.length;
  }

  historyUp(): boolean {
    if (this.historyIndex === 0) return false;
    if (this.historyIndex === this.history.length) this.draft = this.text;
    this.historyIndex -= 1;
    this.setText(this.history[this.historyIndex]);
    return true;
  }

  historyDown(): boolean {
    if (this.historyIndex >= this.history.length) return false;
    this.historyIndex += 1;
    this.setText(this.historyIndex === this.history.length ? this.draft : this.history[this.historyIndex]);
    return true;
  }

  /** Replaces the characters from `start` to the cursor (a completion of the word being typed). */
  replaceBeforeCursor(start: number, replacement: string): void {
    const added = [...replacement];
    this.chars.splice(start, this.cursorIndex - start, ...added);
    this.cursorIndex = start + added.length;
  }
}

/** The editing keys, each the LineEditor method it calls. */
const EDITING: Partial<Record<InputAction['kind'], (editor: LineEditor) => void>> = {
  backspace: (editor) => editor.backspace(),
  delete: (editor) => editor.deleteForward(),
  left: (editor) => editor.left(),
  right: (editor) => editor.right(),
  home: (editor) => editor.home(),
  end: (editor) => editor.end(),
  'word-left': (editor) => editor.wordLeft(),
  'word-right': (editor) => editor.wordRight(),
  up: (editor) => editor.historyUp(),
  down: (editor) => editor.historyDown(),
  'kill-to-start': (editor) => editor.killToStart(),
  'kill-to-end': (editor) => editor.killToEnd(),
  'delete-word-back': (editor) => editor.deleteWordBack(),
};

/**
 * Applies an action that only edits the line (typing, cursor moves, deletions, history); false for
 * the actions the terminal itself handles (enter, tab, Ctrl-C, Ctrl-L, end of input).
 */
export function editLine(editor: LineEditor, action: InputAction): boolean {
  if (action.kind === 'text') {
    editor.insert(action.text);
    return true;
  }
  const edit = EDITING[action.kind];
  if (!edit) return false;
  edit(editor);
  return true;
}
