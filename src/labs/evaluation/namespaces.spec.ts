import { parseCheck } from '../loader/loader';
import { LabSession } from '../runner/lab-session';
import { HistoryEntry } from './context';
import { evaluateCheck } from './evaluate';
import { contextNamespaceAfter, effectiveNamespaces, namespaceOf } from './namespaces';
import { readObjectsFromList } from './objects-from-list';

const ran = (command: string, exitCode = 0): HistoryEntry => ({ command, exitCode });

describe('effective namespaces', () => {
  it.each([
    ['kubectl get pods -n shop', 'shop'],
    ['kubectl get pods --namespace shop', 'shop'],
    ['kubectl get pods --namespace=shop', 'shop'],
    ['kubectl -nshop get pods', 'shop'],
    ['kubectl get pods -A', '*'],
    ['kubectl get pods --all-namespaces', '*'],
    ['kubectl get pods', 'ctx'],
    ['kubectl exec web -- ls -n x', 'ctx'],
    ['echo hi', 'ctx'],
  ])('%s runs in %s', (command, namespace) => {
    expect(namespaceOf(command, 'ctx')).toBe(namespace);
  });

  it('follow set-context --current --namespace, replayed from the history', () => {
    expect(contextNamespaceAfter('kubectl config set-context --current --namespace=shop')).toBe('shop');
    expect(contextNamespaceAfter('kubectl config set-context other --namespace=shop')).toBeUndefined();
    const history = [
      ran('kubectl get pods'),
      ran('kubectl config set-context --current --namespace=shop'),
      ran('kubectl get pods'),
      ran('kubectl config set-context --current --namespace shop2', 1),
      ran('kubectl get pods -n kube-system'),
    ];
    expect(effectiveNamespaces(history)).toEqual({
      namespaces: ['default', 'default', 'shop', 'shop', 'kube-system'],
      after: 'shop',
    });
  });
});

describe('ran checks with a namespace', () => {
  const check = parseCheck(
    "ran: { command: '^kubectl\\s+get\\s+pods', namespace: '{{ns}}', example: 'kubectl get pods -n shop' }",
    ['ns'],
  );
  const grade = (history: HistoryEntry[]) =>
    evaluateCheck(check, { readObjects: readObjectsFromList([]), history }, { ns: { value: 'shop' } });

  it('pass for -n or for the namespace the context was switched to', async () => {
    expect((await grade([ran('kubectl get pods -n shop')])).passed).toBe(true);
    const switched = [ran('kubectl config set-context --current --namespace=shop'), ran('kubectl get pods')];
    expect((await grade(switched)).passed).toBe(true);
  });

  it('fail for another namespace and say where the command ran', async () => {
    const verdict = await grade([ran('kubectl get pods')]);
    expect(verdict.passed).toBe(false);
    expect(verdict.reason.en).toBe(
      'Your history has no command like `kubectl get pods -n shop` in namespace shop that succeeded. ' +
        'The closest one, `kubectl get pods`, ran in namespace default.',
    );
  });

  it('use the namespace a lab session recorded from its kubeconfig', async () => {
    const session = new LabSession();
    await session.run('kubectl create namespace shop');
    await session.run('kubectl config set-context --current --namespace=shop');
    await session.run('kubectl get pods');
    expect(session.history.map((entry) => entry.contextNamespace)).toEqual(['default', 'default', 'shop']);
    expect((await grade(session.history)).passed).toBe(true);
  });
});
