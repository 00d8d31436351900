import type { CommandRunRepository, QueuedRun } from '../repositories/command-run.repository';
import type { EventRepository } from '../repositories/event.repository';
import type { SessionJobsRepository } from '../repositories/session-jobs.repository';
import {
  InMemorySessionJobsRepository,
  RecordingEventRepository,
} from '../repositories/testing/in-memory-repositories';
import { ExitCode, RunOutcome } from './outcomes';
import { HeldRecords } from './held-records';
import { RunLedger } from './run-ledger';
import { InMemoryCommandRunRepository } from './testing/in-memory-runs';

function setup() {
  const runs = new InMemoryCommandRunRepository();
  const jobs = new InMemorySessionJobsRepository();
  const events = new RecordingEventRepository();
  const ledger = new RunLedger(
    runs as unknown as CommandRunRepository,
    jobs as unknown as SessionJobsRepository,
    events as unknown as EventRepository,
    new HeldRecords(),
  );
  return { runs, jobs, events, ledger };
}

let counter = 0;
function queued(kind: QueuedRun['kind'] = 'foreground'): QueuedRun {
  counter++;
  return {
    id: `run-${counter}`,
    labSessionId: 'session-1',
    userId: 'user-1',
    seq: counter,
    command: 'kubectl get pods',
    kind,
    queuedAt: new Date(),
  };
}

const outcomes: [RunOutcome, { status: string; exitCode: number; note?: string | RegExp }][] = [
  [
    { kind: 'completed', exitCode: 0 },
    { status: 'completed', exitCode: 0 },
  ],
  [
    { kind: 'completed', exitCode: 1 },
    { status: 'completed', exitCode: 1 },
  ],
  [{ kind: 'cancelled' }, { status: 'cancelled', exitCode: ExitCode.Cancelled, note: '^C' }],
  [
    { kind: 'terminated', signal: 'TERM' },
    { status: 'cancelled', exitCode: ExitCode.Terminated },
  ],
  [
    { kind: 'timed_out', limitSeconds: 30, what: 'command' },
    { status: 'timed_out', exitCode: 124, note: 'Stopped after 30 s, the time limit for one command.' },
  ],
  [
    { kind: 'timed_out', limitSeconds: 900, what: 'lasting' },
    { status: 'timed_out', exitCode: 124, note: /^Stopped after 15 min, the time limit for a command that/ },
  ],
  [
    { kind: 'interrupted', reason: 'worker-died' },
    { status: 'interrupted', exitCode: 137, note: /the worker running this command stopped/ },
  ],
  [
    { kind: 'not_run', message: 'the cluster could not be created.' },
    { status: 'interrupted', exitCode: 1, note: 'Not run: the cluster could not be created.' },
  ],
];

describe('RunLedger', () => {
  it.each(outcomes)(
    'ends a run once with %j, writing the record before announcing it',
    async (outcome, expected) => {
      const { runs, events, ledger } = setup();
      const run = queued();
      await runs.recordQueued(run);
      const ending = { id: run.id, labSessionId: run.labSessionId, kind: run.kind, identity: run };
      expect(await ledger.end(ending, outcome)).toBe(true);
      expect(await ledger.end(ending, { kind: 'cancelled' })).toBe(false);
      expect(
        await ledger.end({ ...ending, identity: undefined }, { kind: 'interrupted', reason: 'worker-died' }),
      ).toBe(false);
      const exits = events.payloadsOf('command.exit');
      expect(exits).toHaveLength(1);
      const { note, ...rest } = expected;
      expect(exits[0]).toMatchObject({ runId: run.id, kind: 'foreground', ...rest });
      if (note instanceof RegExp) expect(exits[0].note).toMatch(note);
      else expect(exits[0].note).toBe(note);
      expect(runs.rows.get(run.id)).toMatchObject(rest);
    },
  );

  it('lets one of many concurrent ends win, in this process and through the record', async () => {
    const { runs, events, ledger } = setup();
    runs.delayMs = 5;
    const run = queued();
    await runs.recordQueued(run);
    const ending = { id: run.id, labSessionId: run.labSessionId, kind: run.kind };
    const results = await Promise.all([
      ledger.end({ ...ending, identity: run }, { kind: 'completed', exitCode: 0 }),
      ledger.end(ending, { kind: 'cancelled' }),
      ledger.end(ending, { kind: 'interrupted', reason: 'worker-died' }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(events.payloadsOf('command.exit')).toHaveLength(1);
    // Another process's ledger (a second instance over the same records) loses too.
    const other = setup();
    const second = new RunLedger(
      runs as unknown as CommandRunRepository,
      other.jobs as unknown as SessionJobsRepository,
      other.events as unknown as EventRepository,
      new HeldRecords(),
    );
    expect(await second.end(ending, { kind: 'cancelled' })).toBe(false);
    expect(other.events.payloadsOf('command.exit')).toHaveLength(0);
  });

  it('writes the whole record of a run whose queued record has not landed yet', async () => {
    const { runs, ledger } = setup();
    const run = queued();
    const ended = await ledger.end(
      { id: run.id, labSessionId: run.labSessionId, kind: run.kind, identity: run },
      { kind: 'completed', exitCode: 0 },
      { clusterId: 'c1', startedAt: new Date(), output: 'ok\n', outputBytes: 3, truncated: false },
    );
    expect(ended).toBe(true);
    expect(runs.rows.get(run.id)).toMatchObject({ status: 'completed', output: 'ok\n', clusterId: 'c1' });
    // The queued insert that lands afterwards changes nothing.
    await runs.recordQueued(run);
    expect(runs.rows.get(run.id)?.status).toBe('completed');
  });

  it('announces the end of a run it holds alone even when the record cannot be written', async () => {
    const { runs, events, ledger } = setup();
    runs.finish = () => Promise.reject(new Error('database down'));
    const run = queued();
    const ending = { id: run.id, labSessionId: run.labSessionId, kind: run.kind, identity: run };
    await expect(ledger.end(ending, { kind: 'cancelled' })).rejects.toThrow('database down');
    expect(await ledger.end({ ...ending, exclusive: true }, { kind: 'cancelled' })).toBe(true);
    expect(events.payloadsOf('command.exit')).toHaveLength(1);
  });

  it('takes a background job out of the table with the notice bash prints', async () => {
    const { runs, jobs, events, ledger } = setup();
    const first = queued('background');
    const second = queued('background');
    for (const run of [first, second]) {
      await runs.recordQueued(run);
      const job = await jobs.start(
        run.labSessionId,
        { runId: run.id, command: 'kubectl get pods -w', workerId: 'w', startedAt: '' },
        3,
      );
      if ('full' in job) throw new Error('table full');
      await runs.startLasting(run, { job, clusterId: 'c1', startedAt: new Date() });
    }
    await ledger.end(
      { id: second.id, labSessionId: second.labSessionId, kind: 'background', identity: second },
      { kind: 'terminated', signal: 'TERM' },
    );
    expect(await jobs.list('session-1')).toEqual([expect.objectContaining({ number: 1, runId: first.id })]);
    expect(events.payloadsOf('command.exit')[0]).toMatchObject({
      kind: 'background',
      exitCode: 143,
      jobNotice: '[2]+  Terminated              kubectl get pods -w\n',
    });
    await ledger.end(
      { id: first.id, labSessionId: first.labSessionId, kind: 'background', identity: first },
      { kind: 'completed', exitCode: 0 },
    );
    expect(events.payloadsOf('command.exit')[1].jobNotice).toBe(
      '[1]+  Done                    kubectl get pods -w\n',
    );
  });
});
