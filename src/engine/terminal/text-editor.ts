/**
 * Where `kubectl edit` opens its buffer. The web page attaches its editor pane (TerminalIO.editor); the lab's own
 * editor programs, chosen as kubectl chooses its editor (KUBE_EDITOR, then EDITOR), serve transcripts, tests and
 * students without the page: `cat` shows the buffer and saves nothing, `true` saves nothing, `cp FILE` saves the
 * text of FILE (a file of the home) over the buffer.
 */
import { abortError } from './input';

/** A file opened in the editor: kubectl's temporary file name and the text it holds. */
export interface EditorFile {
  name: string;
  text: string;
}

export interface TextEditor {
  /**
   * Opens `file` for the student; resolves with the text as saved when the editor is closed (the text it was
   * given when nothing was saved). Rejects with an AbortError when `signal` aborts (Ctrl-C).
   */
  edit(file: EditorFile, signal?: AbortSignal): Promise<string>;
}

/** The editor could not be started (kubectl's `unable to launch the editor "X"`); `message` is kubectl's. */
export class EditorError extends Error {}

/** Editor names that mean the lab page's editor pane (what a student would set for a full-screen editor). */
const PANE_EDITORS = ['vim', 'vi', 'nano', 'vim.basic', 'vim.tiny', 'editor'];

export interface EditorContext {
  /** KUBE_EDITOR, else EDITOR, as the student set them (undefined when neither is set or both are empty). */
  setting: string | undefined;
  /** The page's editor pane, when one is attached to this run. */
  pane?: TextEditor;
  stdout(chunk: string): void;
  stderr(chunk: string): void;
  /** The text of a home file, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
}

/**
 * The editor `kubectl edit` uses: the program KUBE_EDITOR or EDITOR names, else the page's editor pane; undefined
 * when there is none (no pane attached and no setting).
 */
export function chooseEditor(ctx: EditorContext): TextEditor | undefined {
  const setting = ctx.setting?.trim();
  if (!setting || PANE_EDITORS.includes(setting.split(/\s+/)[0].replace(/^.*\//, ''))) return ctx.pane;
  const words = setting.split(/\s+/);
  const program = words[0].replace(/^\/(usr\/)?bin\//, '');
  return {
    edit(file, signal) {
      if (signal?.aborted) return Promise.reject(abortError());
      if (program === 'cat' && words.length === 1) {
        ctx.stdout(file.text);
        return Promise.resolve(file.text);
      }
      if ((program === 'true' || program === ':') && words.length === 1) return Promise.resolve(file.text);
      if (program === 'cp' && words.length === 2) {
        const text = ctx.readFile(words[1]);
        // cp's own complaint goes to the terminal, then kubectl reports the editor's failure.
        if (text === undefined) {
          ctx.stderr(`cp: cannot stat '${words[1]}': No such file or directory\n`);
          return Promise.reject(new EditorError(`there was a problem with the editor "${setting}"`));
        }
        return Promise.resolve(text);
      }
      return Promise.reject(new EditorError(`unable to launch the editor "${setting}"`));
    },
  };
}
