/**
 * `kubectl edit` on the Docker driver (capabilities.editorPane): the node agent's terminal opens the buffer in the
 * editor pane the platform hands exec() (ExecOptions.editor), the text the pane is closed with goes back to the
 * agent (an `edited` request through `kubelab-exec --framed`), and the edit ends as it does embedded: applied,
 * reopened with the server's reasons after an invalid edit, or stopped by Ctrl-C while the buffer is open.
 * The pane is the platform's own PaneEditor; the test plays the student, closing each buffer with a text.
 */
import type { ClusterRef } from '../../src/clusters/cluster-driver';
import { DockerClusterDriver } from '../../src/clusters/docker/docker-cluster-driver';
import { PaneEditor } from '../../src/engine/terminal/pane-editor';
import type { EditorFile } from '../../src/engine/terminal/text-editor';
import {
  type DockerTestEngine,
  driverSettings,
  neverAborted,
  recordingSink,
  SETUP_TIMEOUT_MS,
  startEngine,
} from './support/docker-env';

let engine: DockerTestEngine;
let driver: DockerClusterDriver;
let ref: ClusterRef | undefined;

/** Runs a line with an editor pane whose buffers `answer` closes (a text, or undefined to leave it open). */
async function edit(
  line: string,
  answer: (file: EditorFile, opened: number) => string | undefined,
  signal = neverAborted(),
) {
  const sink = recordingSink();
  const buffers: EditorFile[] = [];
  const pane: PaneEditor = new PaneEditor((file) => {
    buffers.push(file);
    const text = answer(file, buffers.length);
    if (text !== undefined) setImmediate(() => pane.closed(text));
  });
  const result = await driver.exec(ref!, line, sink, signal, undefined, { editor: pane });
  return { exitCode: result.exitCode, out: sink.stdoutText(), err: sink.stderrText(), buffers };
}

async function run(line: string) {
  const sink = recordingSink();
  const result = await driver.exec(ref!, line, sink, neverAborted());
  return { exitCode: result.exitCode, out: sink.stdoutText(), err: sink.stderrText() };
}

beforeAll(async () => {
  engine = await startEngine('default');
  driver = new DockerClusterDriver(driverSettings([engine], engine.image));
  ref = await driver.provision(
    {
      clusterId: `edit-${Date.now().toString(36)}`,
      labSessionId: 'session-edit',
      ownerId: 'student-edit',
      nodeCount: 1,
    },
    () => undefined,
  );
  expect(await run('kubectl create deployment web --image=nginx')).toMatchObject({ exitCode: 0 });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (ref) await driver.destroy(ref);
  await driver?.close();
});

test('the kubelab node image declares the editor pane', () => {
  expect(driver.capabilities).toMatchObject({ interactiveInput: false, editorPane: true });
});

test('a saved buffer is applied: "edited", and the object changed', async () => {
  const edited = await edit('kubectl edit deployment/web', (file) =>
    file.text.replace('\n  replicas: 1\n', '\n  replicas: 3\n'),
  );
  expect(edited).toMatchObject({ exitCode: 0, out: 'deployment.apps/web edited\n', err: '' });
  expect(edited.buffers).toHaveLength(1);
  expect(edited.buffers[0].name).toMatch(/^kubectl-edit-\d+\.yaml$/);
  expect(edited.buffers[0].text).toMatch(/^# Please edit the object below\. Lines beginning with a '#'/);
  expect(await run('kubectl get deployment web -o jsonpath={.spec.replicas}')).toMatchObject({ out: '3' });
});

test('an invalid edit reopens the buffer with the reasons; closing it unchanged gives up as kubectl does', async () => {
  const edited = await edit('kubectl edit deployment/web', (file, opened) =>
    opened === 1 ? file.text.replace('\n  replicas: 3\n', '\n  replicas: -1\n') : file.text,
  );
  expect(edited.buffers).toHaveLength(2);
  expect(edited.buffers[1].text).toMatch(
    /^# deployments\.apps "web" was not valid:\n# \* spec\.replicas: Invalid value: -1/m,
  );
  expect(edited.exitCode).toBe(1);
  expect(edited.err).toMatch(/^error: deployments\.apps "web" is invalid\n/);
  expect(edited.err).toMatch(/error: Edit cancelled, no valid changes were saved\.\n$/);
  expect(await run('kubectl get deployment web -o jsonpath={.spec.replicas}')).toMatchObject({ out: '3' });
});

test('Ctrl-C while the buffer is open ends the run (130) and the terminal takes the next line', async () => {
  const controller = new AbortController();
  const edited = await edit(
    'kubectl edit deployment/web',
    () => {
      setImmediate(() => controller.abort());
      return undefined;
    },
    controller.signal,
  );
  expect(edited.exitCode).toBe(130);
  expect(await run('kubectl get deployment web -o name')).toMatchObject({
    exitCode: 0,
    out: 'deployment.apps/web\n',
  });
});
