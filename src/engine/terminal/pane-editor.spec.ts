import { PaneEditor } from './pane-editor';
import type { EditorFile } from './text-editor';

describe('PaneEditor', () => {
  it('announces the buffer and resolves with the text the student closes it with', async () => {
    const opened: EditorFile[] = [];
    const pane = new PaneEditor((file) => opened.push(file));
    const saved = pane.edit({ name: 'kubectl-edit-1.yaml', text: 'a: 1\n' });
    expect(opened).toEqual([{ name: 'kubectl-edit-1.yaml', text: 'a: 1\n' }]);
    expect(pane.opened).toBe(true);
    expect(pane.closed('a: 2\n')).toBe(true);
    await expect(saved).resolves.toBe('a: 2\n');
    // A second close (a repeated or late save) goes nowhere.
    expect(pane.closed('a: 3\n')).toBe(false);
  });

  it('rejects with an AbortError when the run is stopped (Ctrl-C) while the buffer is open', async () => {
    const pane = new PaneEditor(() => undefined);
    const controller = new AbortController();
    const saved = pane.edit({ name: 'x.yaml', text: '' }, controller.signal);
    controller.abort();
    await expect(saved).rejects.toMatchObject({ name: 'AbortError' });
    expect(pane.closed('ignored')).toBe(false);
  });
});
