import { HistoryRow, SessionHistory } from './session-history';

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

  it('forgets an open run that ended without a place in the history (a dead worker interrupted it)', () => {
    const history = new SessionHistory();
    history.add([row(1, 'running')]);
    history.add([row(1, 'interrupted')]);
    expect(history.openSeqs()).toEqual([]);
    expect(history.entries).toEqual([]);
  });
});
