import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { attachSave, EditorHooks, editorExtensions, setVim } from './cm-setup';

interface Props {
  path: string;
  text: string;
  /** Changes when `text` was replaced from outside (TabState.revision). */
  revision: number;
  label: string;
  vim: boolean;
  readOnly: boolean;
  /** Each open file's editor state (its undo history and cursor), kept while it is open in another tab. */
  states: Map<string, EditorState>;
  /** Changes when the editor should take the keyboard (a file opened from the terminal); 0 leaves focus alone. */
  focus: number;
  onChange(path: string, text: string): void;
  onSave(path: string): void;
}

/** One CodeMirror view; switching tabs swaps the file's state into it. */
export function CodeEditor({
  path,
  text,
  revision,
  label,
  vim,
  readOnly,
  states,
  focus,
  onChange,
  onSave,
}: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const shown = useRef<string>(undefined);
  const shownRevision = useRef(revision);
  const latest = useRef({ path, onChange, onSave, vim });
  latest.current = { path, onChange, onSave, vim };
  const hooks = useRef<() => EditorHooks>(() => ({
    onChange: (changed) => latest.current.onChange(latest.current.path, changed),
    onSave: () => latest.current.onSave(latest.current.path),
  }));

  useEffect(() => {
    const created = new EditorView({ parent: host.current as HTMLDivElement });
    view.current = created;
    attachSave(created, () => hooks.current().onSave());
    return () => {
      if (shown.current) states.set(shown.current, created.state);
      created.destroy();
      view.current = undefined;
      shown.current = undefined;
    };
  }, [states]);

  // A different file: keep the one shown, bring this one's state back (or start it).
  useEffect(() => {
    const current = view.current;
    if (!current || shown.current === path) return;
    if (shown.current) states.set(shown.current, current.state);
    const kept = states.get(path);
    const state =
      kept && kept.doc.toString() === text
        ? kept
        : EditorState.create({
            doc: text,
            extensions: editorExtensions({ path, label, readOnly }, hooks.current),
          });
    current.setState(state);
    shown.current = path;
    shownRevision.current = revision;
    setVim(current, latest.current.vim);
    // Only a change of file swaps the state; the text's later changes are the effect below.
  }, [path, states]);

  // Text replaced from outside (reloaded from the home, the saved version taken). Only then: the text the editor
  // itself reported comes back a render later, when the view may already hold newer keystrokes.
  useEffect(() => {
    const current = view.current;
    if (!current || shown.current !== path || shownRevision.current === revision) return;
    shownRevision.current = revision;
    const doc = current.state.doc.toString();
    if (doc !== text) current.dispatch({ changes: { from: 0, to: doc.length, insert: text } });
  }, [path, revision, text]);

  useEffect(() => {
    if (view.current) setVim(view.current, vim);
  }, [vim]);

  useEffect(() => {
    if (focus > 0) view.current?.focus();
  }, [focus, path]);

  return <div ref={host} className="code-editor" data-testid="code-editor" />;
}
