import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { PlacedProblem } from './problem-lines';

interface Props {
  path: string;
  text: string;
  /** Changes when `text` was replaced from outside the editor (DraftState.external). */
  external: number;
  label: string;
  problems: PlacedProblem[];
  /** A line to show and put the cursor on (a problem picked in the list); `nonce` repeats the same line. */
  reveal?: { path: string; line: number; nonce: number };
  onChange(path: string, text: string): void;
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': { fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace' },
});

function extensions(path: string, label: string, onChange: (text: string) => void): Extension[] {
  return [
    basicSetup,
    theme,
    EditorView.lineWrapping,
    lintGutter(),
    ...(/\.ya?ml$/i.test(path) ? [yaml()] : []),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange(update.state.doc.toString());
    }),
    EditorView.contentAttributes.of({ 'aria-label': label }),
  ];
}

/** The loader's problems as CodeMirror diagnostics: gutter marker and underline on each problem's line. */
function diagnostics(state: EditorState, problems: PlacedProblem[]): Diagnostic[] {
  return problems.map(({ problem, line }) => {
    const at = state.doc.line(Math.min(line, state.doc.lines));
    const indent = at.text.length - at.text.trimStart().length;
    return {
      from: at.from + indent,
      to: Math.max(at.to, at.from + indent),
      severity: 'error',
      source: problem.field ?? problem.step ?? 'lab',
      message: problem.message,
    };
  });
}

/**
 * A lab file in CodeMirror (the student workspace's editor: the same basic setup and YAML mode), one view
 * whose state is swapped per file so each tab keeps its undo history and cursor.
 */
export function LabFileEditor({ path, text, external, label, problems, reveal, onChange }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const states = useRef(new Map<string, EditorState>());
  const shown = useRef<{ path: string; external: number }>(undefined);
  const latest = useRef({ path, onChange });
  latest.current = { path, onChange };

  useEffect(() => {
    const created = new EditorView({ parent: host.current as HTMLDivElement });
    view.current = created;
    return () => {
      created.destroy();
      view.current = undefined;
      shown.current = undefined;
    };
  }, []);

  // Another file, or this one's text replaced from outside: swap states or replace the text.
  useEffect(() => {
    const current = view.current;
    if (!current) return;
    if (shown.current?.path !== path) {
      if (shown.current) states.current.set(shown.current.path, current.state);
      const kept = states.current.get(path);
      current.setState(
        kept && kept.doc.toString() === text
          ? kept
          : EditorState.create({
              doc: text,
              extensions: extensions(path, label, (changed) => latest.current.onChange(path, changed)),
            }),
      );
      shown.current = { path, external };
    } else if (shown.current.external !== external) {
      shown.current = { path, external };
      const doc = current.state.doc.toString();
      if (doc !== text) current.dispatch({ changes: { from: 0, to: doc.length, insert: text } });
    }
    // Only a change of file or an outside replacement matters; the editor's own keystrokes come back as `text`.
  }, [path, external]);

  useEffect(() => {
    const current = view.current;
    if (current) current.dispatch(setDiagnostics(current.state, diagnostics(current.state, problems)));
  }, [problems, path, external]);

  useEffect(() => {
    const current = view.current;
    if (!current || !reveal || reveal.path !== path) return;
    const line = current.state.doc.line(Math.min(Math.max(1, reveal.line), current.state.doc.lines));
    current.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
    current.focus();
  }, [reveal, path]);

  return (
    <div ref={host} className="code-editor lab-file-editor" data-testid="lab-file-editor" data-path={path} />
  );
}
