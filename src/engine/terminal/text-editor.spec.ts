import { chooseEditor, EditorError, TextEditor } from './text-editor';
import { workingDirectoryAfterCd, shellPrompt } from './prompt';

const pane: TextEditor = { edit: () => Promise.resolve('from the pane') };

function context(setting: string | undefined, files: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const editor = chooseEditor({
    setting,
    pane,
    stdout: (c) => (out.stdout += c),
    stderr: (c) => (out.stderr += c),
    readFile: (path) => files[path],
  });
  return { editor, out };
}

describe('chooseEditor (KUBE_EDITOR, EDITOR, the editor pane)', () => {
  const file = { name: 'kubectl-edit-1.yaml', text: 'a: 1\n' };

  it('uses the pane when nothing is set, or a full-screen editor is named', async () => {
    expect(context(undefined).editor).toBe(pane);
    expect(context('vim').editor).toBe(pane);
    expect(context('/usr/bin/nano -w').editor).toBe(pane);
  });

  it('cat prints the buffer and saves nothing; true saves nothing; cp FILE saves the file', async () => {
    const cat = context('cat');
    expect(await cat.editor!.edit(file)).toBe(file.text);
    expect(cat.out.stdout).toBe(file.text);
    expect(await context('true').editor!.edit(file)).toBe(file.text);
    expect(await context('cp new.yaml', { 'new.yaml': 'b: 2\n' }).editor!.edit(file)).toBe('b: 2\n');
  });

  it("fails as kubectl's editor launch fails", async () => {
    const missing = context('cp nothing.yaml');
    await expect(missing.editor!.edit(file)).rejects.toThrow(
      new EditorError('there was a problem with the editor "cp nothing.yaml"'),
    );
    expect(missing.out.stderr).toBe("cp: cannot stat 'nothing.yaml': No such file or directory\n");
    await expect(context('emacs').editor!.edit(file)).rejects.toThrow('unable to launch the editor "emacs"');
  });
});

describe('the prompt', () => {
  it('follows cd as the terminal moves', () => {
    expect(shellPrompt('~/app')).toBe('student@kubelab:~/app$ ');
    expect(workingDirectoryAfterCd('~', undefined, ['app/./x/..'])).toBe('~/app');
    expect(workingDirectoryAfterCd('~/app', '~', ['-'])).toBe('~');
    expect(workingDirectoryAfterCd('~/app', undefined, [])).toBe('~');
    expect(workingDirectoryAfterCd('~', undefined, ['$DIR'])).toBeUndefined();
    expect(workingDirectoryAfterCd('~', undefined, ['/etc'])).toBeUndefined();
  });
});
