import { openedTab, TabEvent, tabReducer, TabState } from './tab-state';

const run = (tab: TabState, ...events: TabEvent[]) => events.reduce(tabReducer, tab);
const opened = () => openedTab('web.yaml', { text: 'replicas: 1\n' }, 5);

describe('tabReducer', () => {
  it('goes dirty on an edit, back to clean when the text is as saved, and saves', () => {
    let tab = run(opened(), { type: 'edited', text: 'replicas: 3\n' });
    expect(tab.status).toBe('dirty');
    expect(run(tab, { type: 'edited', text: 'replicas: 1\n' }).status).toBe('clean');
    tab = run(tab, { type: 'save-started' });
    expect(tab).toMatchObject({ status: 'saving', saving: 'replicas: 3\n' });
    // Typed while the save is in flight: still unsaved afterwards.
    tab = run(tab, { type: 'edited', text: 'replicas: 4\n' }, { type: 'saved', version: 6 });
    expect(tab).toMatchObject({ status: 'dirty', saved: 'replicas: 3\n', base: 6, text: 'replicas: 4\n' });
  });

  it('reloads an unmodified tab when the file changed elsewhere, and ignores its own save', () => {
    const tab = run(opened(), { type: 'remote', version: 6, text: 'replicas: 2\n' });
    expect(tab).toMatchObject({ status: 'clean', text: 'replicas: 2\n', base: 6, revision: 1 });
    const saving = run(opened(), { type: 'edited', text: 'x\n' }, { type: 'save-started' });
    expect(run(saving, { type: 'remote', version: 6, text: 'x\n' })).toBe(saving);
    expect(run(tab, { type: 'remote', version: 6, text: 'replicas: 2\n' })).toBe(tab);
  });

  it('only moves its version on when another file of the home changed', () => {
    const dirty = run(opened(), { type: 'edited', text: 'mine\n' });
    expect(run(dirty, { type: 'remote', version: 9, text: 'replicas: 1\n' })).toMatchObject({
      status: 'dirty',
      base: 9,
      text: 'mine\n',
    });
  });

  it('shows a conflict when a modified tab learns of a newer copy, or its save is refused', () => {
    const dirty = run(opened(), { type: 'edited', text: 'mine\n' });
    const changed = run(dirty, { type: 'remote', version: 6, text: 'theirs\n' });
    expect(changed).toMatchObject({ status: 'conflict', theirs: { version: 6, text: 'theirs\n' } });
    // Edits go on in conflict; a save waits for the student's choice.
    expect(run(changed, { type: 'edited', text: 'mine2\n' }, { type: 'save-started' })).toMatchObject({
      status: 'conflict',
      text: 'mine2\n',
    });
    const refused = run(
      dirty,
      { type: 'save-started' },
      { type: 'save-conflict', version: 7, text: 'other\n' },
    );
    expect(refused).toMatchObject({ status: 'conflict', text: 'mine\n', theirs: { version: 7 } });
  });

  it('keeps mine (the next save overwrites the newer copy) or takes theirs', () => {
    const conflict = run(
      opened(),
      { type: 'edited', text: 'mine\n' },
      { type: 'remote', version: 6, text: 'theirs\n' },
    );
    expect(run(conflict, { type: 'keep-mine' })).toMatchObject({ status: 'dirty', base: 6, text: 'mine\n' });
    expect(run(conflict, { type: 'take-theirs' })).toMatchObject({
      status: 'clean',
      base: 6,
      text: 'theirs\n',
    });
    // Deleted in the terminal: keeping mine creates it again.
    const gone = run(
      opened(),
      { type: 'edited', text: 'mine\n' },
      { type: 'remote', version: 6, text: null },
    );
    expect(gone).toMatchObject({ status: 'conflict', theirs: { text: null } });
    expect(run(gone, { type: 'keep-mine' })).toMatchObject({ status: 'dirty', base: 6, exists: false });
  });

  it('creates a new file on the first save, and loads it if the terminal creates it first', () => {
    const fresh = openedTab('new.yaml', null, 3);
    expect(run(fresh, { type: 'remote', version: 4, text: null })).toMatchObject({ base: 4, exists: false });
    expect(run(fresh, { type: 'remote', version: 4, text: 'made\n' })).toMatchObject({
      status: 'clean',
      text: 'made\n',
      exists: true,
    });
    const typed = run(fresh, { type: 'edited', text: 'kind: Pod\n' }, { type: 'save-started' });
    expect(run(typed, { type: 'saved', version: 4 })).toMatchObject({
      status: 'clean',
      exists: true,
      base: 4,
    });
  });

  it('keeps the text of a failed save and says why', () => {
    const failed = run(
      opened(),
      { type: 'edited', text: 'big\n' },
      { type: 'save-started' },
      { type: 'save-failed', message: 'too large' },
    );
    expect(failed).toMatchObject({ status: 'dirty', text: 'big\n', error: 'too large' });
  });
});
