import type { CommandStatus } from '../repositories/command-run.repository';

/** Exit codes a run is given by the platform rather than by the command itself (bash's conventions). */
export enum ExitCode {
  /** The platform could not run it at all (no cluster, not queued). */
  NotRun = 1,
  /** Stopped by the command time limit, like coreutils' `timeout`. */
  TimedOut = 124,
  /** Ctrl-C: 128 + SIGINT. */
  Cancelled = 130,
  /** Its worker died: 128 + SIGKILL. */
  Interrupted = 137,
  /** `kill %1` of a background job: 128 + SIGTERM. */
  Terminated = 143,
}

/**
 * How a run ended. Every end goes through RunLedger.end with one of these, so the status, exit
 * code and the note the terminal shows are decided here and nowhere else.
 */
export type RunOutcome =
  /** The command ran to its end; `stoppedForOutput` when it was stopped at the output cap. */
  | { kind: 'completed'; exitCode: number; stoppedForOutput?: boolean }
  /** Ctrl-C, before it started or while it ran. */
  | { kind: 'cancelled' }
  /** `kill` of a background job (`signal` as bash names it in the job's notice). */
  | { kind: 'terminated'; signal: 'TERM' | 'KILL' | 'INT' | 'HUP' }
  | { kind: 'timed_out'; limitSeconds: number; what: RunLimit }
  /** Its worker died or shut down, or its cluster ended under it. */
  | { kind: 'interrupted'; reason: InterruptReason }
  /** The platform could not start it; `message` says why. */
  | { kind: 'not_run'; message: string };

/** 128 + the signal's number, as bash reports a process a signal ended. */
const SIGNAL_EXIT_CODES: Record<Extract<RunOutcome, { kind: 'terminated' }>['signal'], number> = {
  HUP: 129,
  INT: ExitCode.Cancelled,
  KILL: ExitCode.Interrupted,
  TERM: ExitCode.Terminated,
};

export type RunLimit = 'command' | 'lasting' | 'background';
export type InterruptReason = 'worker-died' | 'worker-shutdown' | 'cluster-ended';

export interface EndState {
  status: CommandStatus;
  exitCode: number;
  /** Shown after the output. */
  note?: string;
  /** Kept in the record's error column. */
  error?: string;
}

const LIMIT_NAMES: Record<RunLimit, string> = {
  command: 'one command',
  lasting: 'a command that follows changes or waits for input',
  background: 'a background job',
};

const INTERRUPTIONS: Record<InterruptReason, { note: string; error: string }> = {
  'worker-died': {
    note: 'Interrupted: the worker running this command stopped. Run it again.',
    error: 'interrupted: the worker running this command stopped',
  },
  'worker-shutdown': {
    note: 'Interrupted: the worker is shutting down.',
    error: 'interrupted: the worker shut down',
  },
  'cluster-ended': {
    note: 'Stopped: the cluster it ran against was stopped or reset.',
    error: 'interrupted: the cluster ended',
  },
};

/** The status, exit code and note of an outcome; `exitCode` of a completed run is the command's own. */
export function endStateOf(outcome: RunOutcome): EndState {
  switch (outcome.kind) {
    case 'completed':
      return outcome.stoppedForOutput
        ? {
            status: 'completed',
            exitCode: outcome.exitCode,
            note: 'Output truncated: the command printed more than the limit and was stopped.',
          }
        : { status: 'completed', exitCode: outcome.exitCode };
    case 'cancelled':
      return { status: 'cancelled', exitCode: ExitCode.Cancelled, note: '^C', error: 'cancelled' };
    case 'terminated':
      return {
        status: 'cancelled',
        exitCode: SIGNAL_EXIT_CODES[outcome.signal],
        error: `terminated by SIG${outcome.signal}`,
      };
    case 'timed_out':
      return {
        status: 'timed_out',
        exitCode: ExitCode.TimedOut,
        note: `Stopped after ${formatLimit(outcome.limitSeconds)}, the time limit for ${LIMIT_NAMES[outcome.what]}.`,
        error: 'timed out',
      };
    case 'interrupted':
      return { status: 'interrupted', exitCode: ExitCode.Interrupted, ...INTERRUPTIONS[outcome.reason] };
    case 'not_run':
      return {
        status: 'interrupted',
        exitCode: ExitCode.NotRun,
        note: `Not run: ${outcome.message}`,
        error: outcome.message,
      };
  }
}

/** `8 s`, `15 min`, `1 h 30 min`. */
export function formatLimit(seconds: number): string {
  if (seconds < 60 || seconds % 60 !== 0) return `${seconds} s`;
  const minutes = seconds / 60;
  if (minutes < 60 || minutes % 60 !== 0) {
    return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }
  return `${minutes / 60} h`;
}
