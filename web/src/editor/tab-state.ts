/**
 * One open file of the editor pane and what it knows of the copy in the home: the text as last loaded or saved
 * (`saved`) and the home version it was read at (`base`, what a save says it was edited from: the home has one
 * version for all its files). A save of a file someone else changed meanwhile (the terminal, another browser tab)
 * is refused by the API with the newer copy; a change announced by `home.changed` reloads a tab with nothing unsaved
 * and puts a conflict banner on one that has. The student then keeps their text (the next save overwrites the newer
 * copy) or takes the newer copy.
 */
export type TabStatus = 'clean' | 'dirty' | 'saving' | 'conflict';

export interface TabState {
  path: string;
  /** What the editor holds now. */
  text: string;
  /**
   * Counts the times `text` was replaced from outside the editor (a reload from the home, the saved version taken):
   * the editor then shows it; any other change of `text` came from the editor itself.
   */
  revision: number;
  /** The home's copy as this tab last loaded or saved it; '' for a file not created yet. */
  saved: string;
  /** Whether the file is in the home (false for `vim new.yaml` until the first save). */
  exists: boolean;
  /** The home version `saved` was read or written at. */
  base: number;
  status: TabStatus;
  /** The text a save in flight sends. */
  saving?: string;
  /** The newer copy found in the home (text null: it was deleted). */
  theirs?: { version: number; text: string | null };
  /** Why the last save failed (too large, offline…). */
  error?: string;
}

export type TabEvent =
  | { type: 'edited'; text: string }
  | { type: 'save-started' }
  | { type: 'saved'; version: number }
  | { type: 'save-conflict'; version: number; text: string | null }
  | { type: 'save-failed'; message: string }
  /** The home's copy as read after a `home.changed` (text null: the file is not there). */
  | { type: 'remote'; version: number; text: string | null }
  | { type: 'keep-mine' }
  | { type: 'take-theirs' };

/** A tab for a file read at home version `version`, or (file null) one to create, the home being at `version`. */
export function openedTab(path: string, file: { text: string } | null, version: number): TabState {
  const text = file?.text ?? '';
  return { path, text, revision: 0, saved: text, exists: file !== null, base: version, status: 'clean' };
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
        exists: true,
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
    case 'remote':
      return remote(tab, event.version, event.text);
    case 'keep-mine': {
      if (tab.status !== 'conflict' || !tab.theirs) return tab;
      const { version, text } = tab.theirs;
      // Saving next overwrites (or creates again) the copy now in the home.
      return {
        ...tab,
        base: version,
        saved: text ?? '',
        exists: text !== null,
        theirs: undefined,
        status: 'dirty',
      };
    }
    case 'take-theirs': {
      if (tab.status !== 'conflict' || !tab.theirs) return tab;
      const text = tab.theirs.text ?? '';
      return {
        ...tab,
        text,
        revision: tab.revision + 1,
        saved: text,
        exists: tab.theirs.text !== null,
        base: tab.theirs.version,
        theirs: undefined,
        status: 'clean',
      };
    }
  }
}

function remote(tab: TabState, version: number, text: string | null): TabState {
  if (version <= tab.base) return tab;
  // Our own save coming back: its answer says the rest.
  if (tab.status === 'saving' && text === tab.saving) return tab;
  const unchanged = text === null ? !tab.exists : tab.exists && text === tab.saved;
  // Another file changed, or this one did not: the tab is simply up to date at the newer version.
  if (unchanged) return tab.status === 'saving' ? tab : { ...tab, base: version };
  if (tab.status === 'clean' && text !== null)
    return { ...tab, text, revision: tab.revision + 1, saved: text, exists: true, base: version };
  // Changed to what this tab holds already: nothing to decide.
  if (text !== null && text === tab.text && tab.status !== 'saving')
    return { ...tab, saved: text, exists: true, base: version, status: 'clean', theirs: undefined };
  return { ...tab, status: 'conflict', theirs: { version, text } };
}

function statusOf(text: string, saved: string): TabStatus {
  return text === saved ? 'clean' : 'dirty';
}
