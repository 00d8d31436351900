import { cursorContext, documentHeader, keyAt } from './yaml-context';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - image: nginx
        name: nginx
        ports:
          - containerPort: 80
            |
      - name: side
        |
  |
`;

/** The text without the markers, and the position of marker n. */
function at(n: number, text = DEPLOYMENT): [string, number] {
  const parts = text.split('|');
  const pos = parts.slice(0, n + 1).join('').length;
  return [parts.join(''), pos];
}

describe('cursorContext', () => {
  it('finds the path of the mapping being typed in, through indented and indentless lists', () => {
    expect(cursorContext(...at(0))).toMatchObject({
      path: ['spec', 'template', 'spec', 'containers', '[]', 'ports', '[]'],
      mode: 'key',
      typed: '',
      siblings: ['containerPort'],
    });
    expect(cursorContext(...at(1))).toMatchObject({
      path: ['spec', 'template', 'spec', 'containers', '[]'],
      siblings: ['name'],
    });
    expect(cursorContext(...at(2))).toMatchObject({ path: ['spec'], siblings: ['replicas', 'template'] });
  });

  it('knows a key half typed, a new list item and a value after the colon', () => {
    const [text, pos] = at(0, 'spec:\n  repl|\n');
    expect(cursorContext(text, pos)).toMatchObject({ path: ['spec'], typed: 'repl', from: pos - 4 });
    expect(cursorContext(...at(0, 'spec:\n  containers:\n  - |\n'))).toMatchObject({
      path: ['spec', 'containers', '[]'],
      siblings: [],
    });
    expect(cursorContext(...at(0, 'apiVersion: apps/v1\nkind: Dep|\n'))).toMatchObject({
      path: [],
      mode: 'value',
      key: 'kind',
      typed: 'Dep',
    });
    expect(cursorContext(...at(0, 'metadata: {name: |}\n'))).toBeUndefined();
  });
});

describe('keyAt and documentHeader', () => {
  it('names the key under the pointer with its path', () => {
    const [text, pos] = at(0, 'spec:\n  template:\n    spec:\n      containers:\n      - ima|ge: nginx\n');
    expect(keyAt(text, pos)).toEqual({
      path: ['spec', 'template', 'spec', 'containers', '[]'],
      key: 'image',
    });
    expect(keyAt('spec:\n  replicas: 1\n', 'spec:\n  replicas: '.length + 1)).toBeUndefined();
  });

  it('reads the apiVersion and kind of the document the cursor is in', () => {
    const text = 'apiVersion: v1\nkind: Service\n---\nkind: "Deployment"\napiVersion: apps/v1\nspec:\n';
    expect(documentHeader(text, 3)).toEqual({ apiVersion: 'v1', kind: 'Service' });
    expect(documentHeader(text, text.length - 2)).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment' });
  });
});
