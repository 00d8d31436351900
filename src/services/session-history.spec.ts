import { parseCheck } from '../labs/loader/loader';
import type { EvaluationContext } from '../labs/evaluation/context';
import { evaluateCheck } from '../labs/evaluation/evaluate';
import { readObjectsFromList } from '../labs/evaluation/objects-from-list';
import { historyEntryOf, HistoryRow, ownClientOf, SessionHistory } from './session-history';

const row = (seq: number, status: HistoryRow['status'], command = `cmd ${seq}`): HistoryRow => ({
  seq,
  command,
  exitCode: status === 'completed' ? 0 : null,
  output: '',
  status,
});

describe('SessionHistory', () => {
  it('keeps ended commands in sequence order and skips those the history does not show', () => {
    const history = new SessionHistory();
    history.add([row(1, 'completed'), row(2, 'rejected'), row(3, 'timed_out'), row(4, 'interrupted')]);
    expect(history.entries.map((entry) => entry.command)).toEqual(['cmd 1', 'cmd 3']);
    expect(history.lastSeq).toBe(4);
    expect(history.openSeqs()).toEqual([]);
  });

  it('reads a background job again until it ends, then places it before the commands typed after it', () => {
    const history = new SessionHistory();
    history.add([row(1, 'completed'), row(2, 'running', 'kubectl get pods -w &'), row(3, 'completed')]);
    expect(history.openSeqs()).toEqual([2]);
    expect(history.entries.map((entry) => entry.command)).toEqual(['cmd 1', 'cmd 3']);

    history.add([row(2, 'running', 'kubectl get pods -w &'), row(4, 'completed')]);
    expect(history.openSeqs()).toEqual([2]);

    history.add([row(2, 'cancelled', 'kubectl get pods -w &')]);
    expect(history.openSeqs()).toEqual([]);
    expect(history.entries.map((entry) => entry.command)).toEqual([
      'cmd 1',
      'kubectl get pods -w &',
      'cmd 3',
      'cmd 4',
    ]);
    expect(history.lastSeq).toBe(4);
  });

  it('never holds a command twice when a row is read again', () => {
    const history = new SessionHistory();
    history.add([row(1, 'completed')]);
    history.add([row(1, 'completed')]);
    expect(history.entries).toHaveLength(1);
  });

  it('keeps a command or output equal to a recent one once, and counts its characters once', () => {
    const history = new SessionHistory();
    // Rows read from the database: equal texts, but strings of their own.
    const table = () => ['NAME', 'READY', 'STATUS'].join('   ');
    const read = (seq: number): HistoryRow => ({
      ...row(seq, 'completed', 'kubectl get pods'),
      output: table(),
    });
    history.add([read(1)]);
    const once = history.bytes;
    history.add([read(2), read(3)]);
    const [first, second, third] = history.entries;
    expect(second.output).toBe(first.output);
    expect(third.command).toBe(first.command);
    // Equal in every field, the later entries are the first one: they cost their places only (12 bytes each).
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(history.bytes - once).toBe(2 * 12);
    history.add([{ ...read(4), output: 'No resources found in default namespace.\n' }]);
    expect(history.entries[3].output).toBe('No resources found in default namespace.\n');
    expect(history.entries[3]).not.toBe(first);
  });

  it('shares an entry only when every field is equal, and shares equal lists of touched objects', () => {
    const history = new SessionHistory();
    const touched = () => [{ kind: 'Node', name: 'minikube', change: 'updated' as const }];
    const label = (seq: number, value: number, exitCode = 0): HistoryRow => ({
      ...row(seq, 'completed', `kubectl label nodes minikube bench=${value} --overwrite`),
      exitCode,
      output: 'node/minikube labeled\n',
      effects: { contextNamespace: '', touched: touched() },
    });
    history.add([label(1, 1), label(2, 1, 1), label(3, 2), label(4, 2)]);
    const [first, failed, other, again] = history.entries;
    expect(failed).not.toBe(first);
    expect(failed.exitCode).toBe(1);
    expect(other).not.toBe(first);
    expect(other.command).toBe('kubectl label nodes minikube bench=2 --overwrite');
    expect(again).toBe(other);
    expect(other.touched).toBe(first.touched);
    expect(first.touched).toEqual(touched());
  });

  it('forgets an open run that ended without a place in the history (a dead worker interrupted it)', () => {
    const history = new SessionHistory();
    history.add([row(1, 'running')]);
    history.add([row(1, 'interrupted')]);
    expect(history.openSeqs()).toEqual([]);
    expect(history.entries).toEqual([]);
  });
});

describe('SessionHistory: running jobs and recorded effects', () => {
  const background = (seq: number, status: HistoryRow['status'], exitCode: number | null): HistoryRow => ({
    seq,
    command: 'kubectl port-forward svc/web 8080:80 &',
    exitCode,
    output: '',
    status,
    kind: 'background',
  });

  it('shows a running background job at its place without an exit code, then replaces it when it ends', () => {
    const history = new SessionHistory();
    history.add([row(1, 'completed'), background(2, 'running', null)]);
    expect(history.entries[1]).toEqual({
      command: 'kubectl port-forward svc/web 8080:80 &',
      exitCode: null,
      output: '',
      running: true,
    });
    expect(history.openSeqs()).toEqual([2]);

    history.add([background(2, 'running', null), row(3, 'completed', 'curl localhost:8080')]);
    expect(history.entries.map((entry) => entry.command)).toEqual([
      'cmd 1',
      'kubectl port-forward svc/web 8080:80 &',
      'curl localhost:8080',
    ]);

    const whileRunning = history.bytes;
    history.add([background(2, 'cancelled', 130)]);
    // The ended entry takes the running one's place: no new place or texts, only its own object (100 bytes).
    expect(history.bytes).toBe(whileRunning + 100);
    expect(history.entries[1]).toMatchObject({ exitCode: 130 });
    expect(history.entries[1].running).toBeUndefined();
    expect(history.entries).toHaveLength(3);
    expect(history.openSeqs()).toEqual([]);
  });

  it('drops a job seen running that ended interrupted (a dead worker)', () => {
    const history = new SessionHistory();
    history.add([background(1, 'running', null)]);
    expect(history.bytes).toBeGreaterThan(0);
    history.add([background(1, 'interrupted', null)]);
    expect(history.entries).toEqual([]);
    expect(history.bytes).toBe(0);
  });

  it('carries the namespaces and objects the driver recorded', () => {
    const history = new SessionHistory();
    const touched = [{ kind: 'Deployment', namespace: 'shop', name: 'web', change: 'created' as const }];
    history.add([
      {
        ...row(1, 'completed', 'kubectl create deployment web --image=nginx'),
        effects: { contextNamespace: 'shop', namespace: 'shop', touched },
      },
      { ...row(2, 'completed', 'echo hi'), effects: { contextNamespace: '', touched: [] } },
    ]);
    expect(history.entries).toEqual([
      {
        command: 'kubectl create deployment web --image=nginx',
        exitCode: 0,
        output: '',
        contextNamespace: 'shop',
        namespace: 'shop',
        touched,
      },
      { command: 'echo hi', exitCode: 0, output: '', contextNamespace: '', touched: [] },
    ]);
  });
});

describe('lines from the student’s own kubectl (issue 20)', () => {
  const own = (seq: number, command: string, namespace: string): HistoryRow => ({
    seq,
    command,
    exitCode: 0,
    output: '',
    status: 'completed',
    effects: { contextNamespace: '', namespace, touched: [], origin: { client: 'kubectl', requests: 3 } },
  });

  async function verdict(check: string, rows: HistoryRow[]) {
    const history = new SessionHistory();
    history.add(rows);
    const context: EvaluationContext = { readObjects: readObjectsFromList([]), history: history.entries };
    return (await evaluateCheck(parseCheck(check), context)).passed;
  }

  it('has no output and leaves the terminal’s context namespace alone', () => {
    const history = new SessionHistory();
    history.add([own(1, 'kubectl get pods -n shop', 'shop')]);
    expect(history.entries).toEqual([
      { command: 'kubectl get pods -n shop', exitCode: 0, namespace: 'shop', touched: [] },
    ]);
    expect(historyEntryOf(own(1, 'kubectl version', 'default')).output).toBeUndefined();
    expect(ownClientOf(own(1, 'kubectl version', 'default').effects)).toBe('kubectl');
    expect(ownClientOf({ contextNamespace: '', touched: [] })).toBeUndefined();
  });

  it('matches ran patterns on the rebuilt line and its namespace, never output conditions', async () => {
    const rows = [own(1, 'kubectl get pods -n kube-system', 'kube-system')];
    expect(await verdict("ran: { command: '^kubectl\\s+get\\s+pods' }", rows)).toBe(true);
    expect(await verdict("ran: { command: '^kubectl\\s+get\\s+pods', namespace: kube-system }", rows)).toBe(
      true,
    );
    expect(await verdict("ran: { command: '^kubectl\\s+get\\s+pods', namespace: default }", rows)).toBe(
      false,
    );
    expect(await verdict("ran: { command: '^kubectl\\s+get\\s+pods', output: '.*' }", rows)).toBe(false);
  });

  it('keeps the namespace a terminal `set-context` line set for the terminal’s later lines', async () => {
    const terminal: HistoryRow = {
      seq: 1,
      command: 'kubectl config set-context --current --namespace=shop',
      exitCode: 0,
      output: '',
      status: 'completed',
    };
    const later: HistoryRow = {
      seq: 3,
      command: 'kubectl get pods',
      exitCode: 0,
      output: '',
      status: 'completed',
    };
    const rows = [terminal, own(2, 'kubectl get deployments', 'default'), later];
    const check =
      "ranInOrder: [{ command: '^kubectl\\s+get\\s+deployments', namespace: default }, { command: '^kubectl\\s+get\\s+pods$', namespace: shop }]";
    expect(await verdict(check, rows)).toBe(true);
  });
});
