/**
 * The page's editor pane as an interactive run's TextEditor (`kubectl edit`): opening a buffer is announced to the
 * session's room (command.editor), and the run waits until the student closes it, when the pane's text comes back
 * as typed input does (command.input with `edited`, through the run signals). Ctrl-C aborts the wait.
 */
import type { EditorFile, TextEditor } from '../engine/terminal/text-editor';

function abortError(): Error {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}

export class EditorPane implements TextEditor {
  private waiting: { resolve: (text: string) => void } | undefined;

  constructor(private readonly open: (file: EditorFile) => void) {}

  edit(file: EditorFile, signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiting = undefined;
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting = {
        resolve: (text) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(text);
        },
      };
      this.open(file);
    });
  }

  /** The student closed the pane with `text`; ignored when no buffer is open (a late or repeated save). */
  closed(text: string): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(text);
  }
}
