/**
 * One open file of the editor pane and what it knows of the copy in the home: the text as last loaded or saved
 * (`saved`) and its version (`base`, what a save says it changes). A save of a file someone else changed meanwhile
 * (the terminal, another browser tab) is refused by the API with the newer copy; a change announced by `home.changed`
 * reloads a tab with nothing unsaved and puts a conflict banner on one that has. The student then keeps their text
 * (the next save overwrites the newer copy) or takes the newer copy.
 */
import type { HomeVersion } from './home-files';

export type TabStatus = 'clean' | 'dirty' | 'saving' | 'conflict';

export interface TabState {
  path: string;
  /** What the editor holds now. */
  text: string;
  /** The home's copy as this tab last loaded or saved it; '' for a file not created yet. */
  saved: string;
  /** The version of that copy; null while the file does not exist yet. */
  base: HomeVersion | null;
  status: TabStatus;
  /** The text a save in flight sends. */
  saving?: string;
  /** The newer copy found in the home (text null: it was deleted). */
  theirs?: { version: HomeVersion | null; text: string | null };
  /** Why the last save failed (too large, offline…). */
  error?: string;
}

export type TabEvent =
  | { type: 'edited'; text: string }
  | { type: 'save-started' }
  | { type: 'saved'; version: HomeVersion }
  | { type: 'save-conflict'; version: HomeVersion | null; text: string | null }
  | { type: 'save-failed'; message: string }
  /** The home's copy as read after a `home.changed` (text null: the file is gone). */
  | { type: 'remote'; version: HomeVersion | null; text: string | null }
  | { type: 'keep-mine' }
  | { type: 'take-theirs' };

export function openedTab(path: string, file: { text: string; version: HomeVersion } | null): TabState {
  const text = file?.text ?? '';
  return { path, text, saved: text, base: file?.version ?? null, status: 'clean' };
}

export function tabReducer(tab: TabState, event: TabEvent): TabState {
  switch (event.type) {
    case 'edited': {
      const status =
        tab.status === 'clean' || tab.status === 'dirty' ? statusOf(event.text, tab.saved) : tab.status;
      return { ...tab, text: event.text, status };
    }
    case 'save-started':
      if (tab.status === 'saving' || tab.status === 'conflict') return tab;
      return { ...tab, status: 'saving', saving: tab.text, error: undefined };
    case 'saved': {
      const saved = tab.saving ?? tab.text;
      return {
        ...tab,
        saved,
        base: event.version,
        saving: undefined,
        theirs: undefined,
        status: statusOf(tab.text, saved),
      };
    }
    case 'save-conflict':
      return {
        ...tab,
        saving: undefined,
        status: 'conflict',
        theirs: { version: event.version, text: event.text },
      };
    case 'save-failed':
      return { ...tab, saving: undefined, status: statusOf(tab.text, tab.saved), error: event.message };
    case 'remote': {
      if (event.version !== null && event.version === tab.base) return tab;
      // Our own save coming back, or a copy equal to what we hold: nothing to decide.
      if (
        event.text !== null &&
        (event.text === tab.saving || (tab.status !== 'saving' && event.text === tab.text))
      )
        return tab.status === 'saving'
          ? tab
          : { ...tab, saved: event.text, base: event.version, status: 'clean', theirs: undefined };
      if (tab.status === 'clean' && event.text !== null)
        return { ...tab, text: event.text, saved: event.text, base: event.version };
      if (tab.status === 'clean' && tab.base === null) return tab;
      return { ...tab, status: 'conflict', theirs: { version: event.version, text: event.text } };
    }
    case 'keep-mine': {
      if (tab.status !== 'conflict' || !tab.theirs) return tab;
      const saved = tab.theirs.text ?? '';
      return {
        ...tab,
        base: tab.theirs.version,
        saved,
        theirs: undefined,
        status: statusOf(tab.text, saved) === 'clean' && tab.theirs.text !== null ? 'clean' : 'dirty',
      };
    }
    case 'take-theirs': {
      if (tab.status !== 'conflict' || !tab.theirs) return tab;
      const text = tab.theirs.text ?? '';
      return { ...tab, text, saved: text, base: tab.theirs.version, theirs: undefined, status: 'clean' };
    }
  }
}

function statusOf(text: string, saved: string): TabStatus {
  return text === saved ? 'clean' : 'dirty';
}
