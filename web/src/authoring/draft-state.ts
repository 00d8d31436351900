import type { Author, Draft, DraftConflictBody, LabFiles, LabProblem } from './authoring-types';

/**
 * The draft as the editor holds it: `saved` is the server's text at `revision`, `files` what the author sees.
 * A path whose two texts differ is unsaved. Every save names `revision` as its base, so the server refuses a
 * save made on an old copy (409) and the author chooses: keep theirs or take the other author's — never a
 * silent overwrite either way.
 */
export interface DraftState {
  draftId: string;
  labId: string;
  courseId: string;
  revision: number;
  saved: LabFiles;
  files: LabFiles;
  problems: LabProblem[];
  updatedBy?: Author;
  updatedAt?: string;
  /** The save on its way to the server. */
  saving?: { path: string; content: string };
  /** A save was refused: the other copy, and the paths both sides changed. */
  conflict?: { revision: number; files: LabFiles; paths: string[] };
  /** Counts replacements of `files` from outside the editor (another author's text, a resolved conflict). */
  external: number;
  /** The last save's error other than a conflict (shown; the save is retried on the next edit). */
  error?: string;
}

export type DraftAction =
  | { type: 'loaded'; draft: Draft }
  | { type: 'edited'; path: string; content: string }
  | { type: 'saveStarted'; path: string; content: string }
  | { type: 'saved'; path: string; content: string; revision: number; problems: LabProblem[] }
  | { type: 'saveFailed'; message: string }
  | { type: 'conflict'; body: Pick<DraftConflictBody, 'revision' | 'files'> }
  | { type: 'keepMine' }
  | { type: 'takeTheirs' }
  /** The server's current copy, fetched after another author's save. */
  | { type: 'remote'; draft: Draft }
  | { type: 'problems'; problems: LabProblem[] };

export function initialDraftState(draft: Draft): DraftState {
  return {
    draftId: draft.draftId,
    labId: draft.labId,
    courseId: draft.courseId,
    revision: draft.revision,
    saved: { ...draft.files },
    files: { ...draft.files },
    problems: draft.problems,
    updatedBy: draft.updatedBy,
    updatedAt: draft.updatedAt,
    external: 0,
  };
}

export function unsavedPaths(state: DraftState): string[] {
  const paths = new Set([...Object.keys(state.files), ...Object.keys(state.saved)]);
  return [...paths].filter((path) => state.files[path] !== state.saved[path]).sort();
}

/** The save to send now, if any: one at a time, none while a conflict waits for the author. */
export function nextSave(
  state: DraftState,
): { path: string; content: string; baseRevision: number } | undefined {
  if (state.saving || state.conflict) return undefined;
  const path = unsavedPaths(state).find((candidate) => state.files[candidate] !== undefined);
  if (path === undefined) return undefined;
  return { path, content: state.files[path], baseRevision: state.revision };
}

/** Paths changed on both sides since the common copy `base`. */
function clashes(base: LabFiles, mine: LabFiles, theirs: LabFiles): string[] {
  const paths = new Set([...Object.keys(mine), ...Object.keys(theirs), ...Object.keys(base)]);
  return [...paths]
    .filter((path) => mine[path] !== base[path] && theirs[path] !== base[path] && mine[path] !== theirs[path])
    .sort();
}

/** Their copy with my unsaved edits on top (for paths only I changed). */
function rebase(base: LabFiles, mine: LabFiles, theirs: LabFiles, keep: 'mine' | 'theirs'): LabFiles {
  const merged: LabFiles = { ...theirs };
  for (const path of Object.keys(mine)) {
    const mineChanged = mine[path] !== base[path];
    const theirsChanged = theirs[path] !== base[path];
    if (mineChanged && (!theirsChanged || keep === 'mine')) merged[path] = mine[path];
  }
  return merged;
}

export function draftReducer(state: DraftState, action: DraftAction): DraftState {
  switch (action.type) {
    case 'loaded':
      return initialDraftState(action.draft);
    case 'edited':
      if (state.files[action.path] === action.content) return state;
      return { ...state, files: { ...state.files, [action.path]: action.content }, error: undefined };
    case 'saveStarted':
      return { ...state, saving: { path: action.path, content: action.content } };
    case 'saved':
      return {
        ...state,
        saving: undefined,
        revision: Math.max(state.revision, action.revision),
        saved: { ...state.saved, [action.path]: action.content },
        problems: action.problems,
        error: undefined,
      };
    case 'saveFailed':
      return { ...state, saving: undefined, error: action.message };
    case 'conflict': {
      const paths = clashes(state.saved, state.files, action.body.files);
      const conflict = { revision: action.body.revision, files: action.body.files, paths };
      // Nothing clashes (they changed other files): take their copy under my edits and save again.
      if (paths.length === 0) return adopt({ ...state, saving: undefined }, conflict, 'mine');
      return { ...state, saving: undefined, conflict };
    }
    case 'keepMine':
      return state.conflict ? adopt(state, state.conflict, 'mine') : state;
    case 'takeTheirs':
      return state.conflict ? adopt(state, state.conflict, 'theirs') : state;
    case 'remote': {
      if (action.draft.revision <= state.revision) return state;
      const incoming = { revision: action.draft.revision, files: action.draft.files };
      const paths = clashes(state.saved, state.files, incoming.files);
      const next = { ...state, updatedBy: action.draft.updatedBy, updatedAt: action.draft.updatedAt };
      if (paths.length > 0 && !state.saving) return { ...next, conflict: { ...incoming, paths } };
      // A save of mine is in flight: it will come back 409 and raise the conflict then.
      if (paths.length > 0) return next;
      return { ...adopt(next, { ...incoming, paths }, 'mine'), problems: action.draft.problems };
    }
    case 'problems':
      return { ...state, problems: action.problems };
  }
}

function adopt(
  state: DraftState,
  other: NonNullable<DraftState['conflict']>,
  keep: 'mine' | 'theirs',
): DraftState {
  return {
    ...state,
    revision: other.revision,
    saved: { ...other.files },
    files: rebase(state.saved, state.files, other.files, keep),
    conflict: undefined,
    external: state.external + 1,
  };
}
