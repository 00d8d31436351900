import { buildTree, displayName, editorRequest } from './home-files';

describe('displayName', () => {
  it('shows control and direction characters as visible escapes', () => {
    expect(displayName('web.yaml')).toBe('web.yaml');
    expect(displayName('a\u001b[31mred\u0007.yaml')).toBe('a\\x1B[31mred\\x07.yaml');
    expect(displayName('line\nbreak\tx')).toBe('line\\x0Abreak\\x09x');
    expect(displayName('evil\u202Elmy.exe')).toBe('evil\\u202Elmy.exe');
    expect(displayName('中文.yaml')).toBe('中文.yaml');
  });
});

describe('buildTree', () => {
  it('nests the listing, folders first, and makes up folders only implied by a path', () => {
    const tree = buildTree([
      { path: 'web.yaml', kind: 'file', size: 10, mtime: '' },
      { path: 'app', kind: 'dir', size: 0, mtime: '' },
      { path: 'app/b.yaml', kind: 'file', size: 2, mtime: '' },
      { path: 'app/a.yaml', kind: 'file', size: 1, mtime: '' },
      { path: 'deep/er/x', kind: 'file', size: 3, mtime: '' },
      { path: 'a.txt', kind: 'file', size: 4, mtime: '' },
    ]);
    const shape = (nodes: ReturnType<typeof buildTree>): unknown =>
      nodes.map((n) => (n.kind === 'dir' ? { [n.path]: shape(n.children) } : n.path));
    expect(shape(tree)).toEqual([
      { app: ['app/a.yaml', 'app/b.yaml'] },
      { deep: [{ 'deep/er': ['deep/er/x'] }] },
      'a.txt',
      'web.yaml',
    ]);
  });
});

describe('editorRequest', () => {
  const said = (shown: string, create = false) =>
    `vim: ${shown} opens in the editor pane of the lab page (this terminal has no full-screen editor); save it there${create ? ' to create it' : ''}\n`;

  it('takes the resolved home path the terminal printed for vim, vi and nano', () => {
    expect(editorRequest('vim web.yaml', said('~/web.yaml'), 0)).toBe('web.yaml');
    expect(editorRequest('vi "../app/new file.yaml"', said('~/app/new file.yaml', true), 0)).toBe(
      'app/new file.yaml',
    );
    expect(editorRequest('nano x', said('~/x').replace('vim:', 'nano:'), 0)).toBe('x');
  });

  it('ignores other commands, failures and files outside the home', () => {
    expect(editorRequest('echo vim web.yaml', said('~/web.yaml'), 0)).toBeUndefined();
    expect(editorRequest('vim web.yaml', 'vim: web.yaml: Is a directory\n', 1)).toBeUndefined();
    expect(editorRequest('vim /tmp/x', said('/tmp/x'), 0)).toBeUndefined();
    expect(editorRequest('vim a b', said('~/a'), 0)).toBeUndefined();
  });
});
