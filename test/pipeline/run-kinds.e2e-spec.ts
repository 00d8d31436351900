import {
  EnrolledStudent,
  enrolledStudent,
  explainingFailure,
  startPlatform,
  TestPlatform,
} from '../support/platform';

/**
 * The three kinds of run through the real platform (separate API and worker processes, real Redis
 * and PostgreSQL): background jobs beside foreground commands, `jobs` and `kill`, interactive runs
 * fed by what the student types, and a worker killed under all three.
 */
describe('runs that last: background jobs and interactive runs', () => {
  let platform: TestPlatform;
  let students = 0;

  async function student(): Promise<EnrolledStudent> {
    students++;
    return enrolledStudent(platform, `runs${students}@example.edu`);
  }

  async function submit(who: EnrolledStudent, command: string): Promise<string> {
    const ack = await who.socket.emitWithAck('command.submit', { labSessionId: who.labSessionId, command });
    if (!ack.ok) throw new Error(`${ack.code}: ${ack.message}`);
    return ack.data.runId;
  }

  async function run(who: EnrolledStudent, command: string) {
    const runId = await submit(who, command);
    const exit = await who.log.exitOf(runId, 20_000);
    return { runId, exit, output: who.log.outputOf(runId) };
  }

  function started(who: EnrolledStudent, runId: string) {
    return who.log
      .waitFor((e) => e.name === 'command.started' && e.payload.runId === runId, 20_000, `start of ${runId}`)
      .then(
        () => who.log.of(runId).find((e) => e.name === 'command.started')?.payload as Record<string, unknown>,
      );
  }

  async function type(who: EnrolledStudent, runId: string, payload: { data?: string; eof?: boolean }) {
    const ack = await who.socket.emitWithAck('command.input', {
      labSessionId: who.labSessionId,
      runId,
      ...payload,
    });
    expect(ack).toEqual({ ok: true, data: null });
  }

  beforeAll(async () => {
    platform = await startPlatform({ COMMAND_TIMEOUT_SECONDS: '20', BACKGROUND_JOBS_PER_SESSION: '2' });
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
  }, 30_000);

  it('runs a background job while foreground commands run in order beside it; jobs and kill work', async () => {
    const who = await student();
    const watch = await submit(who, 'kubectl get pods -w &');
    const start = await started(who, watch);
    expect(start).toMatchObject({ kind: 'background', job: { number: 1, pid: expect.any(Number) } });
    const pid = (start.job as { pid: number }).pid;

    // Foreground commands run (in order) while the watch goes on.
    const create = await run(who, 'kubectl create deployment web --image=nginx');
    expect(create.exit).toMatchObject({ exitCode: 0, status: 'completed' });
    expect(create.output).toBe('deployment.apps/web created\n');
    await who.log.waitFor(
      (e) =>
        e.name === 'command.output' && e.payload.runId === watch && /web-/.test(e.payload.data as string),
      20_000,
      'the watch to see the new pod',
    );
    expect(who.log.of(watch).some((e) => e.name === 'command.exit')).toBe(false);

    const jobs = await run(who, 'jobs -l');
    expect(jobs.output).toBe(
      `[1]+ ${String(pid).padStart(5)} Running                 kubectl get pods -w &\n`,
    );

    // The session's limit (2 here): a third job is refused with a clear message.
    await started(who, await submit(who, 'kubectl get deployments -w &'));
    const third = await run(who, 'kubectl get services -w &');
    expect(third.exit).toMatchObject({ exitCode: 1, status: 'completed' });
    expect(third.output).toMatch(/at most 2 background jobs can run at once/);

    const kill = await run(who, 'kill %1');
    expect(kill.exit.exitCode).toBe(0);
    const ended = await who.log.exitOf(watch, 10_000);
    expect(ended).toMatchObject({ status: 'cancelled', exitCode: 143 });
    const notice = who.log.of(watch).find((e) => e.name === 'command.exit')?.payload.jobNotice;
    expect(notice).toMatch(/^\[1\]-  Terminated {14}kubectl get pods -w\n$/);

    const missing = await run(who, 'kill %1');
    expect(missing.exit.exitCode).toBe(1);
    expect(missing.output).toBe('bash: kill: %1: no such job\n');

    // A reload lists the job still running and the ended one in the history.
    const snapshot = await who.socket.emitWithAck('session.join', { labSessionId: who.labSessionId });
    if (!snapshot.ok) throw new Error(snapshot.message);
    expect(snapshot.data.jobs).toEqual([
      expect.objectContaining({ number: 2, command: 'kubectl get deployments -w' }),
    ]);
    expect(snapshot.data.history.find((entry) => entry.runId === watch)).toMatchObject({
      kind: 'background',
      job: { number: 1, pid },
      status: 'cancelled',
    });
    await run(who, 'kill %2');
    who.socket.close();
  }, 60_000);

  it('feeds a typed heredoc to kubectl apply -f - as one run, and a program that reads input', async () => {
    const who = await student();
    const apply = await submit(who, 'kubectl apply -f - <<EOF');
    expect(await started(who, apply)).toMatchObject({ kind: 'interactive', inputPrompt: '> ' });
    await type(who, apply, { data: 'apiVersion: v1\nkind: Pod\n' });
    await type(who, apply, { data: 'metadata:\n  name: typed\nspec:\n  containers:\n' });
    await type(who, apply, { data: '  - name: web\n    image: nginx\nEOF\n' });
    const exit = await who.log.exitOf(apply, 10_000);
    expect(exit).toMatchObject({ exitCode: 0, status: 'completed' });
    expect(who.log.outputOf(apply)).toBe(
      '> apiVersion: v1\n> kind: Pod\n> metadata:\n>   name: typed\n> spec:\n>   containers:\n' +
        '>   - name: web\n>     image: nginx\n> EOF\npod/typed created\n',
    );

    // Lines submitted meanwhile wait behind an interactive run, as in a real terminal.
    const read = await submit(who, 'read -p "name? " NAME');
    const after = await submit(who, 'echo hello $NAME');
    expect(await started(who, read)).toMatchObject({ kind: 'interactive', inputPrompt: '' });
    expect(who.log.of(after).some((e) => e.name === 'command.started')).toBe(false);
    await type(who, read, { data: 'ada\n' });
    expect(await who.log.exitOf(read)).toMatchObject({ exitCode: 0 });
    expect(await who.log.exitOf(after)).toMatchObject({ exitCode: 0 });
    expect(who.log.outputOf(after)).toBe('hello ada\n');

    // Ctrl-D ends the input; Ctrl-C cancels a run that waits for it.
    const cat = await submit(who, 'cat');
    await started(who, cat);
    await type(who, cat, { data: 'one\n' });
    await type(who, cat, { eof: true });
    expect(await who.log.exitOf(cat)).toMatchObject({ exitCode: 0 });
    expect(who.log.outputOf(cat)).toBe('one\none\n');
    const waiting = await submit(who, 'cat');
    await started(who, waiting);
    await who.socket.emitWithAck('command.cancel', { labSessionId: who.labSessionId });
    expect(await who.log.exitOf(waiting)).toMatchObject({ exitCode: 130, status: 'cancelled' });

    // A heredoc pasted whole is one command too.
    const pasted = await run(
      who,
      'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pasted\nspec:\n  containers:\n  - name: web\n    image: nginx\nEOF',
    );
    expect(pasted.output).toBe('pod/pasted created\n');
    who.socket.close();
  }, 60_000);

  /** The exit a restarted worker's housekeeping gives a dead worker's run. */
  function exitAfterRestart(who: EnrolledStudent, runId: string) {
    return explainingFailure(platform, who.log.exitOf(runId, 150_000));
  }

  // The restarted worker compiles its sources on the fly (no cache in a fresh clone): on a busy machine that
  // took 39-50 s here with the machine quiet, and over 75 s in a busy CI run, before it finds the dead worker's runs.
  it('ends foreground, background and interactive runs as interrupted when the worker is killed', async () => {
    const who = await student();
    const background = await submit(who, 'kubectl get pods -w &');
    await started(who, background);
    const interactive = await submit(who, 'cat');
    await started(who, interactive);
    await platform.worker.stop('SIGKILL');
    platform.worker.start();
    for (const runId of [background, interactive]) {
      const exit = await exitAfterRestart(who, runId);
      expect(exit).toMatchObject({ exitCode: 137, status: 'interrupted' });
      expect(exit.note).toMatch(/Interrupted: the worker running this command stopped/);
    }
    const snapshot = await who.socket.emitWithAck('session.join', { labSessionId: who.labSessionId });
    expect(snapshot.ok && snapshot.data.jobs).toEqual([]);
    const foreground = await submit(who, 'kubectl get pods -A -w');
    await started(who, foreground);
    await platform.worker.stop('SIGKILL');
    platform.worker.start();
    expect(await exitAfterRestart(who, foreground)).toMatchObject({ exitCode: 137, status: 'interrupted' });
    const next = await run(who, 'kubectl get deployments -o name');
    expect(next.exit.exitCode).toBe(0);
    who.socket.close();
  }, 480_000);
});
