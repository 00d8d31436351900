import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateCheck } from '../evaluation/evaluate';
import { loadLabFile, parseCheck } from '../loader/loader';
import { LabSession } from './lab-session';

/** A lab with a cluster shape, a starter file inline and one in files/. */
function shapedLab(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'lab-')), 'started');
  mkdirSync(join(dir, 'files'), { recursive: true });
  writeFileSync(join(dir, 'files', 'notes.txt'), 'from files/\n');
  const lines = [
    'id: started',
    'title: { zh-CN: 开始, en: Start }',
    'description: { zh-CN: 说明, en: About }',
    'estimatedMinutes: 5',
    'starterFiles:',
    "  web.yaml: 'kind: Deployment'",
    'cluster:',
    '  nodes: 2',
    '  addons: [ingress]',
    '  objects:',
    '    - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }',
    '    - { apiVersion: v1, kind: ConfigMap, metadata: { name: settings, namespace: shop }, data: { a: b } }',
    'steps:',
    '  - id: look',
    '    title: { zh-CN: 看, en: Look }',
    '    instructions: { zh-CN: 看, en: Look }',
    '    points: 10',
    '    checks:',
    "      - ran: { command: '^kubectl\\s+get\\s', namespace: shop, example: kubectl get cm -n shop }",
    '    solution:',
    '      - kubectl get cm -n shop',
  ];
  writeFileSync(join(dir, 'lab.yaml'), lines.join('\n'));
  return join(dir, 'lab.yaml');
}

async function passes(session: LabSession, yaml: string): Promise<boolean> {
  return (await evaluateCheck(parseCheck(yaml), session.context)).passed;
}

const GET_PODS_IN_SHOP = "ran: { command: '^kubectl\\s+get\\s+pods', namespace: shop }";

describe('LabSession', () => {
  it('starts a lab as the platform does: nodes, add-ons, objects and starter files, outside the history', async () => {
    const session = await LabSession.start(loadLabFile(shapedLab()));
    expect(await passes(session, 'select: { kind: Node }\ncount: 2')).toBe(true);
    expect(await passes(session, 'select: { kind: Pod, namespace: ingress-nginx }')).toBe(true);
    expect(await passes(session, 'select: { kind: ConfigMap, namespace: shop, name: settings }')).toBe(true);
    expect(await passes(session, 'file: { path: notes.txt }')).toBe(true);
    expect(await passes(session, 'file: { path: web.yaml }')).toBe(true);
    expect(session.history).toEqual([]);
  });

  it('records where each command ran, so a context switched with use-context is graded right', async () => {
    const session = new LabSession();
    await session.run('kubectl create namespace shop');
    await session.run('kubectl config set-context shop --cluster=minikube --user=minikube --namespace=shop');
    await session.run('kubectl config use-context shop');
    const get = await session.run('kubectl get pods');
    expect(get).toMatchObject({ exitCode: 0, contextNamespace: 'shop', namespace: 'shop' });
    expect(await passes(session, GET_PODS_IN_SHOP)).toBe(true);

    // Without the record (an older run) the grader can only replay set-context lines: use-context is missed.
    const inferred = new LabSession();
    inferred.history.push(
      ...session.history.map(({ command, exitCode, output }) => ({ command, exitCode, output })),
    );
    expect(await passes(inferred, GET_PODS_IN_SHOP)).toBe(false);
  });

  it('records the objects a command wrote; a manifest naming its namespace counts for that namespace', async () => {
    const session = new LabSession();
    await session.run('kubectl create namespace shop');
    const applied = await session.run(
      "kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: shop }\nEOF",
    );
    expect(applied).toMatchObject({
      exitCode: 0,
      namespace: 'default',
      touched: [{ kind: 'ConfigMap', namespace: 'shop', name: 'c', change: 'created' }],
    });
    expect(await passes(session, "ran: { command: '^kubectl\\s+apply\\s', namespace: shop }")).toBe(true);
    expect(await passes(session, "ran: { command: '^kubectl\\s+apply\\s', namespace: kube-system }")).toBe(
      false,
    );
  });

  it('enters a background job as running, with job control as in the platform terminal', async () => {
    const session = new LabSession();
    await session.run('kubectl create deployment web --image=nginx');
    await session.run('kubectl expose deployment web --port=80');
    await session.advance(30_000);
    const started = await session.run('kubectl port-forward svc/web 8080:80 &');
    expect(started).toMatchObject({ exitCode: 0, running: true });
    expect(session.history[2]).toMatchObject({ exitCode: null, running: true });
    expect((await session.run('curl -s localhost:8080')).output).toContain('Welcome to nginx!');
    expect((await session.run('jobs')).output).toContain('kubectl port-forward svc/web 8080:80 &');
    expect((await session.run('kill %1')).exitCode).toBe(0);
    await session.close();
  });
});
