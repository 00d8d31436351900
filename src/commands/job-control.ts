import {
  formatJobs,
  parseBg,
  parseDisown,
  parseFg,
  parseKill,
  parseWait,
  SIGINT,
  SIGKILL,
} from '../engine/terminal/job-control';
import { expandWords, tokenize } from '../engine/terminal/tokenizer';
import type { StopRequest } from '../repositories/run-signals.repository';
import type { StoredJob } from '../repositories/session-jobs.repository';
import { shellJobOf } from './job-notices';

export interface JobControlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Background runs to stop, and with which signal. */
  stop: { runId: string; signal: StopRequest }[];
  /**
   * `wait` and `fg`: the line goes on until these jobs have ended (the platform waits, under the
   * limit of a lasting run, and Ctrl-C stops the waiting). `exitCode` is then the status of the last
   * job named (`lastJobStatus`) or stays as it is (`wait` without operands: 0; an error after it).
   */
  waitFor?: {
    runIds: string[];
    lastJobStatus: boolean;
    /** `fg`: the job is in the foreground, so Ctrl-C reaches it (SIGINT) rather than the waiting. */
    foreground?: { runId: string };
  };
}

const STOP_REQUESTS: Record<number, StopRequest> = { 1: 'HUP', [SIGINT]: 'INT', [SIGKILL]: 'KILL' };

/**
 * `jobs`, `kill`, `fg`, `bg`, `wait` and `disown` against the session's job table, with bash's
 * answers (the engine's job control). The platform does the stopping and the waiting; a job's end
 * is then announced with its notice like any other.
 */
export function runJobControl(text: string, table: StoredJob[]): JobControlResult {
  const [stage] = tokenize(text).stages;
  // Job control takes literal words: `$VAR` in them expands to nothing, as an unset variable would.
  const [builtin, ...args] = expandWords(stage, () => '');
  const jobs = table.map(shellJobOf);
  const none = { stop: [] };
  const runIdOf = (number: number) => table.find((job) => job.number === number)?.runId as string;
  switch (builtin) {
    case 'jobs':
      return { ...formatJobs(jobs, args), ...none };
    case 'kill': {
      const plan = parseKill(args, jobs);
      const signal = STOP_REQUESTS[plan.signal] ?? 'TERM';
      const stop = plan.signal === 0 ? [] : plan.stop;
      return {
        stdout: plan.stdout,
        stderr: plan.stderr,
        exitCode: plan.exitCode,
        stop: stop.map((number) => ({ runId: runIdOf(number), signal })),
      };
    }
    case 'fg': {
      // bash prints the job's command and waits for it; Ctrl-C then interrupts the job itself.
      const answer = parseFg(args, jobs);
      if (!answer.job) return { ...answer, ...none };
      const runId = runIdOf(answer.job.number);
      return {
        ...answer,
        ...none,
        waitFor: { runIds: [runId], lastJobStatus: true, foreground: { runId } },
      };
    }
    case 'bg':
      return { ...parseBg(args, jobs), ...none };
    case 'disown':
      return { ...parseDisown(args, jobs), ...none };
    default: {
      const plan = parseWait(args, jobs);
      const numbers = plan.waitFor === 'all' ? jobs.map((job) => job.number) : plan.waitFor;
      const result = { stdout: plan.stdout, stderr: plan.stderr, exitCode: plan.exitCode, ...none };
      if (numbers.length === 0) return result;
      return {
        ...result,
        // The status is the last operand's: a job's when every operand named one.
        waitFor: {
          runIds: numbers.map(runIdOf),
          lastJobStatus: plan.waitFor !== 'all' && plan.stderr === '',
        },
      };
    }
  }
}
