import {
  formatJobs,
  parseBg,
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
}

const STOP_REQUESTS: Record<number, StopRequest> = { 1: 'HUP', [SIGINT]: 'INT', [SIGKILL]: 'KILL' };

/**
 * `jobs`, `kill`, `fg`, `bg` and `wait` against the session's job table, with bash's answers (the
 * engine's job control). The platform does the stopping; a job's end is then announced with its
 * notice like any other.
 */
export function runJobControl(text: string, table: StoredJob[]): JobControlResult {
  const [stage] = tokenize(text).stages;
  // Job control takes literal words: `$VAR` in them expands to nothing, as an unset variable would.
  const [builtin, ...args] = expandWords(stage, () => '');
  const jobs = table.map(shellJobOf);
  const none = { stop: [] };
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
        stop: stop.map((number) => ({
          runId: table.find((job) => job.number === number)?.runId as string,
          signal,
        })),
      };
    }
    case 'fg': {
      const answer = parseFg(args, jobs);
      if (!answer.job) return { ...answer, ...none };
      return {
        stdout: '',
        stderr: `bash: fg: a job cannot be brought to the foreground in this lab terminal; it runs on in the background (kill %${answer.job.number} stops it)\n`,
        exitCode: 1,
        ...none,
      };
    }
    case 'bg':
      return { ...parseBg(args, jobs), ...none };
    default: {
      const plan = parseWait(args, jobs);
      if (
        plan.exitCode !== 0 ||
        (Array.isArray(plan.waitFor) && plan.waitFor.length === 0) ||
        jobs.length === 0
      )
        return { stdout: plan.stdout, stderr: plan.stderr, exitCode: plan.exitCode, ...none };
      return {
        stdout: '',
        stderr:
          'bash: wait: waiting for background jobs is not available in this lab terminal; jobs lists them, kill %N stops one\n',
        exitCode: 2,
        ...none,
      };
    }
  }
}
