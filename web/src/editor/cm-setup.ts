/**
 * The CodeMirror 6 extensions of the editor pane: YAML highlighting, schema-aware completion, hover docs and
 * inline errors from the engine's Kubernetes 1.30 schemas, Ctrl-S (and vim's `:w`) to save, vim bindings when the
 * student turns them on. Manifests are the files named *.yaml, *.yml or *.json.
 */
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { yaml, yamlLanguage } from '@codemirror/lang-yaml';
import { linter, type Diagnostic } from '@codemirror/lint';
import { Compartment, Extension, Prec } from '@codemirror/state';
import { EditorView, hoverTooltip, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { checkManifests, manifestApiVersions } from './manifest-check';
import { completeManifest, schemaAt } from './manifest-complete';
import { knownSchema, loadSchemas } from './schema-cache';
import { documentHeader, keyAt } from './yaml-context';

export interface EditorHooks {
  onChange(text: string): void;
  onSave(): void;
}

export const vimMode = new Compartment();

/** The save action of each view, for vim's `:w`, which is defined once for every editor. */
const saveOf = new WeakMap<EditorView, () => void>();
type VimModule = typeof import('@replit/codemirror-vim');
let vimModule: Promise<VimModule> | undefined;

/** The vim bindings load on first use (their own chunk), with `:w` and `:up` saving. */
function loadVim(): Promise<VimModule> {
  vimModule ??= import('@replit/codemirror-vim').then((loaded) => {
    const write = (cm: { cm6?: EditorView }) => {
      if (cm.cm6) saveOf.get(cm.cm6)?.();
    };
    loaded.Vim.defineEx('write', 'w', write);
    loaded.Vim.defineEx('update', 'up', write);
    return loaded;
  });
  return vimModule;
}

export function isManifest(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path);
}

async function lint(view: EditorView): Promise<Diagnostic[]> {
  const text = view.state.doc.toString();
  await loadSchemas(manifestApiVersions(text));
  // The text may have changed while the schemas loaded: the linter runs again after each change anyway.
  const length = view.state.doc.length;
  return checkManifests(text, knownSchema)
    .filter((issue) => issue.to <= length)
    .map((issue) => ({
      from: issue.from,
      to: issue.to,
      severity: issue.severity,
      message: issue.message,
      source: 'kubernetes',
    }));
}

/** Synchronous once the document's schema is loaded, so the list follows every keystroke at once. */
function complete(context: CompletionContext): CompletionResult | null | Promise<CompletionResult | null> {
  const text = context.state.doc.toString();
  const { apiVersion } = documentHeader(text, context.pos);
  if (apiVersion && knownSchema(apiVersion) === undefined)
    return loadSchemas([apiVersion]).then(() => completionsAt(context, text));
  return completionsAt(context, text);
}

function completionsAt(context: CompletionContext, text: string): CompletionResult | null {
  const result = completeManifest(text, context.pos, knownSchema);
  if (!result || result.options.length === 0) return null;
  // Offered as the student types a word, or on Ctrl-Space anywhere.
  if (!context.explicit && result.from === context.pos && !/[:-]\s$/.test(text.slice(0, context.pos)))
    return null;
  const labels = new Set(result.options.map((o) => o.label));
  return {
    from: result.from,
    options: result.options.map((o) => ({
      label: o.label,
      type: o.type,
      detail: o.detail,
      info: o.info,
      apply: o.apply,
    })),
    // Asked again once a value is typed in full, which closes the list (Enter then ends the line).
    validFor: (typed) => /^[\w./-]*$/.test(typed) && !(result.value && labels.has(typed)),
  };
}

/** `kubectl explain` for the field under the pointer. */
const hoverDocs = hoverTooltip((view, pos) => {
  const text = view.state.doc.toString();
  const found = keyAt(text, pos);
  if (!found) return null;
  const { apiVersion, kind } = documentHeader(text, pos);
  const index = apiVersion ? knownSchema(apiVersion) : undefined;
  const top = index && kind ? index.kind(apiVersion as string, kind) : undefined;
  const field = index && top ? schemaAt(index, top, [...found.path, found.key]) : undefined;
  if (!index || !field) return null;
  const line = view.state.doc.lineAt(pos);
  const start = line.text.indexOf(found.key);
  const fieldPath = [kind?.toLowerCase(), ...found.path.filter((s) => s !== '[]'), found.key].join('.');
  return {
    pos: start >= 0 ? line.from + start : pos,
    end: start >= 0 ? line.from + start + found.key.length : pos,
    above: true,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'cm-field-doc';
      const head = document.createElement('div');
      head.className = 'cm-field-doc-head';
      head.textContent = `${fieldPath} <${index.goType(field)}>`;
      const body = document.createElement('div');
      body.textContent = field.description ?? '';
      dom.append(head, body);
      return { dom };
    },
  };
});

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': { fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace' },
  '.cm-field-doc': { maxWidth: '480px', padding: '6px 8px', whiteSpace: 'pre-wrap' },
  '.cm-field-doc-head': { fontWeight: 'bold', marginBottom: '4px' },
});

export interface EditorOptions {
  path: string;
  /** The editor's accessible name. */
  label: string;
  readOnly: boolean;
}

export function editorExtensions(
  { path, label, readOnly }: EditorOptions,
  hooks: () => EditorHooks,
): Extension[] {
  const manifest = isManifest(path);
  return [
    // Vim's keys come before every other keymap, as its docs ask (setVim fills this in).
    vimMode.of([]),
    Prec.highest(
      keymap.of([
        {
          key: 'Mod-s',
          preventDefault: true,
          run: () => {
            hooks().onSave();
            return true;
          },
        },
      ]),
    ),
    basicSetup,
    theme,
    EditorView.lineWrapping,
    EditorView.editable.of(!readOnly),
    ...(manifest
      ? [yaml(), yamlLanguage.data.of({ autocomplete: complete }), linter(lint, { delay: 400 }), hoverDocs]
      : []),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) hooks().onChange(update.state.doc.toString());
    }),
    EditorView.contentAttributes.of({ 'aria-label': label }),
  ];
}

/** Registers the view's save for vim's `:w`. */
export function attachSave(view: EditorView, save: () => void): void {
  saveOf.set(view, save);
}

/** Turns vim bindings on or off in a view (loading them the first time). */
export function setVim(view: EditorView, on: boolean): void {
  if (!on) {
    view.dispatch({ effects: vimMode.reconfigure([]) });
    return;
  }
  void loadVim().then(
    (loaded) => view.dispatch({ effects: vimMode.reconfigure(loaded.vim()) }),
    () => undefined,
  );
}
