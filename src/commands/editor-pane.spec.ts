import type { EditorFile } from '../engine/terminal/text-editor';
import { EditorPane } from './editor-pane';

describe('EditorPane', () => {
  it('announces the buffer and resolves with the text the student closes it with', async () => {
    const opened: EditorFile[] = [];
    const pane = new EditorPane((file) => opened.push(file));
    const saved = pane.edit({ name: 'kubectl-edit-1.yaml', text: 'a: 1\n' });
    expect(opened).toEqual([{ name: 'kubectl-edit-1.yaml', text: 'a: 1\n' }]);
    pane.closed('a: 2\n');
    await expect(saved).resolves.toBe('a: 2\n');
    // A second close (a repeated or late save) goes nowhere.
    pane.closed('a: 3\n');
  });

  it('rejects with an AbortError when the run is stopped (Ctrl-C) while the buffer is open', async () => {
    const pane = new EditorPane(() => undefined);
    const controller = new AbortController();
    const saved = pane.edit({ name: 'x.yaml', text: '' }, controller.signal);
    controller.abort();
    await expect(saved).rejects.toMatchObject({ name: 'AbortError' });
    pane.closed('ignored');
  });
});
