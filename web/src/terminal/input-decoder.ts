/**
 * Turns what xterm.js reports as typed (onData: keys as VT sequences, or a whole pasted text) into
 * editing actions. Pasted text keeps its line breaks as `enter` actions, so a multi-line paste
 * runs line by line.
 */
export type InputAction =
  | { kind: 'text'; text: string }
  | {
      kind:
        | 'enter'
        | 'backspace'
        | 'delete'
        | 'left'
        | 'right'
        | 'home'
        | 'end'
        | 'up'
        | 'down'
        | 'tab'
        | 'interrupt'
        | 'clear-screen'
        | 'kill-to-start'
        | 'kill-to-end'
        | 'delete-word-back'
        | 'word-left'
        | 'word-right'
        | 'eof';
    };

type KeyKind = Exclude<InputAction, { kind: 'text' }>['kind'];

const SEQUENCES: [string, KeyKind][] = [
  ['\x1b[1;5D', 'word-left'],
  ['\x1b[1;5C', 'word-right'],
  ['\x1b[1;3D', 'word-left'],
  ['\x1b[1;3C', 'word-right'],
  ['\x1bb', 'word-left'],
  ['\x1bf', 'word-right'],
  ['\x1b[3~', 'delete'],
  ['\x1b[1~', 'home'],
  ['\x1b[4~', 'end'],
  ['\x1b[7~', 'home'],
  ['\x1b[8~', 'end'],
  ['\x1b[A', 'up'],
  ['\x1b[B', 'down'],
  ['\x1b[C', 'right'],
  ['\x1b[D', 'left'],
  ['\x1b[H', 'home'],
  ['\x1b[F', 'end'],
  ['\x1bOA', 'up'],
  ['\x1bOB', 'down'],
  ['\x1bOC', 'right'],
  ['\x1bOD', 'left'],
  ['\x1bOH', 'home'],
  ['\x1bOF', 'end'],
];

const CONTROL_KEYS: Record<string, KeyKind> = {
  '\r': 'enter',
  '\n': 'enter',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\t': 'tab',
  '\x03': 'interrupt',
  '\x0c': 'clear-screen',
  '\x15': 'kill-to-start',
  '\x0b': 'kill-to-end',
  '\x17': 'delete-word-back',
  '\x01': 'home',
  '\x05': 'end',
  '\x02': 'left',
  '\x06': 'right',
  '\x10': 'up',
  '\x0e': 'down',
  '\x04': 'eof',
};

const BRACKETED_PASTE_START = '\x1b[200~';
const BRACKETED_PASTE_END = '\x1b[201~';

export function decodeInput(data: string): InputAction[] {
  const actions: InputAction[] = [];
  let text = '';
  const flushText = () => {
    if (text) actions.push({ kind: 'text', text });
    text = '';
  };
  const push = (kind: KeyKind) => {
    flushText();
    actions.push({ kind } as InputAction);
  };

  let i = 0;
  while (i < data.length) {
    if (data.startsWith(BRACKETED_PASTE_START, i) || data.startsWith(BRACKETED_PASTE_END, i)) {
      i += BRACKETED_PASTE_START.length;
      continue;
    }
    const char = data[i];
    if (char === '\x1b') {
      const match = SEQUENCES.find(([sequence]) => data.startsWith(sequence, i));
      if (match) {
        push(match[1]);
        i += match[0].length;
      } else {
        i += unknownSequenceLength(data, i);
      }
      continue;
    }
    if (char === '\r' && data[i + 1] === '\n') {
      push('enter');
      i += 2;
      continue;
    }
    const control = CONTROL_KEYS[char];
    if (control) push(control);
    else if (char >= ' ') text += char;
    // Other control characters have no meaning in this terminal and are dropped.
    i += 1;
  }
  flushText();
  return actions;
}

/** Skips an escape sequence this terminal does not handle (CSI ... final byte, or ESC + one char). */
function unknownSequenceLength(data: string, start: number): number {
  if (data[start + 1] === '[') {
    let end = start + 2;
    while (end < data.length && !/[@-~]/.test(data[end])) end++;
    return end - start + 1;
  }
  return Math.min(2, data.length - start);
}
