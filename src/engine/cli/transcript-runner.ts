import { ManualClock } from '../clock/clock';
import { Cluster, createCluster } from '../cluster';
import { LabTerminal } from '../terminal/terminal';

export interface TranscriptStep {
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
  /** Called with each step as soon as it finished (lets the CLI stream). */
  onStep?(step: TranscriptStep): void;
}

/** The fixed defaults of `npm run engine`: same file ⇒ byte-identical output. */
export const TRANSCRIPT_SEED = 1;
export const TRANSCRIPT_START_MS = Date.UTC(2024, 5, 3, 2, 15, 0);

const SECOND = 1000;
/** Virtual time a waiting command may take before the runner interrupts it (like Ctrl-C). */
const WATCH_LIMIT_MS = 30 * SECOND;
const WAIT_LIMIT_MS = 10 * 60 * SECOND;

/**
 * Runs a transcript: one terminal command per line; `# advance <duration>` moves the virtual clock; blank lines and
 * other `#` lines are skipped. Commands that wait (rollout status, get -w, delete) see the clock advanced for them to
 * the cluster's next scheduled change, up to a bound (30 s for watches and follows, 10 min otherwise).
 */
export async function runTranscript(
  text: string,
  options: TranscriptOptions = {},
): Promise<TranscriptStep[]> {
  const clock = new ManualClock(options.startMs ?? TRANSCRIPT_START_MS);
  const cluster = createCluster({ seed: options.seed ?? TRANSCRIPT_SEED, clock });
  const terminal = new LabTerminal(cluster);
  const steps: TranscriptStep[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    const advance = /^#\s*advance\s+(\S+)\s*$/.exec(line);
    if (advance) {
      clock.advance(parseDuration(advance[1], index + 1));
      cluster.sync();
      continue;
    }
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const step = await runStep(cluster, clock, terminal, line);
    steps.push(step);
    options.onStep?.(step);
  }
  return steps;
}

export async function runStep(
  cluster: Cluster,
  clock: ManualClock,
  terminal: LabTerminal,
  command: string,
): Promise<TranscriptStep> {
  const step: TranscriptStep = {
    command,
    prompt: terminal.prompt(),
    stdout: '',
    stderr: '',
    output: '',
    exitCode: 0,
  };
  const controller = new AbortController();
  const limit =
    clock.now() +
    (/(^|\s)(-w|--watch|-f|--follow|-\w*w\w*)(\s|=|$)/.test(command) && /\b(get|logs)\b/.test(command)
      ? WATCH_LIMIT_MS
      : WAIT_LIMIT_MS);
  let finished = false;
  const running = terminal
    .run(command, {
      stdout: (chunk) => {
        step.stdout += chunk;
        step.output += chunk;
      },
      stderr: (chunk) => {
        step.stderr += chunk;
        step.output += chunk;
      },
      signal: controller.signal,
    })
    .then((code) => {
      finished = true;
      step.exitCode = code;
    });
  while (!finished) {
    await settle();
    if (finished || clock.pendingSleeps() === 0) continue;
    if (clock.now() >= limit) {
      controller.abort();
      await running;
      // What the terminal echoes for Ctrl-C, so a reader sees where the runner stopped the command.
      step.output += '^C\n';
      break;
    }
    const due = cluster.nextDueAt();
    clock.set(due !== undefined && due > clock.now() ? Math.min(due, limit) : limit);
  }
  await running;
  return step;
}

/** Lets promise chains run until the command either finished or parked on the clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
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
