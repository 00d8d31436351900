import {
  doneNotice,
  endJob,
  forgetJobs,
  formatJobs,
  nextJobNumber,
  parseBg,
  parseFg,
  parseKill,
  parseWait,
  processTexts,
  ShellJob,
  signalOutcome,
  startJob,
  startNotice,
  withMarkers,
} from './job-control';

/** Starts jobs one after the other, as a shell would, and returns the table. */
function started(...commands: [command: string, pid: number][]): ShellJob[] {
  let jobs: ShellJob[] = [];
  for (const [command, pid] of commands) jobs = startJob(jobs, { pid, command }).jobs;
  return jobs;
}

const byNumber = (jobs: ShellJob[], number: number) => jobs.find((j) => j.number === number) as ShellJob;

// The expected texts are bash 5.2's, captured from an interactive shell under `script`.
describe('job control texts', () => {
  it('prints the start notice and numbers jobs one above the highest in the table', () => {
    const { job, jobs } = startJob([], { pid: 4242, command: 'kubectl get pods -w' });
    expect(startNotice(job)).toBe('[1] 4242\n');
    expect(nextJobNumber(jobs)).toBe(2);
    const three = started(['a', 1], ['b', 2], ['c', 3]);
    expect(nextJobNumber(forgetJobs(three, [3]))).toBe(3);
    expect(nextJobNumber(forgetJobs(three, [1]))).toBe(4);
    expect(nextJobNumber(forgetJobs(three, [1, 2, 3]))).toBe(1);
  });

  it('lists jobs like `jobs` and `jobs -l`, pipelines included, and forgets the ended ones it reported', () => {
    let jobs = started(['sleep 100 | cat', 16206], ['sleep 200', 16208], ["sh -c 'exit 3'", 16210]);
    jobs = endJob(jobs, 3, { state: 'exit', exitCode: 3 });
    const listing = formatJobs(jobs, []);
    expect(listing.stdout).toBe(
      '[1]   Running                 sleep 100 | cat &\n' +
        '[2]-  Running                 sleep 200 &\n' +
        "[3]+  Exit 3                  sh -c 'exit 3'\n",
    );
    expect(listing.reported).toEqual([3]);
    jobs = forgetJobs(jobs, listing.reported);
    expect(formatJobs(jobs, ['-l']).stdout).toBe(
      '[1]- 16205 Running                 sleep 100\n' +
        '     16206                       | cat &\n' +
        '[2]+ 16208 Running                 sleep 200 &\n',
    );
    expect(formatJobs(jobs, ['-p']).stdout).toBe('16205\n16208\n');
    expect(formatJobs(jobs, ['%1']).stdout).toBe('[1]-  Running                 sleep 100 | cat &\n');
    expect(formatJobs(jobs, ['-lp']).stdout).toBe('16205\n16208\n');
    expect(formatJobs(jobs, ['-pl']).stdout).toContain('[1]- 16205 Running');
    expect(formatJobs(jobs, ['%3'])).toMatchObject({ stderr: 'bash: jobs: %3: no such job\n', exitCode: 1 });
    expect(formatJobs(jobs, ['-z'])).toEqual({
      stdout: '',
      stderr:
        'bash: jobs: -z: invalid option\njobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]\n',
      exitCode: 2,
      reported: [],
    });
  });

  it('prints done notices with the marker the job had, then moves + and - as bash does', () => {
    let jobs = started(['sleep 100 | cat', 16206], ['sleep 200', 16208]);
    const kill = parseKill(['%1'], jobs);
    expect(kill).toMatchObject({ stdout: '', stderr: '', exitCode: 0, signal: 15, stop: [1] });
    jobs = endJob(jobs, 1, signalOutcome(kill.signal));
    expect(doneNotice(byNumber(jobs, 1))).toBe('[1]-  Terminated              sleep 100 | cat\n');
    jobs = forgetJobs(jobs, [1]);
    expect(parseKill(['-9', '%2'], jobs)).toMatchObject({ signal: 9, stop: [2] });
    jobs = endJob(jobs, 2, signalOutcome(9));
    expect(doneNotice(byNumber(jobs, 2))).toBe('[2]+  Killed                  sleep 200\n');
    expect(forgetJobs(jobs, [2])).toEqual([]);
  });

  it('gives a job that ended before the next one started neither marker', () => {
    let jobs = started(['sleep 0.5', 7001]);
    jobs = endJob(jobs, 1, { state: 'done' });
    jobs = startJob(jobs, { pid: 7013, command: 'sleep 0.3' }).jobs;
    expect(doneNotice(byNumber(jobs, 1))).toBe('[1]   Done                    sleep 0.5\n');
    jobs = endJob(forgetJobs(jobs, [1]), 2, { state: 'done' });
    expect(doneNotice(byNumber(jobs, 2))).toBe('[2]+  Done                    sleep 0.3\n');
  });

  it('derives markers for a table that does not keep them, and takes the outcome from the caller', () => {
    const plain: ShellJob[] = [
      { number: 1, pid: 10, command: 'kubectl get pods -w', state: 'running' },
      { number: 2, pid: 11, command: 'kubectl logs -f web', state: 'running' },
    ];
    expect(withMarkers(plain).map((j) => j.marker)).toEqual(['-', '+']);
    expect(doneNotice(plain[1], { state: 'exit', exitCode: 1 }, plain)).toBe(
      '[2]+  Exit 1                  kubectl logs -f web\n',
    );
    expect(doneNotice(plain[0], { state: 'terminated', exitCode: 130 }, plain)).toBe(
      '[1]-  Interrupt               kubectl get pods -w\n',
    );
  });

  it('shows a here-document job with its body, and words as bash prints them', () => {
    expect(processTexts('cat <<EOF | kubectl apply -f -\nkind: x\nEOF')).toEqual([
      'cat <<EOF\nkind: x\nEOF\n',
      'kubectl apply -f -',
    ]);
    expect(processTexts(`sleep   "10 0"   |   grep  'a b'  # note`)).toEqual(['sleep "10 0"', "grep 'a b'"]);
  });
});

describe('kill', () => {
  const jobs = started(['sleep 100', 4242], ['sleep 200', 4243]);

  it.each([
    [['%%'], [2], 15],
    [['%+'], [2], 15],
    [['%'], [2], 15],
    [['%-'], [1], 15],
    [['%1', '%1'], [1], 15],
    [['4243'], [2], 15],
    [['-9', '%1'], [1], 9],
    [['-KILL', '%1'], [1], 9],
    [['-SIGKILL', '%1'], [1], 9],
    [['-kill', '%1'], [1], 9],
    [['-TERM', '%1'], [1], 15],
    [['-s', 'KILL', '%1'], [1], 9],
    [['-sKILL', '%1'], [1], 9],
    [['-n', '9', '%1'], [1], 9],
    [['-INT', '%?200'], [2], 2],
    [['--', '%1'], [1], 15],
    [['-0', '%1'], [], 0],
    [['-CONT', '%1'], [], 18],
  ])('kill %j stops %j with signal %d', (args, stop, signal) => {
    expect(parseKill(args, jobs)).toEqual({ stdout: '', stderr: '', exitCode: 0, signal, stop });
  });

  it.each([
    [[], 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n', 2],
    [
      ['-9'],
      'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n',
      2,
    ],
    [['%3'], 'bash: kill: %3: no such job\n', 1],
    [['%0'], 'bash: kill: %0: no such job\n', 1],
    [['4244'], 'bash: kill: (4244) - No such process\n', 1],
    [['abc'], 'bash: kill: abc: arguments must be process or job IDs\n', 1],
    [['0x10'], 'bash: kill: 0x10: arguments must be process or job IDs\n', 1],
    [['-XYZ', '%1'], 'bash: kill: XYZ: invalid signal specification\n', 1],
    [['-s', '99', '%1'], 'bash: kill: 99: invalid signal specification\n', 1],
    [['-sigterm', '%1'], 'bash: kill: igterm: invalid signal specification\n', 1],
    [['-s'], 'bash: kill: -s: option requires an argument\n', 1],
    [['%sle'], 'bash: kill: sle: ambiguous job spec\n', 1],
    [['%?00'], 'bash: kill: 00: ambiguous job spec\n', 1],
  ])('kill %j fails like bash', (args, stderr, exitCode) => {
    expect(parseKill(args, jobs)).toMatchObject({ stdout: '', stderr, exitCode, stop: [] });
  });

  it('tries every operand: one that works makes the status 0', () => {
    expect(parseKill(['%1', '%3'], jobs)).toEqual({
      stdout: '',
      stderr: 'bash: kill: %3: no such job\n',
      exitCode: 0,
      signal: 15,
      stop: [1],
    });
  });

  it('says "No such process" for a job that ended and was not reported yet', () => {
    const ended = endJob(started(['sleep 100 | cat', 1198]), 1, signalOutcome(15));
    expect(parseKill(['%1'], ended)).toMatchObject({
      stderr: 'bash: kill: (1197) - No such process\n',
      exitCode: 1,
      stop: [],
    });
  });

  it('lists signals like kill -l', () => {
    const list = parseKill(['-l'], []).stdout;
    expect(list.split('\n')[0]).toBe(' 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP');
    expect(list).toContain('31) SIGSYS\t34) SIGRTMIN\t35) SIGRTMIN+1\t');
    expect(list.endsWith('63) SIGRTMAX-1\t64) SIGRTMAX\t\n')).toBe(true);
    expect(parseKill(['-l', '9', 'KILL', '143', '0'], [])).toMatchObject({
      stdout: 'KILL\n9\nTERM\nEXIT\n',
      exitCode: 0,
    });
    expect(parseKill(['-l', '200'], [])).toMatchObject({
      stderr: 'bash: kill: 200: invalid signal specification\n',
      exitCode: 1,
    });
  });
});

describe('fg, bg and wait', () => {
  it('answers like bash with and without jobs', () => {
    expect(parseFg([], [])).toEqual({ stdout: '', stderr: 'bash: fg: current: no such job\n', exitCode: 1 });
    expect(parseFg(['%4'], [])).toMatchObject({ stderr: 'bash: fg: %4: no such job\n', exitCode: 1 });
    expect(parseBg([], [])).toEqual({ stdout: '', stderr: 'bash: bg: current: no such job\n', exitCode: 1 });
    expect(parseWait(['%4'], [])).toMatchObject({ stderr: 'bash: wait: %4: no such job\n', exitCode: 127 });
    expect(parseWait(['99999'], [])).toMatchObject({
      stderr: 'bash: wait: pid 99999 is not a child of this shell\n',
      exitCode: 127,
    });
    expect(parseWait([], [])).toMatchObject({ exitCode: 0, waitFor: 'all' });

    const jobs = started(['sleep 100 | cat', 4243]);
    expect(parseFg([], jobs)).toMatchObject({ stdout: 'sleep 100 | cat\n', exitCode: 0, job: { number: 1 } });
    expect(parseBg(['%1', '%2'], jobs)).toEqual({
      stdout: '',
      stderr: 'bash: bg: job 1 already in background\nbash: bg: %2: no such job\n',
      exitCode: 1,
    });
    expect(parseBg([], jobs)).toMatchObject({ exitCode: 0 });
    expect(parseWait(['%1'], jobs)).toMatchObject({ waitFor: [1], exitCode: 0 });
    const ended = endJob(jobs, 1, { state: 'done' });
    expect(parseFg(['%1'], ended)).toMatchObject({ stderr: 'bash: fg: job has terminated\n', exitCode: 1 });
    expect(parseWait(['%1'], endJob(jobs, 1, { state: 'exit', exitCode: 4 }))).toMatchObject({ exitCode: 4 });
  });
});
