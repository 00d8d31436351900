import { ManualClock } from '../clock/clock';
import { Cluster, createCluster } from '../cluster';
import {
  BuiltinOutput,
  doneNotice,
  endJob,
  exitOutcome,
  forgetJobs,
  formatJobs,
  jobStatus,
  parseBg,
  parseDisown,
  parseFg,
  parseKill,
  parseWait,
  processTexts,
  JobOutcome,
  ShellJob,
  SIGINT,
  signalOutcome,
  startJob,
  startNotice,
} from '../terminal/job-control';
import { isComplete, JobControlBuiltin, lineShape } from '../terminal/line-shape';
import { HomeDirectory } from '../terminal/home/home-directory';
import { LabTerminal } from '../terminal/terminal';
import { expandWords, tokenize } from '../terminal/tokenizer';
import type { EffectsRecorder } from '../kubectl/effects';

export interface TranscriptStep {
  /** The command line, with its here-document bodies on the following lines. */
  command: string;
  /** The prompt shown before the command (`$ ` or the pod shell's). */
  prompt: string;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in the order they were written, as a terminal shows them. */
  output: string;
  exitCode: number;
}

export interface TranscriptOptions {
  seed?: number;
  startMs?: number;
  /** Runs on this cluster and clock (`engine serve --transcript`) instead of a fresh one. */
  cluster?: Cluster;
  clock?: ManualClock;
  /** Called with each step as soon as it finished (lets the CLI stream). */
  onStep?(step: TranscriptStep): void;
}

/** The fixed defaults of `npm run engine`: same file ⇒ byte-identical output. */
export const TRANSCRIPT_SEED = 1;
export const TRANSCRIPT_START_MS = Date.UTC(2024, 5, 3, 2, 15, 0);
/** The pid of the first background job; later ones count up from it (one pid per process of a pipeline). */
export const TRANSCRIPT_FIRST_PID = 4242;

const SECOND = 1000;
/** Virtual time a waiting command may take before the runner interrupts it (like Ctrl-C). */
const WATCH_LIMIT_MS = 30 * SECOND;
const WAIT_LIMIT_MS = 10 * 60 * SECOND;

/**
 * Runs a transcript: one terminal command per line; `# advance <duration>` moves the virtual clock; blank lines and
 * other `#` lines are skipped. A line whose here-document is open takes the following lines up to its delimiter
 * line as one step. Commands that wait (rollout status, get -w, delete) see the clock advanced for them to the
 * cluster's next scheduled change, up to a bound (30 s for watches and follows, 10 min otherwise). A line ending in
 * `&` starts a job that runs beside the following steps until it ends or is killed; remaining jobs are stopped at
 * the end.
 */
export async function runTranscript(
  text: string,
  options: TranscriptOptions = {},
): Promise<TranscriptStep[]> {
  const clock = options.clock ?? new ManualClock(options.startMs ?? TRANSCRIPT_START_MS);
  const cluster = options.cluster ?? createCluster({ seed: options.seed ?? TRANSCRIPT_SEED, clock });
  // A transcript starts from an empty home, as a lab that ships no starter files.
  const home = new HomeDirectory(() => clock.now());
  const shell = new TranscriptShell(cluster, clock, new LabTerminal(cluster, { home }));
  const steps: TranscriptStep[] = [];
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  // The file's last newline ends its last line; it does not add an empty line to an open here-document.
  if (lines[lines.length - 1] === '') lines.pop();
  try {
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index];
      const advance = /^#\s*advance\s+(\S+)\s*$/.exec(line);
      if (advance) {
        await shell.advance(parseDuration(advance[1], index + 1));
        continue;
      }
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      let command = line;
      while (!isComplete(command) && index + 1 < lines.length) command += `\n${lines[++index]}`;
      const step = await shell.step(command);
      steps.push(step);
      options.onStep?.(step);
    }
  } finally {
    await shell.close();
  }
  return steps;
}

/** One foreground command against the terminal, with the clock driven for it (no job control). */
export async function runStep(
  cluster: Cluster,
  clock: ManualClock,
  terminal: LabTerminal,
  command: string,
): Promise<TranscriptStep> {
  const step = newStep(command, terminal.prompt());
  const write = (stream: 'stdout' | 'stderr') => (chunk: string) => append(step, stream, chunk);
  await runForeground(cluster, clock, terminal, step, { stdout: write('stdout'), stderr: write('stderr') });
  return step;
}

interface Output {
  stdout(chunk: string): void;
  stderr(chunk: string): void;
}

interface Chunk {
  stream: 'stdout' | 'stderr';
  chunk: string;
}

function newStep(command: string, prompt: string): TranscriptStep {
  return { command, prompt, stdout: '', stderr: '', output: '', exitCode: 0 };
}

function append(step: TranscriptStep, stream: 'stdout' | 'stderr', chunk: string): void {
  step[stream] += chunk;
  step.output += chunk;
}

/** Watches and follows get the short limit; everything else may wait up to 10 minutes. */
function limitFor(command: string): number {
  return /(^|\s)(-w|--watch|-f|--follow|-\w*w\w*)(\s|=|$)/.test(command) && /\b(get|logs)\b/.test(command)
    ? WATCH_LIMIT_MS
    : WAIT_LIMIT_MS;
}

async function runForeground(
  cluster: Cluster,
  clock: ManualClock,
  terminal: LabTerminal,
  step: TranscriptStep,
  out: Output & { effects?: EffectsRecorder },
  beforeAdvance?: () => void,
): Promise<void> {
  const controller = new AbortController();
  let finished = false;
  const running = terminal.run(step.command, { ...out, signal: controller.signal }).then((code) => {
    finished = true;
    step.exitCode = code;
  });
  const interrupted = await drive(cluster, clock, {
    done: () => finished,
    settled: running,
    limit: clock.now() + limitFor(step.command),
    interrupt: () => controller.abort(),
    beforeAdvance,
  });
  // What the terminal echoes for Ctrl-C, so a reader sees where the runner stopped the command.
  if (interrupted) step.output += '^C\n';
}

/**
 * Lets promise chains run until `done`, moving the clock to the cluster's next scheduled change whenever something
 * sleeps on it, up to `limit`; then interrupts. Resolves whether it interrupted.
 */
async function drive(
  cluster: Cluster,
  clock: ManualClock,
  wait: {
    done(): boolean;
    settled: Promise<unknown>;
    limit: number;
    interrupt(): void;
    beforeAdvance?(): void;
  },
): Promise<boolean> {
  while (!wait.done()) {
    await settle();
    if (wait.done() || clock.pendingSleeps() === 0) continue;
    if (clock.now() >= wait.limit) {
      wait.interrupt();
      await wait.settled;
      return true;
    }
    wait.beforeAdvance?.();
    // The next thing due: a cluster timer, or a waiter's own deadline (a retry or a timeout of its own).
    const due = Math.min(cluster.nextDueAt() ?? Infinity, clock.nextSleepAt() ?? Infinity);
    clock.set(due > clock.now() ? Math.min(due, wait.limit) : wait.limit);
  }
  await wait.settled;
  return false;
}

/** Lets promise chains run until the command either finished or parked on the clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A background job while it runs. */
interface RunningJob {
  number: number;
  controller: AbortController;
  settled: Promise<void>;
  /** How its run ended, once it did. */
  outcome?: JobOutcome;
  /**
   * The shell has noticed the end (bash reaps on SIGCHLD, a moment after the death): only then does the job table
   * say the job ended, and the notice follows before the next prompt. Here a job is reaped when time passes after
   * it ended (the clock moves, or the next line is typed), so a job that ends at once, or that `kill` ends, is
   * reported after the next command, as in a real terminal.
   */
  reaped: boolean;
  /** The signal `kill` (or Ctrl-C on `fg`, or the end of the transcript) sent it; it writes nothing after it. */
  signal?: number;
}

/**
 * The runner's interactive shell: steps run in the foreground while `&` jobs run beside them. Job output goes to the
 * step during which it was written (or, written between steps, to the start of the next one); the job table and
 * every text about jobs come from job-control.ts.
 */
export class TranscriptShell {
  private jobs: ShellJob[] = [];
  private readonly running = new Map<number, RunningJob>();
  private nextPid = TRANSCRIPT_FIRST_PID;
  private current: TranscriptStep | undefined;
  /** Output jobs wrote while no step ran. */
  private idle: Chunk[] = [];

  constructor(
    private readonly cluster: Cluster,
    private readonly clock: ManualClock,
    private readonly terminal: LabTerminal,
  ) {}

  /** Runs a line; `effects` records its kubectl namespace and writes (a job's: those of its start). */
  async step(command: string, options: { effects?: EffectsRecorder } = {}): Promise<TranscriptStep> {
    const step = newStep(command, this.terminal.prompt());
    this.current = step;
    for (const { stream, chunk } of this.idle) append(step, stream, chunk);
    this.idle = [];
    // Typing the line took time: jobs that ended before it are noticed now.
    this.reap();
    const shape = this.terminal.inPodShell() ? undefined : lineShape(command);
    if (shape?.kind === 'background') await this.startJob(step, shape.text, options.effects);
    else if (shape?.kind === 'job-control') await this.jobControl(step, shape.builtin);
    else {
      const write = (stream: 'stdout' | 'stderr') => (chunk: string) => append(step, stream, chunk);
      const out = { stdout: write('stdout'), stderr: write('stderr'), effects: options.effects };
      await runForeground(this.cluster, this.clock, this.terminal, step, out, () => this.reap());
    }
    await settle();
    this.notify(step);
    this.current = undefined;
    return step;
  }

  /** `# advance`: time passes at the prompt; running jobs see every change on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    if (this.running.size === 0) {
      this.clock.set(target);
      this.cluster.sync();
      return;
    }
    for (;;) {
      await settle();
      this.reap();
      const due = this.cluster.nextDueAt();
      const next = due !== undefined && due > this.clock.now() ? Math.min(due, target) : target;
      this.clock.set(next);
      this.cluster.sync();
      if (next >= target) break;
    }
    await settle();
  }

  /** Stops the jobs still running when the transcript ends; nothing is printed for them. */
  async close(): Promise<void> {
    for (const job of this.running.values()) {
      job.signal = SIGINT;
      job.controller.abort();
    }
    await Promise.all([...this.running.values()].map((job) => job.settled));
    this.running.clear();
    this.idle = [];
  }

  /**
   * Where a job writes: into the step running as it writes, in the order things happen (as the platform streams
   * it), or between steps into the start of the next one. A signalled job dies at once: it writes nothing more, so
   * a filter of its pipeline (`| grep -c x`) prints no final count.
   */
  private output(job: RunningJob): Output {
    const write = (stream: 'stdout' | 'stderr') => (chunk: string) => {
      if (job.signal !== undefined) return;
      if (this.current) append(this.current, stream, chunk);
      else this.idle.push({ stream, chunk });
    };
    return { stdout: write('stdout'), stderr: write('stderr') };
  }

  private reap(): void {
    for (const job of this.running.values())
      if (job.outcome && !job.reaped) {
        job.reaped = true;
        this.jobs = endJob(this.jobs, job.number, job.outcome);
      }
  }

  /** The notices bash prints before the next prompt, for the jobs it reaped; then it forgets them. */
  private notify(step: TranscriptStep): void {
    const reported = this.jobs.filter((job) => job.state !== 'running');
    for (const job of reported) append(step, 'stderr', doneNotice(job));
    this.forget(reported.map((job) => job.number));
  }

  private forget(numbers: number[]): void {
    if (numbers.length === 0) return;
    this.jobs = forgetJobs(this.jobs, numbers);
    for (const number of numbers) this.running.delete(number);
  }

  private async startJob(step: TranscriptStep, text: string, effects?: EffectsRecorder): Promise<void> {
    // A pipeline's processes get consecutive pids; `[N] PID` shows the last one.
    const processes = processTexts(text).length;
    const pid = this.nextPid + processes - 1;
    this.nextPid += processes;
    const started = startJob(this.jobs, { pid, command: text });
    this.jobs = started.jobs;
    append(step, 'stderr', startNotice(started.job));
    const controller = new AbortController();
    const job: RunningJob = {
      number: started.job.number,
      controller,
      settled: Promise.resolve(),
      reaped: false,
    };
    job.settled = this.terminal
      .run(text, { ...this.output(job), signal: controller.signal, background: true, effects })
      .then((code) => {
        job.outcome = job.signal !== undefined ? signalOutcome(job.signal) : exitOutcome(code);
      });
    this.running.set(job.number, job);
    // What the job prints at once belongs to this step, as the terminal shows it right after `[N] PID`.
    await settle();
  }

  private async jobControl(step: TranscriptStep, builtin: JobControlBuiltin): Promise<void> {
    const [stage] = tokenize(step.command).stages;
    const args = expandWords(stage, () => '').slice(1);
    const print = (result: BuiltinOutput) => {
      append(step, 'stdout', result.stdout);
      append(step, 'stderr', result.stderr);
      step.exitCode = result.exitCode;
    };
    switch (builtin) {
      case 'jobs': {
        const result = formatJobs(this.jobs, args);
        print(result);
        this.forget(result.reported);
        return;
      }
      case 'kill': {
        const plan = parseKill(args, this.jobs);
        print(plan);
        for (const number of plan.stop) {
          const job = this.running.get(number);
          if (!job || job.outcome) continue;
          job.signal = plan.signal;
          job.controller.abort();
        }
        await Promise.all(plan.stop.map((number) => this.running.get(number)?.settled));
        return;
      }
      case 'bg':
        print(parseBg(args, this.jobs));
        return;
      case 'disown':
        print(parseDisown(args, this.jobs));
        return;
      case 'fg': {
        const result = parseFg(args, this.jobs);
        print(result);
        if (!result.job) return;
        const job = this.running.get(result.job.number);
        if (!job) return;
        const interrupted = await this.waitFor([job], limitFor(result.job.command), () => {
          job.signal = SIGINT;
          job.controller.abort();
        });
        await job.settled;
        step.exitCode = job.outcome ? jobStatus(job.outcome) : 0;
        if (interrupted) step.output += '^C\n';
        // A foreground job that ends is not reported; bash forgets it at once.
        this.forget([job.number]);
        return;
      }
      case 'wait': {
        const plan = parseWait(args, this.jobs);
        print(plan);
        const targets =
          plan.waitFor === 'all'
            ? [...this.running.values()]
            : plan.waitFor.flatMap((number) => this.running.get(number) ?? []);
        // Ctrl-C interrupts `wait`, not the jobs.
        const interrupted = await this.waitFor(targets, WAIT_LIMIT_MS, () => undefined);
        if (interrupted) {
          step.output += '^C\n';
          step.exitCode = 130;
          return;
        }
        // Waiting is reaping: the table now has the ends of the jobs waited for.
        this.reap();
        if (plan.waitFor === 'all') {
          // bash's `wait` without operands forgets the jobs it waited for, without notices.
          this.forget(this.jobs.filter((j) => j.state !== 'running').map((j) => j.number));
          step.exitCode = 0;
        } else if (plan.waitFor.length > 0) {
          const last = this.jobs.find((j) => j.number === plan.waitFor[plan.waitFor.length - 1]);
          if (last) step.exitCode = jobStatus(last);
        }
        return;
      }
    }
  }

  /**
   * Drives the clock until `jobs` ended; on the limit, `interrupt` (which may stop them) and stop waiting. Resolves
   * whether it interrupted.
   */
  private async waitFor(jobs: RunningJob[], limitMs: number, interrupt: () => void): Promise<boolean> {
    const interrupted = await drive(this.cluster, this.clock, {
      done: () => jobs.every((job) => job.outcome !== undefined),
      settled: Promise.resolve(),
      limit: this.clock.now() + limitMs,
      interrupt,
      beforeAdvance: () => this.reap(),
    });
    // Let a job that the interrupt stopped record its end.
    await settle();
    return interrupted;
  }
}

export function parseDuration(text: string, lineNumber: number): number {
  const units: Record<string, number> = {
    ms: 1,
    s: SECOND,
    m: 60 * SECOND,
    h: 3600 * SECOND,
    d: 86400 * SECOND,
  };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text))) {
    total += Number(match[1]) * units[match[2]];
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== text.length)
    throw new Error(`line ${lineNumber}: bad duration "${text}" (use e.g. 5s, 2m, 1h30m)`);
  return Math.round(total);
}

/** Plain transcript text: `<prompt><command>` then its output, as the terminal shows it. */
export function formatPlain(step: TranscriptStep): string {
  return `${step.prompt}${step.command}\n${step.output}`;
}
