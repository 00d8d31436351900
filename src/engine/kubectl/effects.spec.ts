import { createCluster, LabTerminal, ManualClock } from '..';
import { EffectsRecorder } from './effects';

/** Runs one line in a fresh terminal's session and answers what it recorded. */
async function effectsOf(terminal: LabTerminal, line: string) {
  const recorder = new EffectsRecorder();
  const code = await terminal.run(line, {
    stdout: () => undefined,
    stderr: () => undefined,
    effects: recorder,
  });
  return { code, ...recorder.effects() };
}

describe('EffectsRecorder through the lab terminal', () => {
  let terminal: LabTerminal;
  beforeEach(() => {
    const cluster = createCluster({ seed: 1, clock: new ManualClock(Date.UTC(2026, 0, 1)) });
    terminal = new LabTerminal(cluster);
  });

  it('records where a command ran: -n, -A, else the context namespace, whichever way it was switched', async () => {
    expect(await effectsOf(terminal, 'kubectl get pods')).toMatchObject({ code: 0, namespace: 'default' });
    expect(await effectsOf(terminal, 'kubectl get pods -n kube-system')).toMatchObject({
      namespace: 'kube-system',
    });
    expect(await effectsOf(terminal, 'kubectl get pods -A')).toMatchObject({ namespace: '*' });
    await effectsOf(terminal, 'kubectl create namespace shop');
    await effectsOf(
      terminal,
      'kubectl config set-context shop --cluster=minikube --user=minikube --namespace=shop',
    );
    // `config` edits the kubeconfig: it runs where the context points, not in its --namespace value.
    expect(await effectsOf(terminal, 'kubectl config use-context shop')).toMatchObject({
      code: 0,
      namespace: 'default',
    });
    expect(await effectsOf(terminal, 'kubectl get pods')).toMatchObject({ namespace: 'shop' });
    // The first kubectl of a line decides; a line without kubectl records none.
    expect(await effectsOf(terminal, 'kubectl get pods -n default | grep x')).toMatchObject({
      namespace: 'default',
    });
    expect((await effectsOf(terminal, 'echo hi')).namespace).toBeUndefined();
  });

  it('records the objects a command wrote, not those of a dry run or of controllers', async () => {
    const created = await effectsOf(terminal, 'kubectl create deployment web --image=nginx --replicas=2');
    expect(created.touched).toEqual([
      { kind: 'Deployment', namespace: 'default', name: 'web', change: 'created' },
    ]);
    const scaled = await effectsOf(terminal, 'kubectl scale deployment web --replicas=3');
    expect(scaled.touched).toEqual([
      { kind: 'Deployment', namespace: 'default', name: 'web', change: 'updated' },
    ]);
    const dry = await effectsOf(terminal, 'kubectl create configmap c --from-literal=a=b --dry-run=server');
    expect(dry.touched).toEqual([]);
    const applied = await effectsOf(
      terminal,
      "kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: shop }\ndata: { a: b }\nEOF",
    );
    expect(applied).toMatchObject({ code: 0, namespace: 'default' });
    expect(applied.touched).toEqual([
      { kind: 'Namespace', name: 'shop', change: 'created' },
      { kind: 'ConfigMap', namespace: 'shop', name: 'c', change: 'created' },
    ]);
    const deleted = await effectsOf(terminal, 'kubectl delete configmap c -n shop');
    expect(deleted).toMatchObject({ namespace: 'shop' });
    expect(deleted.touched).toEqual([{ kind: 'ConfigMap', namespace: 'shop', name: 'c', change: 'deleted' }]);
  });

  it('keeps one entry per object with its last change', () => {
    const recorder = new EffectsRecorder();
    recorder.wrote('Pod', 'default', 'p', 'created');
    recorder.wrote('Pod', 'default', 'p', 'updated');
    recorder.wrote('Pod', 'default', 'q', 'updated');
    recorder.wrote('Pod', 'default', 'q', 'deleted');
    expect(recorder.effects().touched).toEqual([
      { kind: 'Pod', namespace: 'default', name: 'p', change: 'created' },
      { kind: 'Pod', namespace: 'default', name: 'q', change: 'deleted' },
    ]);
  });
});
