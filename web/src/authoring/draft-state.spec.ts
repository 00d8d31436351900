import type { Draft } from './authoring-types';
import { draftReducer, DraftState, initialDraftState, nextSave, unsavedPaths } from './draft-state';

const author = { id: 'u1', displayName: 'Ada' };
const other = { id: 'u2', displayName: 'Grace' };
const draft = (revision: number, files: Record<string, string>, by = author): Draft => ({
  draftId: 'd1',
  labId: 'demo',
  courseId: 'c1',
  revision,
  files,
  updatedAt: '2026-12-06T20:00:00Z',
  updatedBy: by,
  problems: [],
});
const start = () => initialDraftState(draft(3, { 'lab.yaml': 'a', 'description.md': 'd' }));
const apply = (state: DraftState, ...actions: Parameters<typeof draftReducer>[1][]) =>
  actions.reduce(draftReducer, state);

describe('draft editing and autosave', () => {
  it('saves each edited file against the revision it was edited from', () => {
    let state = apply(start(), { type: 'edited', path: 'lab.yaml', content: 'a2' });
    expect(unsavedPaths(state)).toEqual(['lab.yaml']);
    const save = nextSave(state);
    expect(save).toEqual({ path: 'lab.yaml', content: 'a2', baseRevision: 3 });
    state = apply(state, { type: 'saveStarted', path: 'lab.yaml', content: 'a2' });
    expect(nextSave(state)).toBeUndefined();
    // Typed on while the save was on its way: that text stays unsaved.
    state = apply(
      state,
      { type: 'edited', path: 'lab.yaml', content: 'a23' },
      {
        type: 'saved',
        path: 'lab.yaml',
        content: 'a2',
        revision: 4,
        problems: [{ file: 'lab.yaml', message: 'bad' }],
      },
    );
    expect(state.revision).toBe(4);
    expect(state.problems).toHaveLength(1);
    expect(nextSave(state)).toEqual({ path: 'lab.yaml', content: 'a23', baseRevision: 4 });
  });

  it('raises a conflict when both authors changed a file, and never overwrites silently', () => {
    const state = apply(
      start(),
      { type: 'edited', path: 'lab.yaml', content: 'mine' },
      { type: 'saveStarted', path: 'lab.yaml', content: 'mine' },
      { type: 'conflict', body: { revision: 5, files: { 'lab.yaml': 'theirs', 'description.md': 'd' } } },
    );
    expect(state.conflict?.paths).toEqual(['lab.yaml']);
    expect(state.files['lab.yaml']).toBe('mine');
    expect(nextSave(state)).toBeUndefined();

    const kept = draftReducer(state, { type: 'keepMine' });
    expect(kept.conflict).toBeUndefined();
    expect(kept.files['lab.yaml']).toBe('mine');
    expect(kept.external).toBe(state.external + 1);
    // Saved again, now knowingly on top of their revision.
    expect(nextSave(kept)).toEqual({ path: 'lab.yaml', content: 'mine', baseRevision: 5 });

    const taken = draftReducer(state, { type: 'takeTheirs' });
    expect(taken.files['lab.yaml']).toBe('theirs');
    expect(unsavedPaths(taken)).toEqual([]);
    expect(nextSave(taken)).toBeUndefined();
  });

  it('rebases quietly when the other author changed only other files', () => {
    const state = apply(
      start(),
      { type: 'edited', path: 'lab.yaml', content: 'mine' },
      { type: 'saveStarted', path: 'lab.yaml', content: 'mine' },
      { type: 'conflict', body: { revision: 5, files: { 'lab.yaml': 'a', 'description.md': 'their d' } } },
    );
    expect(state.conflict).toBeUndefined();
    expect(state.files).toEqual({ 'lab.yaml': 'mine', 'description.md': 'their d' });
    expect(nextSave(state)).toEqual({ path: 'lab.yaml', content: 'mine', baseRevision: 5 });
  });

  it("takes another author's save live when this author has nothing unsaved there", () => {
    const state = apply(
      start(),
      { type: 'edited', path: 'description.md', content: 'my d' },
      { type: 'remote', draft: draft(4, { 'lab.yaml': 'their a', 'description.md': 'd' }, other) },
    );
    expect(state.files).toEqual({ 'lab.yaml': 'their a', 'description.md': 'my d' });
    expect(state.revision).toBe(4);
    expect(state.updatedBy).toEqual(other);
    expect(state.conflict).toBeUndefined();
    expect(nextSave(state)).toEqual({ path: 'description.md', content: 'my d', baseRevision: 4 });
  });

  it("shows a conflict when another author's save touches a file with unsaved edits", () => {
    const state = apply(
      start(),
      { type: 'edited', path: 'lab.yaml', content: 'mine' },
      { type: 'remote', draft: draft(4, { 'lab.yaml': 'theirs', 'description.md': 'd' }, other) },
    );
    expect(state.conflict).toEqual({
      revision: 4,
      files: { 'lab.yaml': 'theirs', 'description.md': 'd' },
      paths: ['lab.yaml'],
    });
    expect(state.files['lab.yaml']).toBe('mine');
  });

  it('ignores a copy no newer than its own (the echo of its own save)', () => {
    const state = apply(start(), { type: 'remote', draft: draft(3, { 'lab.yaml': 'old' }) });
    expect(state.files['lab.yaml']).toBe('a');
  });

  it('keeps a failed save unsaved, with its message', () => {
    const state = apply(
      start(),
      { type: 'edited', path: 'lab.yaml', content: 'x' },
      { type: 'saveStarted', path: 'lab.yaml', content: 'x' },
      { type: 'saveFailed', message: 'offline' },
    );
    expect(state.error).toBe('offline');
    expect(nextSave(state)?.content).toBe('x');
  });
});
