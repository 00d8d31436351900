/**
 * bash's job control for lines ending in ` &`, as pure functions over a job table: the `[1] 4242` start notice,
 * `jobs`, `kill`, `fg`, `bg`, `wait` and the `[1]+  Done ...` notices, byte for byte as an interactive bash 5.2
 * prints them. The table lives with whoever runs the jobs (the platform keeps it in Redis, the transcript runner in
 * memory); these functions only read it, or return the new table.
 */
import { tokenize } from './tokenizer';

export type JobState = 'running' | 'done' | 'exit' | 'terminated';

/** bash's current job (`+`, `%%`), previous job (`-`, `%-`) or neither (' '). */
export type JobMarker = '+' | '-' | ' ';

export interface ShellJob {
  number: number;
  /**
   * The pid `[N] PID` shows: the last process of the pipeline (bash's `$!`). The earlier processes of a pipeline
   * have the pids just below it, the first being the job's process group (what `jobs -p` and `kill` errors show).
   */
  pid: number;
  /** The line without its `&`, here-document bodies included. */
  command: string;
  state: JobState;
  /** 'exit': the exit status; 'terminated': 128 + the signal number (143 for SIGTERM, 137 for SIGKILL). */
  exitCode?: number;
  /**
   * bash keeps the current and previous job as state: `startJob`, `endJob` and `forgetJobs` maintain it here. A
   * table whose jobs carry no marker gets the newest job as `+` and the next newest as `-`.
   */
  marker?: JobMarker;
}

export interface JobOutcome {
  state: Exclude<JobState, 'running'>;
  exitCode?: number;
}

/** What a builtin prints and returns. */
export interface BuiltinOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** bash's LONGEST_SIGNAL_DESC as Debian/Ubuntu build it: the status column is 24 characters wide. */
const STATUS_WIDTH = 24;

/** Linux signal names by number (bash's `kill -l`); 32 and 33 are glibc's and have no name. */
const SIGNAL_NAMES: Record<number, string> = {
  1: 'HUP',
  2: 'INT',
  3: 'QUIT',
  4: 'ILL',
  5: 'TRAP',
  6: 'ABRT',
  7: 'BUS',
  8: 'FPE',
  9: 'KILL',
  10: 'USR1',
  11: 'SEGV',
  12: 'USR2',
  13: 'PIPE',
  14: 'ALRM',
  15: 'TERM',
  16: 'STKFLT',
  17: 'CHLD',
  18: 'CONT',
  19: 'STOP',
  20: 'TSTP',
  21: 'TTIN',
  22: 'TTOU',
  23: 'URG',
  24: 'XCPU',
  25: 'XFSZ',
  26: 'VTALRM',
  27: 'PROF',
  28: 'WINCH',
  29: 'IO',
  30: 'PWR',
  31: 'SYS',
};
for (let n = 34; n <= 64; n++)
  SIGNAL_NAMES[n] = n === 34 ? 'RTMIN' : n === 64 ? 'RTMAX' : n <= 49 ? `RTMIN+${n - 34}` : `RTMAX-${64 - n}`;

/** glibc's strsignal(), which the notices print for a job a signal ended. */
const SIGNAL_TEXTS: Record<number, string> = {
  1: 'Hangup',
  2: 'Interrupt',
  3: 'Quit',
  4: 'Illegal instruction',
  5: 'Trace/breakpoint trap',
  6: 'Aborted',
  7: 'Bus error',
  8: 'Floating point exception',
  9: 'Killed',
  10: 'User defined signal 1',
  11: 'Segmentation fault',
  12: 'User defined signal 2',
  13: 'Broken pipe',
  14: 'Alarm clock',
  15: 'Terminated',
  16: 'Stack fault',
  24: 'CPU time limit exceeded',
  25: 'File size limit exceeded',
  26: 'Virtual timer expired',
  27: 'Profiling timer expired',
  29: 'I/O possible',
  30: 'Power failure',
  31: 'Bad system call',
};

export const SIGTERM = 15;
export const SIGKILL = 9;
export const SIGINT = 2;
/** Signals a process ignores by default (SIGCHLD, SIGCONT, SIGURG, SIGWINCH): kill succeeds, the job runs on. */
const IGNORED_SIGNALS = [17, 18, 23, 28];
/** Signals that stop a process; the lab's jobs cannot be stopped and continued. */
const STOP_SIGNALS = [19, 20, 21, 22];

const KILL_USAGE =
  'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n';
const JOBS_USAGE = 'jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]\n';

/** The outcome of a job whose last process exited with `exitCode`. */
export function exitOutcome(exitCode: number): JobOutcome {
  return exitCode === 0 ? { state: 'done' } : { state: 'exit', exitCode };
}

/** The outcome of a job ended by `signal`. */
export function signalOutcome(signal: number): JobOutcome {
  return { state: 'terminated', exitCode: 128 + signal };
}

/** The status `$?` reports for a job once it ended (what `wait %N` returns). */
export function jobStatus(job: Pick<ShellJob, 'state' | 'exitCode'>): number {
  return job.state === 'done' || job.state === 'running' ? 0 : (job.exitCode ?? 1);
}

/** bash's rule: one more than the highest job number in the table, 1 when it is empty. */
export function nextJobNumber(jobs: readonly ShellJob[]): number {
  return jobs.reduce((highest, job) => Math.max(highest, job.number), 0) + 1;
}

/** `[1] 4242`, which bash prints to stderr when it starts a job. */
export function startNotice(job: Pick<ShellJob, 'number' | 'pid'>): string {
  return `[${job.number}] ${job.pid}\n`;
}

/**
 * Adds a running job (the next number) and makes it the current job; the previous job becomes the newest job that
 * still runs (bash's set_current_job).
 */
export function startJob(
  jobs: readonly ShellJob[],
  start: { pid: number; command: string },
): { job: ShellJob; jobs: ShellJob[] } {
  const job: ShellJob = {
    number: nextJobNumber(jobs),
    pid: start.pid,
    command: start.command,
    state: 'running',
  };
  return { job: { ...job, marker: '+' }, jobs: withCurrent([...jobs, job], job.number) };
}

/** Records how a job ended. bash moves no marker when a job dies, only when it forgets one. */
export function endJob(jobs: readonly ShellJob[], number: number, outcome: JobOutcome): ShellJob[] {
  const explicit = withMarkers(jobs);
  return explicit.map((job) =>
    job.number === number ? { ...job, state: outcome.state, exitCode: outcome.exitCode } : job,
  );
}

/**
 * Removes jobs whose end was reported (a notice, `jobs`, `wait`). When the current or previous job goes, bash makes
 * the newest running job current and the newest running one before it previous (reset_current).
 */
export function forgetJobs(jobs: readonly ShellJob[], numbers: readonly number[]): ShellJob[] {
  const explicit = withMarkers(jobs);
  const removed = explicit.filter((job) => numbers.includes(job.number));
  const kept = explicit.filter((job) => !numbers.includes(job.number));
  if (!removed.some((job) => job.marker === '+' || job.marker === '-')) return kept;
  const newest = [...kept].reverse().find((job) => job.state === 'running');
  return newest ? withCurrent(kept, newest.number) : kept.map((job) => ({ ...job, marker: ' ' }));
}

/** The table with every job's marker set (derived when none carries one). */
export function withMarkers(jobs: readonly ShellJob[]): ShellJob[] {
  const sorted = [...jobs].sort((a, b) => a.number - b.number);
  if (sorted.some((job) => job.marker !== undefined))
    return sorted.map((job) => ({ ...job, marker: job.marker ?? ' ' }));
  const last = sorted.length - 1;
  return sorted.map((job, i) => ({ ...job, marker: i === last ? '+' : i === last - 1 ? '-' : ' ' }));
}

/** `number` becomes current; previous is the newest running job older than it, or none (then `%-` is `%+`). */
function withCurrent(jobs: readonly ShellJob[], number: number): ShellJob[] {
  const previous = [...jobs]
    .sort((a, b) => a.number - b.number)
    .filter((job) => job.number < number && job.state === 'running')
    .pop();
  return [...jobs]
    .sort((a, b) => a.number - b.number)
    .map((job) => ({
      ...job,
      marker: job.number === number ? '+' : job.number === previous?.number ? '-' : ' ',
    }));
}

function currentJob(jobs: readonly ShellJob[]): ShellJob | undefined {
  return withMarkers(jobs).find((job) => job.marker === '+');
}

function previousJob(jobs: readonly ShellJob[]): ShellJob | undefined {
  const marked = withMarkers(jobs);
  return marked.find((job) => job.marker === '-') ?? marked.find((job) => job.marker === '+');
}

/** `Running`, `Done`, `Exit 3`, `Terminated`, `Killed`... */
export function statusText(job: Pick<ShellJob, 'state' | 'exitCode'>): string {
  switch (job.state) {
    case 'running':
      return 'Running';
    case 'done':
      return 'Done';
    case 'exit':
      return `Exit ${job.exitCode ?? 1}`;
    case 'terminated': {
      const signal = (job.exitCode ?? 128 + SIGTERM) - 128;
      return SIGNAL_TEXTS[signal] ?? `Signal ${signal}`;
    }
  }
}

/**
 * The processes of a job as bash prints them: words separated by one space, comments dropped, and a stage's
 * here-document bodies (and their delimiter lines) after it, each line ended by a newline.
 */
export function processTexts(command: string): string[] {
  const newline = command.indexOf('\n');
  const firstLine = newline < 0 ? command : command.slice(0, newline);
  const stages = rawStages(firstLine);
  let heredocs: ReturnType<typeof tokenize>['heredocs'] = [];
  try {
    heredocs = tokenize(command).heredocs;
  } catch {
    // A job's line tokenized when it started; if not, its words are still worth showing.
  }
  return stages.map((words, index) => {
    let text = words.join(' ');
    for (const heredoc of heredocs)
      if (heredoc.stage === index)
        text += `\n${heredoc.lines.map((line) => `${line}\n`).join('')}${heredoc.delimiter}\n`;
    return text;
  });
}

/** The unexpanded words of each stage of one command line (quotes kept), `<<` joined to its word. */
function rawStages(line: string): string[][] {
  const stages: string[][] = [[]];
  let word = '';
  const end = () => {
    if (word !== '') stages[stages.length - 1].push(word);
    word = '';
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += c === '"' && line[j] === '\\' ? 2 : 1;
      word += line.slice(i, j + 1);
      i = j;
    } else if (c === '\\') {
      word += line.slice(i, i + 2);
      i++;
    } else if (c === '$' && line[i + 1] === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < line.length; j++) {
        if (line[j] === '(') depth++;
        else if (line[j] === ')' && --depth === 0) break;
      }
      word += line.slice(i, j + 1);
      i = j;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      end();
    } else if (c === '#' && word === '') {
      break;
    } else if (c === '|') {
      end();
      stages.push([]);
    } else if (c === '<' && line[i + 1] === '<') {
      end();
      word = line[i + 2] === '-' ? '<<-' : '<<';
      i += word.length - 1;
      while (line[i + 1] === ' ' || line[i + 1] === '\t') i++;
    } else if (c === '&') {
      end();
    } else {
      word += c;
    }
  }
  end();
  return stages.filter((stage, index) => stage.length > 0 || index === 0);
}

function processPids(job: ShellJob): { texts: string[]; pids: number[] } {
  const texts = processTexts(job.command);
  return { texts, pids: texts.map((_, i) => job.pid - (texts.length - 1 - i)) };
}

/** One job as `jobs` (long: `jobs -l`) and the notices print it (pretty_print_job). */
function formatJob(job: ShellJob, long: boolean): string {
  const { texts, pids } = processPids(job);
  const status = statusText(job);
  const padded = status.padEnd(STATUS_WIDTH);
  const tail = job.state === 'running' ? ' &' : '';
  const head = `[${job.number}]${job.marker ?? ' '} `;
  if (!long) return `${head} ${padded}${texts.join(' | ')}${tail}\n`;
  return texts
    .map((text, i) => {
      const last = i === texts.length - 1 ? tail : '';
      if (i === 0) return `${head}${String(pids[i]).padStart(5)} ${padded}${text}${last}\n`;
      return `     ${String(pids[i]).padStart(5)} ${''.padEnd(STATUS_WIDTH - 2)}| ${text}${last}\n`;
    })
    .join('');
}

/**
 * `[1]+  Done                    kubectl rollout status deployment/web` for a job that ended, as bash prints it to
 * stderr before the next prompt. The marker is the job's own, or derived from `table` (the jobs as they were).
 */
export function doneNotice(job: ShellJob, outcome?: JobOutcome, table?: readonly ShellJob[]): string {
  const ended: ShellJob = outcome ? { ...job, state: outcome.state, exitCode: outcome.exitCode } : job;
  const marker =
    job.marker ?? withMarkers(table ?? [job]).find((j) => j.number === job.number)?.marker ?? ' ';
  return formatJob({ ...ended, marker }, false);
}

type Resolved = { job: ShellJob } | { error: string };

/**
 * A jobspec (`%1`, `%%`, `%+`, `%`, `%-`, `%name`, `%?text`) as bash's get_job_spec reads it; `builtin` names the
 * builtin in error messages.
 */
function resolveJobspec(spec: string, jobs: readonly ShellJob[], builtin: string): Resolved {
  const word = spec.startsWith('%') ? spec.slice(1) : spec;
  const noSuchJob = { error: `bash: ${builtin}: ${spec}: no such job\n` };
  let job: ShellJob | undefined;
  if (/^\d+$/.test(word)) job = jobs.find((j) => j.number === Number(word));
  else if (word === '' || word === '%' || word === '+') job = currentJob(jobs);
  else if (word === '-') job = previousJob(jobs);
  else {
    const substring = word.startsWith('?');
    const name = substring ? word.slice(1) : word;
    const matches = jobs.filter((j) =>
      processTexts(j.command).some((text) => (substring ? text.includes(name) : text.startsWith(name))),
    );
    if (matches.length > 1) {
      // bash reports the ambiguity; `jobs` then also reports the spec as no job (kill and fg do not).
      const ambiguous = `bash: ${builtin}: ${name}: ambiguous job spec\n`;
      return { error: builtin === 'jobs' ? ambiguous + noSuchJob.error : ambiguous };
    }
    job = matches[0];
  }
  return job ? { job } : noSuchJob;
}

/**
 * `jobs [-lnprs] [jobspec ...]`. `reported` lists the ended jobs the listing showed: bash forgets them (pass them to
 * forgetJobs), so no notice follows. `-n` lists the jobs that ended and were not reported yet.
 */
export function formatJobs(
  jobs: readonly ShellJob[],
  args: readonly string[],
): BuiltinOutput & { reported: number[] } {
  let format: 'standard' | 'long' | 'pids' | 'changed' = 'standard';
  let runningOnly = false;
  let stoppedOnly = false;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    for (const option of arg.slice(1)) {
      // bash keeps one output form: the last of -l, -p and -n wins.
      if (option === 'l') format = 'long';
      else if (option === 'p') format = 'pids';
      else if (option === 'n') format = 'changed';
      else if (option === 'r') runningOnly = true;
      else if (option === 's') stoppedOnly = true;
      else if (option === 'x')
        return {
          stdout: '',
          stderr: 'bash: jobs: -x is not available in this lab terminal\n',
          exitCode: 2,
          reported: [],
        };
      else
        return {
          stdout: '',
          stderr: `bash: jobs: -${option}: invalid option\n${JOBS_USAGE}`,
          exitCode: 2,
          reported: [],
        };
    }
  }
  const marked = withMarkers(jobs);
  const specs = args.slice(i);
  let stderr = '';
  let exitCode = 0;
  let listed: ShellJob[];
  if (specs.length === 0) listed = marked;
  else {
    listed = [];
    for (const spec of specs) {
      const resolved = resolveJobspec(spec, marked, 'jobs');
      if ('error' in resolved) {
        stderr += resolved.error;
        exitCode = 1;
      } else listed.push(resolved.job);
    }
  }
  // The lab's jobs never stop, so -s lists nothing.
  if (stoppedOnly) listed = [];
  if (runningOnly) listed = listed.filter((job) => job.state === 'running');
  if (format === 'changed') listed = listed.filter((job) => job.state !== 'running');
  const stdout = listed
    .map((job) => (format === 'pids' ? `${processPids(job).pids[0]}\n` : formatJob(job, format === 'long')))
    .join('');
  const reported =
    format === 'pids' ? [] : listed.filter((job) => job.state !== 'running').map((job) => job.number);
  return { stdout, stderr, exitCode, reported };
}

/** A signal name or number as bash's decode_signal reads it (any case, `SIG` optional); undefined if invalid. */
export function decodeSignal(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return n === 0 || SIGNAL_NAMES[n] !== undefined ? n : undefined;
  }
  const name = spec.toUpperCase().replace(/^SIG/, '');
  for (const [n, known] of Object.entries(SIGNAL_NAMES)) if (known === name) return Number(n);
  return undefined;
}

/** `kill -l`: every signal, five a line, as bash prints them. */
function signalList(): string {
  let out = '';
  let column = 0;
  for (let n = 1; n <= 64; n++) {
    if (SIGNAL_NAMES[n] === undefined) continue;
    out += `${String(n).padStart(2)}) SIG${SIGNAL_NAMES[n]}`;
    if (++column < 5) out += '\t';
    else {
      out += '\n';
      column = 0;
    }
  }
  return column !== 0 ? `${out}\n` : out;
}

function listSignals(specs: readonly string[]): BuiltinOutput {
  if (specs.length === 0) return { stdout: signalList(), stderr: '', exitCode: 0 };
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  for (const spec of specs) {
    if (/^-?\d+$/.test(spec)) {
      // An exit status above 128 names the signal that caused it.
      let n = Number(spec);
      if (n > 128) n -= 128;
      if (n < 0 || n > 64) {
        stderr += `bash: kill: ${spec}: invalid signal specification\n`;
        exitCode = 1;
      } else if (n === 0) stdout += 'EXIT\n';
      else if (SIGNAL_NAMES[n] !== undefined) stdout += `${SIGNAL_NAMES[n]}\n`;
      continue;
    }
    const n = decodeSignal(spec);
    if (n === undefined) {
      stderr += `bash: kill: ${spec}: invalid signal specification\n`;
      exitCode = 1;
    } else stdout += `${n}\n`;
  }
  return { stdout, stderr, exitCode };
}

export interface KillPlan extends BuiltinOutput {
  /** The signal sent; 0 only checks that the jobs exist. */
  signal: number;
  /** The jobs the signal ends, by number, each once: stop them, then record `signalOutcome(signal)`. */
  stop: number[];
}

/**
 * `kill [-s SIG | -n NUM | -SIG] pid|jobspec ...` and `kill -l [SIG]` against the job table (bash's kill builtin,
 * interactive: every argument is tried, and the exit status is 0 when one of them succeeded).
 */
export function parseKill(args: readonly string[], jobs: readonly ShellJob[]): KillPlan {
  const usage = (): KillPlan => ({ stdout: '', stderr: KILL_USAGE, exitCode: 2, signal: SIGTERM, stop: [] });
  const fail = (stderr: string): KillPlan => ({ stdout: '', stderr, exitCode: 1, signal: SIGTERM, stop: [] });
  if (args.length === 0) return usage();
  let signal: number | undefined = SIGTERM;
  let sigspec = 'TERM';
  let sawSignal = false;
  let listing = false;
  let i = 0;
  const useSpec = (spec: string) => {
    sigspec = spec;
    signal = spec === '0' ? 0 : decodeSignal(spec);
    sawSignal = true;
  };
  while (i < args.length) {
    const word = args[i];
    if (word === '-l' || word === '-L') {
      listing = true;
      i++;
    } else if (word === '-s' || word === '-n') {
      if (i + 1 >= args.length) return fail(`bash: kill: ${word}: option requires an argument\n`);
      useSpec(args[i + 1]);
      i += 2;
    } else if (/^-s[A-Za-z]/.test(word) || /^-n\d/.test(word)) {
      // bash reads `-sKILL` as `-s KILL` (so `-sigterm` is the signal "igterm").
      useSpec(word.slice(2));
      i++;
    } else if (word === '--') {
      i++;
      break;
    } else if (word === '-?') {
      return usage();
    } else if (word.startsWith('-') && word.length > 1 && !sawSignal) {
      useSpec(word.slice(1));
      i++;
    } else break;
  }
  const targets = args.slice(i);
  if (listing) return { ...listSignals(targets), signal: 0, stop: [] };
  if (signal === undefined) return fail(`bash: kill: ${sigspec}: invalid signal specification\n`);
  if (targets.length === 0) return usage();
  if (STOP_SIGNALS.includes(signal))
    return fail(
      `bash: kill: SIG${SIGNAL_NAMES[signal]}: stopping a job is not available in this lab terminal (its jobs run until they end or are killed)\n`,
    );
  const marked = withMarkers(jobs);
  let stderr = '';
  let succeeded = false;
  const stop: number[] = [];
  for (const target of targets) {
    let job: ShellJob | undefined;
    let pid: number;
    if (/^-?\d+$/.test(target)) {
      pid = Number(target);
      // A negative pid names a process group: a job's first process.
      job = marked.find((j) =>
        pid < 0 ? processPids(j).pids[0] === -pid : processPids(j).pids.includes(pid),
      );
    } else if (!target.startsWith('%')) {
      stderr += `bash: kill: ${target}: arguments must be process or job IDs\n`;
      continue;
    } else {
      const resolved = resolveJobspec(target, marked, 'kill');
      if ('error' in resolved) {
        stderr += resolved.error;
        continue;
      }
      job = resolved.job;
      pid = processPids(job).pids[0];
    }
    if (!job || job.state !== 'running') {
      stderr += `bash: kill: (${pid}) - No such process\n`;
      continue;
    }
    succeeded = true;
    if (signal !== 0 && !IGNORED_SIGNALS.includes(signal) && !stop.includes(job.number))
      stop.push(job.number);
  }
  return { stdout: '', stderr, exitCode: succeeded ? 0 : 1, signal, stop };
}

/**
 * `fg [jobspec]`: the job to wait for in the foreground (its command is printed first, as bash does), or bash's
 * error. A job brought to the foreground reports no notice when it ends; Ctrl-C ends it with SIGINT.
 */
export function parseFg(
  args: readonly string[],
  jobs: readonly ShellJob[],
): BuiltinOutput & { job?: ShellJob } {
  const spec = args[0];
  const resolved =
    spec === undefined ? currentOrError(jobs, 'fg') : resolveJobspec(spec, withMarkers(jobs), 'fg');
  if ('error' in resolved) return { stdout: '', stderr: resolved.error, exitCode: 1 };
  if (resolved.job.state !== 'running')
    return { stdout: '', stderr: 'bash: fg: job has terminated\n', exitCode: 1 };
  return {
    stdout: `${processTexts(resolved.job.command).join(' | ')}\n`,
    stderr: '',
    exitCode: 0,
    job: resolved.job,
  };
}

/** `bg [jobspec ...]`: the lab's jobs all run in the background already, so bash's answers are all there is. */
export function parseBg(args: readonly string[], jobs: readonly ShellJob[]): BuiltinOutput {
  let stderr = '';
  let exitCode = 0;
  for (const spec of args.length === 0 ? [undefined] : args) {
    const resolved =
      spec === undefined ? currentOrError(jobs, 'bg') : resolveJobspec(spec, withMarkers(jobs), 'bg');
    if ('error' in resolved) {
      stderr += resolved.error;
      exitCode = 1;
    } else if (resolved.job.state !== 'running') {
      stderr += 'bash: bg: job has terminated\n';
      exitCode = 1;
    } else stderr += `bash: bg: job ${resolved.job.number} already in background\n`;
  }
  return { stdout: '', stderr, exitCode };
}

function currentOrError(jobs: readonly ShellJob[], builtin: string): Resolved {
  const job = currentJob(jobs);
  return job ? { job } : { error: `bash: ${builtin}: current: no such job\n` };
}

export interface WaitPlan extends BuiltinOutput {
  /** 'all': every job (bash then forgets them without notices); otherwise the jobs to wait for, by number. */
  waitFor: 'all' | number[];
}

/**
 * `wait [jobspec|pid ...]`. The exit status once the jobs ended is `jobStatus` of the last one (0 for 'all');
 * `exitCode` here is the status if nothing is left to wait for.
 */
export function parseWait(args: readonly string[], jobs: readonly ShellJob[]): WaitPlan {
  if (args.length === 0) return { stdout: '', stderr: '', exitCode: 0, waitFor: 'all' };
  const option = args.find((arg) => /^-./.test(arg) && arg !== '--');
  if (option)
    return {
      stdout: '',
      stderr: `bash: wait: ${option}: not available in this lab terminal (wait, wait %N and wait PID are)\n`,
      exitCode: 2,
      waitFor: [],
    };
  const marked = withMarkers(jobs);
  let stderr = '';
  let exitCode = 0;
  const waitFor: number[] = [];
  for (const target of args.filter((arg) => arg !== '--')) {
    let job: ShellJob | undefined;
    if (/^\d+$/.test(target)) {
      job = marked.find((j) => processPids(j).pids.includes(Number(target)));
      if (!job) {
        stderr += `bash: wait: pid ${target} is not a child of this shell\n`;
        exitCode = 127;
        continue;
      }
    } else if (!target.startsWith('%')) {
      stderr += `bash: wait: \`${target}': not a pid or valid job spec\n`;
      exitCode = 1;
      continue;
    } else {
      const resolved = resolveJobspec(target, marked, 'wait');
      if ('error' in resolved) {
        stderr += resolved.error;
        exitCode = 127;
        continue;
      }
      job = resolved.job;
    }
    waitFor.push(job.number);
    exitCode = jobStatus(job);
  }
  return { stdout: '', stderr, exitCode, waitFor };
}

/**
 * `disown [-h] [-a] [jobspec|pid ...]`: bash's errors for jobs that are not there. A job that is stays in the table:
 * in the lab every job belongs to the session until it ends (the table is how `jobs`, `kill` and the end of the
 * cluster find it), so removing one is not available, and saying so beats bash's silence. `-h` (keep the job but
 * spare it the SIGHUP when the shell exits) is what the lab does anyway: accepted, nothing to do.
 */
export function parseDisown(args: readonly string[], jobs: readonly ShellJob[]): BuiltinOutput {
  const options = args.filter((arg) => /^-./.test(arg) && arg !== '--');
  const bad = options.find((option) => !/^-[har]+$/.test(option));
  if (bad) {
    return {
      stdout: '',
      stderr: `bash: disown: ${bad.slice(0, 2)}: invalid option\ndisown: usage: disown [-h] [-ar] [jobspec ... | pid ...]\n`,
      exitCode: 2,
    };
  }
  const flags = options.join('');
  const operands = args.filter((arg) => !/^-./.test(arg) && arg !== '--');
  const marked = withMarkers(jobs);
  let stderr = '';
  let exitCode = 0;
  const found: ShellJob[] = [];
  if (flags.includes('a') || flags.includes('r')) found.push(...marked);
  else if (operands.length === 0) {
    const current = currentOrError(jobs, 'disown');
    if ('error' in current) return { stdout: '', stderr: current.error, exitCode: 1 };
    found.push(current.job);
  }
  for (const operand of operands) {
    const job = /^\d+$/.test(operand)
      ? marked.find((j) => processPids(j).pids.includes(Number(operand)))
      : undefined;
    const resolved = job ? { job } : resolveJobspec(operand, marked, 'disown');
    if ('error' in resolved) {
      stderr += resolved.error;
      exitCode = 1;
    } else found.push(resolved.job);
  }
  if (flags.includes('h')) return { stdout: '', stderr, exitCode };
  for (const job of found) {
    stderr += `bash: disown: %${job.number}: not available in this lab terminal: a job stays in the session's jobs until it ends (kill %${job.number} stops it)\n`;
    exitCode = 1;
  }
  return { stdout: '', stderr, exitCode };
}
