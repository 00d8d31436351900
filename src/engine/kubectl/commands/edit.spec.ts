/**
 * `kubectl edit` through the lab terminal with a scripted editor: each save is a function of the buffer kubectl
 * gave the editor. The expected texts are real kubectl v1.30's (captured with a KUBE_EDITOR script against
 * `engine serve`); the buffer itself is judged by test/conformance/edit-diff.int-spec.ts.
 */
import { ManualClock } from '../../clock/clock';
import { createCluster } from '../../cluster';
import { abortError } from '../../terminal/input';
import { LabTerminal } from '../../terminal/terminal';
import type { EditorFile, TextEditor } from '../../terminal/text-editor';

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

type Save = (text: string) => string;

/** An editor that answers each opening with the next save; it keeps every file it was given. */
function scripted(...saves: Save[]): TextEditor & { opened: EditorFile[] } {
  const opened: EditorFile[] = [];
  return {
    opened,
    edit(file) {
      opened.push(file);
      const save = saves.shift();
      if (!save) throw new Error(`the editor was opened more often than scripted:\n${file.text}`);
      return Promise.resolve(save(file.text));
    },
  };
}

async function lab() {
  const cluster = createCluster({ seed: 1, clock: new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0)) });
  const terminal = new LabTerminal(cluster);
  const run = async (text: string, editor?: TextEditor, signal?: AbortSignal) => {
    const out = { stdout: '', stderr: '', code: 0 };
    out.code = await terminal.run(text, {
      stdout: (c) => (out.stdout += c),
      stderr: (c) => (out.stderr += c),
      editor,
      signal,
    });
    return out;
  };
  await run('kubectl create deployment web --image=nginx');
  return { cluster, terminal, run };
}

const withoutHeader = (text: string) => text.slice(HEADER.length);

describe('kubectl edit', () => {
  it('patches what changed and says edited; --output-patch prints the strategic merge patch first', async () => {
    const { run } = await lab();
    const editor = scripted((t) => t.replace('  replicas: 1\n', '  replicas: 3\n'));
    expect(await run('kubectl edit deploy/web --output-patch', editor)).toEqual({
      stdout: 'Patch: {"spec":{"replicas":3}}\ndeployment.apps/web edited\n',
      stderr: '',
      code: 0,
    });
    expect(editor.opened[0].text.startsWith(`${HEADER}apiVersion: apps/v1\nkind: Deployment\n`)).toBe(true);
    expect(editor.opened[0].name).toMatch(/^kubectl-edit-\d+\.yaml$/);
    expect((await run("kubectl get deploy web -o jsonpath='{.spec.replicas}'")).stdout).toBe('3');
  });

  it('closing without a change (comments aside) cancels the edit', async () => {
    const { run } = await lab();
    const editor = scripted((t) => `# a comment of my own\n${t}`);
    expect(await run('kubectl edit deployment web', editor)).toEqual({
      stdout: '',
      stderr: 'Edit cancelled, no changes made.\n',
      code: 0,
    });
  });

  it('reopens an object the server refuses with the reasons on top, and applies the corrected save', async () => {
    const { run } = await lab();
    const editor = scripted(
      (t) => t.replace('  replicas: 1\n', '  replicas: -1\n'),
      (t) => t.replace('  replicas: -1\n', '  replicas: 2\n'),
    );
    expect(await run('kubectl edit deploy/web', editor)).toEqual({
      stdout: 'deployment.apps/web edited\n',
      stderr: 'error: deployments.apps "web" is invalid\n',
      code: 0,
    });
    const reopened = editor.opened[1].text;
    expect(reopened.startsWith(HEADER)).toBe(true);
    expect(withoutHeader(reopened)).toBe(
      '# deployments.apps "web" was not valid:\n' +
        '# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n' +
        '#\n' +
        withoutHeader(editor.opened[0].text).replace('  replicas: 1\n', '  replicas: -1\n'),
    );
  });

  it('gives up when the reopened buffer is saved unchanged, keeping a copy in the home', async () => {
    const { run, terminal } = await lab();
    const editor = scripted(
      (t) => t.replace('  replicas: 1\n', '  replicas: -1\n'),
      (t) => t,
    );
    expect(await run('kubectl edit deploy/web', editor)).toEqual({
      stdout: '',
      stderr:
        'error: deployments.apps "web" is invalid\n' +
        'A copy of your changes has been stored to "/home/student/kubectl-edit-1.yaml"\n' +
        'error: Edit cancelled, no valid changes were saved.\n',
      code: 1,
    });
    expect(terminal.home.readFile('kubectl-edit-1.yaml')).toContain('  replicas: -1\n');
  });

  it('checks the saved text first: a file without apiVersion reopens with the validation failure', async () => {
    const { run } = await lab();
    const editor = scripted(
      (t) => t.replace('apiVersion: apps/v1\n', ''),
      (t) => t.replace('kind: Deployment\n', 'apiVersion: apps/v1\nkind: Deployment\n'),
    );
    const result = await run('kubectl edit deploy/web', editor);
    // The second save only restored what the first removed: nothing changed after all.
    expect(result).toEqual({
      stdout: '',
      stderr: 'error: deployments.apps "web" is invalid\nEdit cancelled, no changes made.\n',
      code: 0,
    });
    expect(editor.opened[1].text).toContain(
      '# deployments.apps "web" was not valid:\n' +
        '# * <nil>: Invalid value: "The edited file failed validation": apiVersion not set\n#\nkind: Deployment\n',
    );
  });

  it('refuses a change of name or namespace, as kubectl does', async () => {
    const { run } = await lab();
    const renamed = await run(
      'kubectl edit deploy/web',
      scripted((t) => t.replace('  name: web\n', '  name: web2\n')),
    );
    expect(renamed).toEqual({
      stdout: '',
      stderr:
        'A copy of your changes has been stored to "/home/student/kubectl-edit-1.yaml"\n' +
        'error: At least one of apiVersion, kind and name was changed\n',
      code: 1,
    });
    const moved = await run(
      'kubectl edit deploy/web',
      scripted((t) => t.replace('  namespace: default\n', '  namespace: kube-system\n')),
    );
    expect(moved.stderr).toBe(
      'A copy of your changes has been stored to "/home/student/kubectl-edit-2.yaml"\n' +
        'error: the namespace from the provided object "kube-system" does not match the namespace "default". ' +
        "You must pass '--namespace=kube-system' to perform this operation.\n",
    );
  });

  it('--save-config and --record annotate the edited object before the patch is computed', async () => {
    const { run } = await lab();
    const editor = scripted((t) =>
      t.replace('    app: web\n  name: web\n', '    app: web\n    tier: x\n  name: web\n'),
    );
    const result = await run('kubectl edit deploy/web --save-config --record', editor);
    expect(result.stdout).toBe('deployment.apps/web edited\n');
    const annotations = JSON.parse(
      (await run("kubectl get deploy web -o jsonpath='{.metadata.annotations}'")).stdout,
    ) as Record<string, string>;
    expect(annotations['kubernetes.io/change-cause']).toBe(
      'kubectl edit deploy/web --save-config=true --record=true',
    );
    const saved = JSON.parse(annotations['kubectl.kubernetes.io/last-applied-configuration']) as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    };
    expect(saved.metadata.labels).toEqual({ app: 'web', tier: 'x' });
    // The record is taken before the change-cause is set, without the record itself.
    expect(Object.keys(saved.metadata.annotations)).toEqual(['deployment.kubernetes.io/revision']);
  });

  it('edits several objects as one List; an object left alone is skipped', async () => {
    const { run } = await lab();
    const editor = scripted((t) => t.replace('    replicas: 1\n', '    replicas: 2\n'));
    expect(await run('kubectl edit deploy/web svc/kubernetes', editor)).toEqual({
      stdout: 'deployment.apps/web edited\nservice/kubernetes skipped\n',
      stderr: '',
      code: 0,
    });
    expect(editor.opened[0].text).toMatch(
      /^# Please edit[^]*#\napiVersion: v1\nitems:\n- apiVersion: apps\/v1\n/,
    );
    expect(editor.opened[0].text.endsWith('kind: List\nmetadata: {}\n')).toBe(true);
  });

  it('-o json edits JSON without the header and prints the edited object as JSON', async () => {
    const { run } = await lab();
    const editor = scripted((t) => t.replace('"replicas": 1,', '"replicas": 4,'));
    const result = await run('kubectl edit deploy/web -o json', editor);
    expect(editor.opened[0].text.startsWith('{\n    "apiVersion": "apps/v1",\n')).toBe(true);
    expect(editor.opened[0].name).toMatch(/\.json$/);
    expect((JSON.parse(result.stdout) as { spec: { replicas: number } }).spec.replicas).toBe(4);
  });

  it('--windows-line-endings gives the editor CRLF lines and reads them back', async () => {
    const { run } = await lab();
    const editor = scripted((t) => t.replace('  replicas: 1\r\n', '  replicas: 2\r\n'));
    expect((await run('kubectl edit deploy/web --windows-line-endings', editor)).stdout).toBe(
      'deployment.apps/web edited\n',
    );
    expect(
      editor.opened[0].text
        .split('\n')
        .slice(0, -1)
        .every((l) => l.endsWith('\r')),
    ).toBe(true);
  });

  it('Ctrl-C while the editor is open ends the run with 130 and changes nothing', async () => {
    const { run } = await lab();
    const controller = new AbortController();
    const waiting: TextEditor = {
      edit: (_file, signal) =>
        new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(abortError()))),
    };
    const running = run('kubectl edit deploy/web', waiting, controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await running).toEqual({ stdout: '', stderr: '', code: 130 });
  });

  it('without an editor pane or KUBE_EDITOR says how to edit otherwise', async () => {
    const { run } = await lab();
    const result = await run('kubectl edit deploy/web');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error: kubectl edit opens the object in the editor pane of the lab page',
    );
    expect(result.stderr).toContain('export KUBE_EDITOR="cp FILE"');
  });

  it('KUBE_EDITOR="cp FILE" saves a file of the home over the buffer, as the editor program would', async () => {
    const { run } = await lab();
    const shown = await run('kubectl get deploy web -o yaml');
    await run(`cat > web.yaml <<'EOF'\n${shown.stdout.replace('  replicas: 1\n', '  replicas: 5\n')}EOF`);
    await run('export KUBE_EDITOR="cp web.yaml"');
    expect(await run('kubectl edit deploy/web')).toEqual({
      stdout: 'deployment.apps/web edited\n',
      stderr: '',
      code: 0,
    });
    expect((await run("kubectl get deploy web -o jsonpath='{.spec.replicas}'")).stdout).toBe('5');
  });
});
