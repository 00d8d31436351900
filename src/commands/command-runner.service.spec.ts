import type { ClusterDriver } from '../clusters/cluster-driver';
import { EmbeddedClusterDriver } from '../clusters/embedded/embedded-cluster.driver';
import { BadDriver, FakeDriver, NeverReadyDriver, SlowDriver } from '../clusters/testing/fake-drivers';
import type { QueuedRun } from '../repositories/command-run.repository';
import type { LabSession } from '../repositories/lab-session.repository';
import { ExitCode } from './outcomes';
import { CommandRunnerHarness, commandRunnerHarness } from './testing/command-runner-harness';

/**
 * The worker's side of a command's life with fake drivers and in-memory repositories (no Redis, no
 * PostgreSQL) on Jest's fake clock: every outcome ends a run exactly once, and the three kinds of
 * run keep their order, their limits and their cancel.
 */

/** Lines that follow changes until Ctrl-C, as `kubectl get pods -w` does. */
const follows = (line: string) => / -w$|--watch$/.test(line);

let h: CommandRunnerHarness;
let session: LabSession;
let drains: Promise<void>[];

async function setup(driver: ClusterDriver, env: Record<string, string> = {}): Promise<void> {
  h = commandRunnerHarness(driver, env);
  await h.runner.onModuleInit();
  session = h.session();
  drains = [];
}

/** Jest's fake clock, except for the engine, whose bootstrap refuses timers it did not set. */
let fakeClock = true;

/** Moves the fake clock on by `ms` (on the real clock: lets pending work move, without waiting). */
async function tick(ms: number): Promise<void> {
  if (fakeClock) await jest.advanceTimersByTimeAsync(ms);
  else await new Promise((resolve) => setImmediate(resolve));
}

/** Lets every promise that can move without the clock move. */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await tick(0);
}

/** The student's cluster, ready before the first line (provisioning has specs of its own). */
async function withReadyCluster(): Promise<void> {
  await h.lifecycle.ensureCluster(session);
  let provisioned = false;
  void h.queue.settled().then(() => (provisioned = true));
  // A slow driver takes its time on the fake clock.
  for (let step = 0; step < 1000 && !provisioned; step++) await tick(50);
  expect(h.clusters.rows[0]?.status).toBe('ready');
}

/** Admits lines and starts the drain a `command.run` job would start. */
async function submit(...lines: string[]): Promise<QueuedRun[]> {
  const runs: QueuedRun[] = [];
  for (const line of lines) runs.push(await h.submit(session, line));
  drains.push(h.runner.drain(session.id));
  await flush();
  return runs;
}

function exitsOf(run: QueuedRun) {
  return h.events.payloadsOf('command.exit').filter((exit) => exit.runId === run.id);
}

function exitOf(run: QueuedRun) {
  const [exit] = exitsOf(run);
  return exit;
}

function startOf(run: QueuedRun) {
  return h.events.payloadsOf('command.started').find((started) => started.runId === run.id);
}

/** The buffer a run opened in the editor pane (command.editor), once it has. */
async function editorOf(run: QueuedRun) {
  for (let i = 0; i < 200; i++) {
    const opened = h.events.payloadsOf('command.editor').find((editor) => editor.runId === run.id);
    if (opened) return opened;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`run ${run.command} opened no editor`);
}

function outputOf(run: QueuedRun): string {
  return h.events
    .payloadsOf('command.output')
    .filter((output) => output.runId === run.id)
    .map((output) => output.data)
    .join('');
}

/** The order in which runs started and ended, as `started:<seq>` / `exit:<seq>`. */
function timeline(runs: QueuedRun[]): string[] {
  const seqOf = new Map(runs.map((run) => [run.id, run.seq]));
  return h.events.emitted.flatMap((event) => {
    if (event.event !== 'command.started' && event.event !== 'command.exit') return [];
    const seq = seqOf.get((event.payload as { runId: string }).runId);
    return seq === undefined ? [] : [`${event.event === 'command.started' ? 'started' : 'exit'}:${seq}`];
  });
}

/** Every run admitted has ended exactly once: one `command.exit`, a closed record. */
function expectEveryRunEndedOnce(): void {
  for (const row of h.runs.rows.values()) {
    expect({ command: row.command, exits: exitsOf(row).length }).toEqual({ command: row.command, exits: 1 });
    expect(['queued', 'running']).not.toContain(row.status);
  }
}

beforeEach(() => {
  fakeClock = true;
  jest.useFakeTimers();
});

afterEach(async () => {
  const destroyed = h.runner.onModuleDestroy();
  await tick(5000);
  await destroyed;
  await Promise.all(drains);
  jest.useRealTimers();
});

describe('CommandRunnerService: foreground runs', () => {
  it('runs a session one command at a time, in order, each ending once with its output', async () => {
    await setup(new SlowDriver({ execMs: 1000 }));
    await withReadyCluster();
    const runs = await submit('kubectl get pods', 'kubectl get nodes', 'echo three');
    expect(timeline(runs)).toEqual(['started:1']);
    await jest.advanceTimersByTimeAsync(1000);
    expect(timeline(runs)).toEqual(['started:1', 'exit:1', 'started:2']);
    await jest.advanceTimersByTimeAsync(2000);
    await Promise.all(drains);
    expect(timeline(runs)).toEqual(['started:1', 'exit:1', 'started:2', 'exit:2', 'started:3', 'exit:3']);
    expect(runs.map(outputOf)).toEqual(['kubectl get pods\n', 'kubectl get nodes\n', 'echo three\n']);
    expect(runs.map((run) => exitOf(run))).toEqual(
      runs.map(() => expect.objectContaining({ status: 'completed', exitCode: 0, kind: 'foreground' })),
    );
    expect(h.runs.rows.get(runs[1].id)).toMatchObject({ status: 'completed', output: 'kubectl get nodes\n' });
    // Graded after each, in order; the drain let go of the session.
    expect(h.grading.graded.map((graded) => graded.finished.seq)).toEqual([1, 2, 3]);
    expect(h.mailbox.isLocked(session.id)).toBe(false);
    expectEveryRunEndedOnce();
  });

  it("keeps a command's own exit code", async () => {
    await setup(
      new FakeDriver({ replies: { 'kubectl get pod nope': { stderr: 'NotFound\n', exitCode: 1 } } }),
    );
    await withReadyCluster();
    const [run] = await submit('kubectl get pod nope');
    await Promise.all(drains);
    expect(exitOf(run)).toMatchObject({ status: 'completed', exitCode: 1 });
    expect(outputOf(run)).toBe('NotFound\n');
    expectEveryRunEndedOnce();
  });

  it('times a command out after 30 s (exit 124) and runs the next one', async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [sleep, next] = await submit('sleep', 'echo next');
    await jest.advanceTimersByTimeAsync(29_999);
    expect(exitsOf(sleep)).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    await Promise.all(drains);
    expect(exitOf(sleep)).toMatchObject({
      status: 'timed_out',
      exitCode: ExitCode.TimedOut,
      note: 'Stopped after 30 s, the time limit for one command.',
    });
    expect(exitOf(next)).toMatchObject({ status: 'completed', exitCode: 0 });
    expectEveryRunEndedOnce();
  });

  it('gives a command that follows changes the lasting limit (15 min), until Ctrl-C', async () => {
    await setup(new FakeDriver({ runsUntilAborted: follows }));
    await withReadyCluster();
    const [watch, watchAgain] = await submit('kubectl get pods -w', 'kubectl get pods -w');
    await jest.advanceTimersByTimeAsync(15 * 60_000);
    expect(exitOf(watch)).toMatchObject({ status: 'timed_out', exitCode: 124 });
    expect(exitOf(watch).note).toMatch(/^Stopped after 15 min, the time limit for a command that follows/);
    await h.cancel(watchAgain);
    await Promise.all(drains);
    expect(exitOf(watchAgain)).toMatchObject({
      status: 'cancelled',
      exitCode: ExitCode.Cancelled,
      note: '^C',
    });
    expectEveryRunEndedOnce();
  });

  it('cancels a running command (130) and withdraws a queued one, which then never runs', async () => {
    const driver = new FakeDriver();
    await setup(driver);
    await withReadyCluster();
    const [sleep, queued, after] = await submit('sleep', 'echo queued', 'echo after');
    await h.cancel(queued);
    await h.cancel(sleep);
    await Promise.all(drains);
    expect(exitOf(sleep)).toMatchObject({ status: 'cancelled', exitCode: 130, note: '^C' });
    expect(exitOf(queued)).toMatchObject({ status: 'cancelled', exitCode: 130 });
    expect(exitOf(after)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(driver.callsOf('exec').map((call) => call.line)).toEqual(['sleep', 'echo after']);
    // A second Ctrl-C of an ended run, or a late end from elsewhere, changes nothing.
    await h.cancel(sleep);
    expect(
      await h.ledger.end(
        { id: queued.id, labSessionId: session.id, kind: 'foreground' },
        { kind: 'cancelled' },
      ),
    ).toBe(false);
    await flush();
    expectEveryRunEndedOnce();
  });

  it('ends what runs as interrupted (137) when the worker shuts down', async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [sleep] = await submit('sleep');
    h.runner.abortAll();
    await Promise.all(drains);
    expect(exitOf(sleep)).toMatchObject({
      status: 'interrupted',
      exitCode: ExitCode.Interrupted,
      note: 'Interrupted: the worker is shutting down.',
    });
    expectEveryRunEndedOnce();
  });

  it('ends a command with exit 1 and a message when the driver fails under it', async () => {
    class FailingExec extends FakeDriver {
      override async exec(): Promise<never> {
        throw new Error('backend lost');
      }
    }
    await setup(new FailingExec());
    await withReadyCluster();
    const [run] = await submit('kubectl get pods');
    await Promise.all(drains);
    expect(exitOf(run)).toMatchObject({ status: 'completed', exitCode: 1 });
    expect(outputOf(run)).toBe('error: the lab terminal failed to run this command; please try again.\n');
    expectEveryRunEndedOnce();
  });
});

describe('CommandRunnerService: clusters that do not come up', () => {
  it('ends a line as not run (exit 1) when the cluster never gets ready within the provisioning limit', async () => {
    await setup(new NeverReadyDriver(), { CLUSTER_PROVISION_TIMEOUT_SECONDS: '60' });
    const [first, second] = await submit('kubectl get pods', 'kubectl get nodes');
    expect(exitsOf(first)).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(61_000);
    expect(exitOf(first)).toMatchObject({
      status: 'interrupted',
      exitCode: ExitCode.NotRun,
      note: 'Not run: the cluster is still starting; try again shortly.',
    });
    await jest.advanceTimersByTimeAsync(61_000);
    await Promise.all(drains);
    expect(exitOf(second)).toMatchObject({ exitCode: ExitCode.NotRun });
    expectEveryRunEndedOnce();
  });

  it('ends a line as not run when the backend fails to create the cluster', async () => {
    await setup(new BadDriver('no capacity'));
    const [run] = await submit('kubectl get pods');
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(drains);
    expect(exitOf(run)).toMatchObject({ status: 'interrupted', exitCode: ExitCode.NotRun });
    expect(exitOf(run).note).toMatch(/^Not run: the cluster could not be created \(.*no capacity.*\)\.$/);
    expectEveryRunEndedOnce();
  });

  it('waits for a slow cluster and then runs the line', async () => {
    await setup(new SlowDriver({ provisionMs: 5000, execMs: 10 }));
    const [run] = await submit('kubectl get pods');
    await jest.advanceTimersByTimeAsync(4000);
    expect(startOf(run)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(2000);
    await Promise.all(drains);
    expect(exitOf(run)).toMatchObject({ status: 'completed', exitCode: 0 });
    expectEveryRunEndedOnce();
  });
});

describe('CommandRunnerService: background jobs', () => {
  it('starts `… &` as job [1] and moves on; later commands run beside it; kill %1 ends it (143)', async () => {
    const driver = new FakeDriver({ runsUntilAborted: follows });
    await setup(driver);
    await withReadyCluster();
    const [watch, echo, jobs] = await submit('kubectl get pods -w &', 'echo beside', 'jobs -l');
    expect(startOf(watch)).toMatchObject({ kind: 'background', job: { number: 1, pid: 4242 } });
    expect(h.runs.rows.get(watch.id)).toMatchObject({ status: 'running', jobNumber: 1, pid: 4242 });
    expect(exitOf(echo)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(outputOf(jobs)).toBe('[1]+  4242 Running                 kubectl get pods -w &\n');
    expect(exitsOf(watch)).toHaveLength(0);
    // The job runs its line without the `&`, as a job (a subshell of the session's shell).
    expect(driver.callsOf('exec')[0]).toMatchObject({ line: 'kubectl get pods -w', background: true });
    expect(driver.callsOf('exec')[1]).toMatchObject({ line: 'echo beside', background: undefined });

    const [kill] = await submit('kill %1');
    await flush();
    expect(exitOf(kill)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(exitOf(watch)).toMatchObject({
      status: 'cancelled',
      exitCode: ExitCode.Terminated,
      kind: 'background',
      jobNotice: '[1]+  Terminated              kubectl get pods -w\n',
    });
    const [none] = await submit('jobs');
    expect(outputOf(none)).toBe('');
    expect(await h.jobs.list(session.id)).toEqual([]);
    expectEveryRunEndedOnce();
  });

  it('kill PID and kill -9 %N stop the job they name', async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [one, two] = await submit('sleep &', 'sleep &');
    expect([startOf(one)?.job, startOf(two)?.job]).toEqual([
      { number: 1, pid: 4242 },
      { number: 2, pid: 4243 },
    ]);
    await submit('kill 4243');
    await flush();
    expect(exitOf(two)).toMatchObject({ exitCode: 143, jobNotice: '[2]+  Terminated              sleep\n' });
    expect(exitsOf(one)).toHaveLength(0);
    await submit('kill -9 %1');
    await flush();
    expect(exitOf(one)).toMatchObject({ exitCode: 137, jobNotice: '[1]+  Killed                  sleep\n' });
    expectEveryRunEndedOnce();
  });

  it('runs at most 3 jobs per session: a fourth is refused with a clear message', async () => {
    const driver = new FakeDriver();
    await setup(driver);
    await withReadyCluster();
    const [, , , fourth] = await submit('sleep &', 'sleep &', 'sleep &', 'sleep &');
    expect(exitOf(fourth)).toMatchObject({ status: 'completed', exitCode: 1 });
    expect(outputOf(fourth)).toBe(
      'kubelab: at most 3 background jobs can run at once in a lab session; type jobs to list them and kill %N to stop one\n',
    );
    expect(driver.callsOf('exec')).toHaveLength(3);
    expect((await h.jobs.list(session.id)).map((job) => job.number)).toEqual([1, 2, 3]);
    // A fourth fits once one has ended; bash numbers it one past the highest in use.
    await submit('kill %2');
    await flush();
    const [again] = await submit('sleep &');
    expect(startOf(again)?.job).toEqual({ number: 4, pid: 4245 });
    await submit('kill %1 %3 %4');
    await flush();
    expectEveryRunEndedOnce();
  });

  it('stops a job after 30 min (124), whatever runs in the foreground meanwhile', async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [job] = await submit('sleep &');
    await jest.advanceTimersByTimeAsync(29 * 60_000);
    const [echo] = await submit('echo still');
    expect(exitOf(echo)).toMatchObject({ exitCode: 0 });
    expect(exitsOf(job)).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(exitOf(job)).toMatchObject({
      status: 'timed_out',
      exitCode: 124,
      note: 'Stopped after 30 min, the time limit for a background job.',
      jobNotice: '[1]+  Terminated              sleep\n',
    });
    expectEveryRunEndedOnce();
  });

  it("ends a session's jobs with its cluster (137, interrupted)", async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [one, two] = await submit('sleep &', 'sleep &');
    const cluster = h.clusters.rows[0];
    await h.lifecycle.stop({ clusterId: cluster.id, reason: 'reset' });
    await flush();
    for (const job of [one, two]) {
      expect(exitOf(job)).toMatchObject({
        status: 'interrupted',
        exitCode: 137,
        note: 'Stopped: the cluster it ran against was stopped or reset.',
      });
    }
    expect(await h.jobs.list(session.id)).toEqual([]);
    expectEveryRunEndedOnce();
  });

  it('refuses `&` on a backend that runs one line at a time', async () => {
    await setup(new FakeDriver({ capabilities: { backgroundRuns: false } }));
    await withReadyCluster();
    const [job] = await submit('kubectl get pods -w &');
    expect(exitOf(job)).toMatchObject({ status: 'completed', exitCode: 1 });
    expect(outputOf(job)).toMatch(/background jobs \(&\) are not available/);
    expectEveryRunEndedOnce();
  });
});

describe('CommandRunnerService: interactive runs', () => {
  it('feeds typed lines to a program that waits for input; later lines queue behind it', async () => {
    const driver = new FakeDriver();
    await setup(driver);
    await withReadyCluster();
    const [cat, after] = await submit('cat', 'echo after');
    expect(startOf(cat)).toMatchObject({ kind: 'interactive', inputPrompt: '' });
    expect(h.runs.rows.get(cat.id)?.status).toBe('running');
    await h.type(cat, { data: 'one\n' });
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(startOf(after)).toBeUndefined();
    await h.type(cat, { data: 'two\n' });
    await h.type(cat, { eof: true });
    await Promise.all(drains);
    // The typed line is echoed (the terminal's echo), then cat prints it.
    expect(outputOf(cat)).toBe('one\none\ntwo\ntwo\n');
    expect(timeline([cat, after])).toEqual(['started:1', 'exit:1', 'started:2', 'exit:2']);
    expect(exitOf(cat)).toMatchObject({ status: 'completed', exitCode: 0, kind: 'interactive' });
    expectEveryRunEndedOnce();
  });

  it('has its own 15 min limit and is cancellable', async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [first, second] = await submit('cat', 'cat');
    await jest.advanceTimersByTimeAsync(15 * 60_000);
    expect(exitOf(first)).toMatchObject({ status: 'timed_out', exitCode: 124 });
    expect(exitOf(first).note).toMatch(
      /^Stopped after 15 min, the time limit for a command that follows changes or waits for input\.$/,
    );
    await h.cancel(second);
    await Promise.all(drains);
    expect(exitOf(second)).toMatchObject({ status: 'cancelled', exitCode: 130 });
    expectEveryRunEndedOnce();
  });

  it('refuses an interactive run on a backend that cannot pass input', async () => {
    await setup(new FakeDriver({ capabilities: { interactiveInput: false } }));
    await withReadyCluster();
    const [cat] = await submit('cat');
    await Promise.all(drains);
    expect(exitOf(cat)).toMatchObject({ exitCode: 1 });
    expect(outputOf(cat)).toMatch(/cannot pass what you type to a running command/);
    expectEveryRunEndedOnce();
  });

  it('runs kubectl edit on a backend with the editor pane but no typed input, and refuses what reads input', async () => {
    await setup(new FakeDriver({ capabilities: { interactiveInput: false, editorPane: true } }));
    await withReadyCluster();
    const [edit, cat] = await submit('kubectl edit deploy/web', 'cat');
    await Promise.all(drains);
    expect(startOf(edit)).toMatchObject({ kind: 'interactive' });
    expect(outputOf(edit)).toBe('kubectl edit deploy/web\n');
    expect(exitOf(edit)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(outputOf(cat)).toMatch(/cannot pass what you type to a running command/);
    expectEveryRunEndedOnce();
  });
});

describe('CommandRunnerService: wait, fg, bg and disown', () => {
  it('`wait %1` waits for the job and returns its status; the lines after it wait too', async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [job, wait, after] = await submit('sleep &', 'wait %1', 'echo after');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(startOf(wait)).toBeDefined();
    expect(exitsOf(wait)).toHaveLength(0);
    expect(startOf(after)).toBeUndefined();
    // Stopped from elsewhere (another tab's kill, the cluster's end…).
    await h.signals.send({ type: 'stop', runId: job.id, reason: 'TERM' });
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(drains);
    expect(exitOf(wait)).toMatchObject({ status: 'completed', exitCode: 143 });
    expect(timeline([job, wait, after]).slice(-4)).toEqual(['exit:1', 'exit:2', 'started:3', 'exit:3']);
    expectEveryRunEndedOnce();
  });

  it('`wait` is cancelled by Ctrl-C (130) and leaves the jobs running; it times out at 15 min', async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [job, wait] = await submit('sleep &', 'wait');
    await h.cancel(wait);
    await flush();
    expect(exitOf(wait)).toMatchObject({ status: 'cancelled', exitCode: 130 });
    expect(exitsOf(job)).toHaveLength(0);
    const [waitAgain] = await submit('wait');
    await jest.advanceTimersByTimeAsync(15 * 60_000);
    expect(exitOf(waitAgain)).toMatchObject({ status: 'timed_out', exitCode: 124 });
    expect(exitsOf(job)).toHaveLength(0);
    await submit('kill %1');
    await flush();
    expectEveryRunEndedOnce();
  });

  it("`wait` without jobs returns at once; bash's errors for jobs that are not there", async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [bare, missing] = await submit('wait', 'wait %3');
    await Promise.all(drains);
    expect(exitOf(bare)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(exitOf(missing)).toMatchObject({ status: 'completed', exitCode: 127 });
    expect(outputOf(missing)).toBe('bash: wait: %3: no such job\n');
    expectEveryRunEndedOnce();
  });

  it('`fg` brings the job to the foreground: its command is shown, Ctrl-C interrupts the job', async () => {
    await setup(new FakeDriver({ runsUntilAborted: follows }));
    await withReadyCluster();
    const [job, fg] = await submit('kubectl get pods -w &', 'fg');
    expect(outputOf(fg)).toBe('kubectl get pods -w\n');
    expect(exitsOf(fg)).toHaveLength(0);
    await h.cancel(fg);
    await flush();
    expect(exitOf(fg)).toMatchObject({ status: 'cancelled', exitCode: 130, note: '^C' });
    expect(exitOf(job)).toMatchObject({ status: 'cancelled', exitCode: 130 });
    expect(h.signals.sent).toContainEqual({ type: 'stop', runId: job.id, reason: 'INT' });
    expectEveryRunEndedOnce();
  });

  it('`fg %1` ends with the job and takes its exit status', async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [job, fg] = await submit('sleep &', 'fg %1');
    await h.signals.send({ type: 'stop', runId: job.id, reason: 'KILL' });
    await flush();
    expect(exitOf(fg)).toMatchObject({ status: 'completed', exitCode: 137 });
    const [none] = await submit('fg');
    expect(outputOf(none)).toBe('bash: fg: current: no such job\n');
    expect(exitOf(none)).toMatchObject({ exitCode: 1 });
    expectEveryRunEndedOnce();
  });

  it('`bg` and `disown` answer as bash does where they can, and say what the lab terminal cannot do', async () => {
    await setup(new FakeDriver());
    await withReadyCluster();
    const [, bg, disown, disownMissing, disownH] = await submit(
      'sleep &',
      'bg %1',
      'disown %1',
      'disown %7',
      'disown -h %1',
    );
    expect(outputOf(bg)).toBe('bash: bg: job 1 already in background\n');
    expect(exitOf(bg)).toMatchObject({ exitCode: 0 });
    expect(outputOf(disown)).toBe(
      "bash: disown: %1: not available in this lab terminal: a job stays in the session's jobs until it ends (kill %1 stops it)\n",
    );
    expect(exitOf(disown)).toMatchObject({ exitCode: 1 });
    expect(outputOf(disownMissing)).toBe('bash: disown: %7: no such job\n');
    expect(outputOf(disownH)).toBe('');
    expect(exitOf(disownH)).toMatchObject({ exitCode: 0 });
    expect((await h.jobs.list(session.id)).map((job) => job.number)).toEqual([1]);
    await submit('kill %1');
    await flush();
    expectEveryRunEndedOnce();
  });
});

describe('CommandRunnerService on the embedded engine', () => {
  beforeEach(() => {
    fakeClock = false;
    jest.useRealTimers();
  });

  it('runs a heredoc typed line by line into kubectl apply -f -, echoing each line after `> `', async () => {
    await setup(new EmbeddedClusterDriver({ seed: 7 }));
    await withReadyCluster();
    const [apply, get] = await submit('kubectl apply -f - <<EOF', 'kubectl get configmap typed -o name');
    expect(startOf(apply)).toMatchObject({ kind: 'interactive', inputPrompt: '> ' });
    const body = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: typed',
      'data:',
      '  a: "1"',
      'EOF',
    ];
    for (const line of body) await h.type(apply, { data: `${line}\n` });
    await Promise.all(drains);
    expect(outputOf(apply)).toBe(`${body.map((line) => `> ${line}\n`).join('')}configmap/typed created\n`);
    expect(exitOf(apply)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(outputOf(get)).toBe('configmap/typed\n');
    expectEveryRunEndedOnce();
  });

  it('hostile: a heredoc that never ends waits for its EOF until Ctrl-C, and writes nothing', async () => {
    await setup(new EmbeddedClusterDriver({ seed: 7 }));
    await withReadyCluster();
    const [open] = await submit('cat <<EOF > never.yaml');
    expect(startOf(open)).toMatchObject({ kind: 'interactive', inputPrompt: '> ' });
    for (let i = 0; i < 50; i++) await h.type(open, { data: `line ${i}\nEO\nEOF \n` });
    await flush();
    expect(exitsOf(open)).toEqual([]);
    await h.cancel(open);
    const [ls] = await submit('ls never.yaml');
    await Promise.all(drains);
    expect(exitOf(open)).toMatchObject({ status: 'cancelled', exitCode: 130 });
    expect(outputOf(ls)).toBe("ls: cannot access 'never.yaml': No such file or directory\n");
    expectEveryRunEndedOnce();
  });

  it('opens kubectl edit in the editor pane and applies the text the student saves', async () => {
    await setup(new EmbeddedClusterDriver({ seed: 7 }));
    await withReadyCluster();
    const [, edit, get] = await submit(
      'kubectl create deployment web --image=nginx',
      'kubectl edit deploy/web',
      "kubectl get deploy web -o jsonpath='{.spec.replicas}'",
    );
    const opened = await editorOf(edit);
    expect(startOf(edit)).toMatchObject({ kind: 'interactive' });
    expect(opened.name).toMatch(/^kubectl-edit-\d+\.yaml$/);
    expect(opened.text).toMatch(/^# Please edit the object below\./);
    await h.type(edit, { edited: opened.text.replace('  replicas: 1\n', '  replicas: 2\n') });
    await Promise.all(drains);
    expect(outputOf(edit)).toBe('deployment.apps/web edited\n');
    expect(exitOf(edit)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(outputOf(get)).toBe('2');
    expectEveryRunEndedOnce();
  });

  it('ends a kubectl edit whose pane is left open when the student presses Ctrl-C', async () => {
    await setup(new EmbeddedClusterDriver({ seed: 7 }));
    await withReadyCluster();
    const [, edit] = await submit('kubectl create deployment web --image=nginx', 'kubectl edit deploy/web');
    await editorOf(edit);
    await h.cancel(edit);
    await Promise.all(drains);
    expect(exitOf(edit)).toMatchObject({ status: 'cancelled' });
    // A save that arrives after the run ended goes nowhere.
    await h.type(edit, { edited: 'kind: Nothing\n' });
    expectEveryRunEndedOnce();
  });

  it('keeps the open kubectl edit buffer for a reloaded page until it is closed, reopened or the run ends', async () => {
    await setup(new EmbeddedClusterDriver({ seed: 7 }));
    await withReadyCluster();
    const [, edit] = await submit('kubectl create deployment web --image=nginx', 'kubectl edit deploy/web');
    const opened = await editorOf(edit);
    // What session.join answers while the run waits: the buffer as it was sent.
    expect(await h.buffers.find(edit.id)).toEqual(opened);
    // An invalid edit reopens the buffer with kubectl's reasons; the kept buffer is the reopened one.
    await h.type(edit, { edited: opened.text.replace('  replicas: 1\n', '  replicas: -1\n') });
    let reopened = opened;
    for (let i = 0; i < 200 && reopened === opened; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      reopened = h.events.payloadsOf('command.editor').filter((e) => e.runId === edit.id)[1] ?? opened;
    }
    expect(reopened.text).toMatch(
      /^# deployments\.apps "web" was not valid:\n# \* spec\.replicas: Invalid value: -1/m,
    );
    expect(await h.buffers.find(edit.id)).toEqual(reopened);
    await h.cancel(edit);
    await Promise.all(drains);
    expect(exitOf(edit)).toMatchObject({ status: 'cancelled' });
    expect(await h.buffers.find(edit.id)).toBeNull();

    // Saved: the buffer is forgotten with the save, before the run has ended.
    const [again] = await submit('kubectl edit deploy/web');
    const second = await editorOf(again);
    expect(await h.buffers.find(again.id)).toEqual(second);
    await h.type(again, { edited: second.text });
    expect(await h.buffers.find(again.id)).toBeNull();
    await Promise.all(drains);
    expect(outputOf(again)).toBe('Edit cancelled, no changes made.\n');
    expectEveryRunEndedOnce();
  });

  it("keeps a job's variables out of the session's shell, as bash's subshell does", async () => {
    await setup(new EmbeddedClusterDriver({ seed: 7 }));
    await withReadyCluster();
    const [, job, jobAssign, echo] = await submit(
      'export NS=kube-system',
      'export NS=default LEAK=yes &',
      'NAME=job &',
      'echo "$NS $LEAK $NAME"',
    );
    await flush();
    // `[1]+` when job 1 ended before job 2 started, `[1]-` when job 2 was already the current job.
    expect(exitOf(job)).toMatchObject({
      exitCode: 0,
      jobNotice: expect.stringMatching(/^\[1\][+-] {2}Done/),
    });
    expect(exitOf(jobAssign)).toMatchObject({ exitCode: 0 });
    expect(outputOf(echo)).toBe('kube-system  \n');
    expectEveryRunEndedOnce();
  });
});
