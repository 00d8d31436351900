import {
  doneNotice,
  exitOutcome,
  JobOutcome,
  ShellJob,
  SIGINT,
  SIGKILL,
  signalOutcome,
  SIGTERM,
} from '../engine/terminal/job-control';
import type { StoredJob } from '../repositories/session-jobs.repository';
import type { RunOutcome } from './outcomes';

const SIGNALS = { TERM: SIGTERM, KILL: SIGKILL, INT: SIGINT, HUP: 1 } as const;

/** A stored job as the shell's job control sees it (every stored job is running). */
export function shellJobOf(job: StoredJob): ShellJob {
  return { number: job.number, pid: job.pid, command: job.command, state: 'running' };
}

/** How a job ended, as bash would report it. */
export function jobOutcomeOf(outcome: RunOutcome): JobOutcome {
  switch (outcome.kind) {
    case 'completed':
      return exitOutcome(outcome.exitCode);
    case 'terminated':
      return signalOutcome(SIGNALS[outcome.signal]);
    case 'cancelled':
      return signalOutcome(SIGINT);
    // A time limit or the end of its cluster stops a job as `kill` would; a dead worker's as SIGKILL.
    case 'timed_out':
      return signalOutcome(SIGTERM);
    case 'interrupted':
      return signalOutcome(outcome.reason === 'worker-died' ? SIGKILL : SIGTERM);
    case 'not_run':
      return exitOutcome(1);
  }
}

/** `[1]+  Done                    kubectl get pods -w`: the line bash prints once a job has ended. */
export function jobNoticeOf(job: StoredJob, tableBefore: StoredJob[], outcome: RunOutcome): string {
  return doneNotice(shellJobOf(job), jobOutcomeOf(outcome), tableBefore.map(shellJobOf));
}
