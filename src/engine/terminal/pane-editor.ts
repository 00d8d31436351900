/**
 * The page's editor pane as an interactive run's TextEditor (`kubectl edit`), wherever the run executes: opening a
 * buffer is announced through `open` (the worker sends it to the session's room as command.editor; the Docker
 * node agent sends it to the driver as an `editor` reply), and the run waits until the student closes the buffer,
 * when its text comes back through closed(). Ctrl-C (the signal) aborts the wait.
 */
import { abortError } from './input';
import type { EditorFile, TextEditor } from './text-editor';

export class PaneEditor implements TextEditor {
  private waiting: { resolve: (text: string) => void } | undefined;
  /** Whether the run has opened a buffer at all (only then is there one to forget when it ends). */
  opened = false;

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
      this.opened = true;
      this.open(file);
    });
  }

  /**
   * The student closed the pane with `text`; ignored when no buffer is open (a late or repeated save). Answers
   * whether a buffer was open.
   */
  closed(text: string): boolean {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(text);
    return waiting !== undefined;
  }
}
