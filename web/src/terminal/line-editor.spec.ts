import { decodeInput } from './input-decoder';
import { editLine, LineEditor } from './line-editor';
import { renderLine } from './line-render';

function typed(editor: LineEditor, data: string): void {
  for (const action of decodeInput(data)) {
    if (!editLine(editor, action)) throw new Error(`unexpected action ${action.kind}`);
  }
}

describe('decodeInput', () => {
  it('reads arrow keys, home/end in both encodings and control keys', () => {
    expect(decodeInput('\x1b[A\x1b[B\x1b[C\x1b[D').map((a) => a.kind)).toEqual([
      'up',
      'down',
      'right',
      'left',
    ]);
    expect(decodeInput('\x1b[H\x1bOH\x1b[1~\x01').map((a) => a.kind)).toEqual([
      'home',
      'home',
      'home',
      'home',
    ]);
    expect(decodeInput('\x1b[F\x1bOF\x1b[4~\x05').map((a) => a.kind)).toEqual(['end', 'end', 'end', 'end']);
    expect(decodeInput('\x7f\x1b[3~\x03\x0c\t\r').map((a) => a.kind)).toEqual([
      'backspace',
      'delete',
      'interrupt',
      'clear-screen',
      'tab',
      'enter',
    ]);
  });

  it('splits a multi-line paste into text and enter actions (CRLF counts once)', () => {
    expect(decodeInput('kubectl get nodes\r\nkubectl get pods\nkubectl ver')).toEqual([
      { kind: 'text', text: 'kubectl get nodes' },
      { kind: 'enter' },
      { kind: 'text', text: 'kubectl get pods' },
      { kind: 'enter' },
      { kind: 'text', text: 'kubectl ver' },
    ]);
  });

  it('drops bracketed-paste markers and unknown escape sequences', () => {
    expect(decodeInput('\x1b[200~echo hi\x1b[201~')).toEqual([{ kind: 'text', text: 'echo hi' }]);
    expect(decodeInput('a\x1b[15~b')).toEqual([{ kind: 'text', text: 'ab' }]);
  });
});

describe('LineEditor', () => {
  it('inserts at the cursor and deletes on both sides of it', () => {
    const editor = new LineEditor();
    typed(editor, 'kubectl get pod');
    typed(editor, '\x1b[D\x1b[D\x1b[D'); // cursor before "pod"
    typed(editor, 'x');
    expect(editor.text).toBe('kubectl get xpod');
    typed(editor, '\x7f'); // backspace removes the x
    typed(editor, '\x1b[3~'); // delete removes the p
    expect(editor.text).toBe('kubectl get od');
    typed(editor, '\x1b[Hk');
    expect(editor.text).toBe('kkubectl get od');
    expect(editor.cursor).toBe(1);
    typed(editor, '\x1b[F!');
    expect(editor.text).toBe('kkubectl get od!');
  });

  it('does nothing past either end of the line', () => {
    const editor = new LineEditor();
    expect(editor.backspace()).toBe(false);
    expect(editor.left()).toBe(false);
    typed(editor, 'ab');
    expect(editor.right()).toBe(false);
    expect(editor.deleteForward()).toBe(false);
    expect(editor.text).toBe('ab');
  });

  it('treats a Chinese character or an emoji as one character', () => {
    const editor = new LineEditor();
    typed(editor, 'echo 你好😀');
    editor.backspace();
    expect(editor.text).toBe('echo 你好');
    editor.left();
    editor.insert('们');
    expect(editor.text).toBe('echo 你们好');
  });

  it('browses history with up/down and restores the draft', () => {
    const editor = new LineEditor();
    typed(editor, 'kubectl version');
    editor.take();
    typed(editor, 'kubectl get nodes');
    editor.take();
    typed(editor, 'kubectl get nodes'); // a repeat is not recorded twice
    editor.take();
    editor.take(); // nor is an empty line
    typed(editor, 'draft');
    typed(editor, '\x1b[A');
    expect(editor.text).toBe('kubectl get nodes');
    typed(editor, '\x1b[A');
    expect(editor.text).toBe('kubectl version');
    expect(editor.historyUp()).toBe(false);
    typed(editor, '\x1b[B');
    expect(editor.text).toBe('kubectl get nodes');
    typed(editor, '\x1b[B');
    expect(editor.text).toBe('draft');
    expect(editor.historyDown()).toBe(false);
  });

  it('kills words and line halves like readline', () => {
    const editor = new LineEditor();
    editor.insert('kubectl get pods  ');
    editor.deleteWordBack();
    expect(editor.text).toBe('kubectl get ');
    editor.wordLeft();
    expect(editor.cursor).toBe(8);
    editor.killToEnd();
    expect(editor.text).toBe('kubectl ');
    editor.killToStart();
    expect(editor.text).toBe('');
  });

  it('keeps at most maxHistory lines', () => {
    const editor = new LineEditor(2);
    for (const line of ['a', 'b', 'c']) editor.remember(line);
    editor.historyUp();
    editor.historyUp();
    expect(editor.text).toBe('b');
    expect(editor.historyUp()).toBe(false);
  });
});

describe('renderLine', () => {
  it('redraws a short line and puts the cursor at its column', () => {
    const render = renderLine('$ ', 'kubectl', 3, 80, 9);
    expect(render.output).toBe('\r$ kubectl\x1b[J\x1b[6G');
    expect(render.cursorCells).toBe(5);
  });

  it('goes back up to the first row of a wrapped line before redrawing', () => {
    // 10 columns: "$ " + 15 characters ends on row 1; the cursor was at the end (cell 17).
    const render = renderLine('$ ', 'abcdefghijklmno', 2, 10, 17);
    expect(render.output.startsWith('\x1b[1A\r$ abcdefghijklmno\x1b[J')).toBe(true);
    // The cursor is then moved back up one row, to column 5 of the first row.
    expect(render.output.endsWith('\x1b[1A\x1b[5G')).toBe(true);
    expect(render.cursorCells).toBe(4);
  });

  it('forces the wrap when the line ends exactly at the right margin', () => {
    const render = renderLine('$ ', 'abcdefgh', 8, 10, 0);
    expect(render.output).toBe('\r$ abcdefgh \r\x1b[J\x1b[1G');
    expect(render.cursorCells).toBe(10);
  });

  it('counts wide characters as two cells', () => {
    expect(renderLine('$ ', 'echo 你好', 7, 80, 0).cursorCells).toBe(11);
  });
});
