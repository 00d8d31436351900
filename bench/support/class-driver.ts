/**
 * A class of simulated students typing at once: each submits one command a second, every `changeEvery`-th one
 * that changes the cluster (and is graded), as bench:commands does. Records submit → exit per command, keyed by
 * the run id of the submit's acknowledgement (so a refused command cannot shift the others' timings), and the
 * refusals (`unavailable`, with the retry hint of `command.rejected`).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { CommandRejected } from '../../src/shared/events';
import { BenchStudent, READ_COMMAND } from './students';

/**
 * Labels the node with a value new to this drive (`round`), so every changing command changes the cluster (a
 * label set to the value it has is no change, and is not graded), also when a later step's ticks count from 1 again.
 */
export const changeCommand = (round: number, tick: number) =>
  `kubectl label nodes minikube bench=r${round}t${tick} --overwrite`;

/** Drives of this process so far, and its submissions: each line's clientRef is unique (retries are matched by it). */
let drives = 0;
let submissions = 0;

export interface DriveOptions {
  /** Seconds of submissions in all; the first `warmupSeconds` of them are not measured. */
  seconds: number;
  warmupSeconds: number;
  changeEvery: number;
  /** Each student's index in the whole class and the class's size, so the class's ticks spread over each second. */
  firstIndex: number;
  classSize: number;
  /** How long to wait after the last submission for the last exits. */
  graceSeconds: number;
}

/** What one process's students did in a drive's measured window (JSON-safe, to cross process boundaries). */
export interface DriveResult {
  /** Submit → exit (ms) of every command submitted in the measured window that exited. */
  exitMs: number[];
  submitted: number;
  completed: number;
  /** Not answered, or accepted without an exit, when the grace period ended. */
  withoutExit: number;
  /** Refused at admission: `unavailable` with a retry hint (in `command.rejected`). */
  refusals: number;
  retryHints: number[];
  /** Other refusals, missing acknowledgements and non-zero exits, by kind. */
  errors: Record<string, number>;
  /** CPU time of this process over the drive, ms. */
  cpuMs: number;
  wallMs: number;
  /** This process's event-loop delay, p99 (ms): a client too busy to read its sockets in time adds its own latency. */
  loopDelayP99Ms: number;
}

export async function driveClass(students: BenchStudent[], options: DriveOptions): Promise<DriveResult> {
  const exits = new Map<string, { at: number; exitCode: number }>();
  const accepted: { runId: string; submitted: number }[] = [];
  const result: DriveResult = {
    exitMs: [],
    submitted: 0,
    completed: 0,
    withoutExit: 0,
    refusals: 0,
    retryHints: [],
    errors: {},
    cpuMs: 0,
    wallMs: 0,
    loopDelayP99Ms: 0,
  };
  const failed = (kind: string) => (result.errors[kind] = (result.errors[kind] ?? 0) + 1);
  const onExit = ({ runId, exitCode }: { runId: string; exitCode: number }) =>
    exits.set(runId, { at: performance.now(), exitCode });
  // The rejection event reaches the client before the submit's acknowledgement; the line's own clientRef tells
  // an admission refusal (with a retry hint) from a failure reported as `unavailable` too.
  const hints = new Map<string, number>();
  const onRejected = ({ code, clientRef, retryAfterSeconds }: CommandRejected) => {
    if (code === 'unavailable' && clientRef && retryAfterSeconds !== undefined)
      hints.set(clientRef, retryAfterSeconds);
  };
  const round = ++drives;
  for (const student of students) {
    student.socket.on('command.exit', onExit);
    student.socket.on('command.rejected', onRejected);
  }
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const measuredFrom = started + options.warmupSeconds * 1000;
  const timers: NodeJS.Timeout[] = [];
  students.forEach((student, offset) => {
    const index = options.firstIndex + offset;
    const tick = (ticks: number) => {
      const command =
        options.changeEvery > 0 && (ticks + index) % options.changeEvery === 0
          ? changeCommand(round, ticks)
          : READ_COMMAND;
      const submitted = performance.now();
      const measured = submitted >= measuredFrom;
      if (measured) result.submitted++;
      const clientRef = `${process.pid}-${++submissions}`;
      student.socket
        .timeout(30_000)
        .emitWithAck('command.submit', { labSessionId: student.sessionId, command, clientRef })
        .then((ack) => {
          const hint = hints.get(clientRef);
          hints.delete(clientRef);
          if (!measured) return;
          if (ack.ok) accepted.push({ runId: ack.data.runId, submitted });
          else if (hint !== undefined) {
            result.refusals++;
            result.retryHints.push(hint);
          } else failed(`${ack.code}: ${ack.message}`);
        })
        .catch((error: Error) => measured && failed(`no acknowledgement: ${error.message}`));
    };
    // The class's first submissions are spread over the first second, as in bench:commands.
    const start = setTimeout(
      () => {
        let ticks = 0;
        tick(++ticks);
        const interval = setInterval(() => tick(++ticks), 1000);
        timers.push(interval);
        timers.push(setTimeout(() => clearInterval(interval), options.seconds * 1000 - 1));
      },
      (index * 1000) / options.classSize,
    );
    timers.push(start);
  });
  await new Promise((resolve) => setTimeout(resolve, (options.seconds + options.graceSeconds) * 1000));
  timers.forEach((timer) => clearTimeout(timer));
  const cpu = process.cpuUsage(cpuBefore);
  result.cpuMs = (cpu.user + cpu.system) / 1000;
  result.wallMs = performance.now() - started;
  loopDelay.disable();
  result.loopDelayP99Ms = loopDelay.percentile(99) / 1e6;
  for (const student of students) {
    student.socket.off('command.exit', onExit);
    student.socket.off('command.rejected', onRejected);
  }
  const answered =
    accepted.length + result.refusals + Object.values(result.errors).reduce((a, b) => a + b, 0);
  result.withoutExit += result.submitted - answered;
  for (const { runId, submitted } of accepted) {
    const exit = exits.get(runId);
    if (!exit) {
      result.withoutExit++;
      continue;
    }
    result.completed++;
    result.exitMs.push(exit.at - submitted);
    if (exit.exitCode !== 0) failed(`exit ${exit.exitCode}`);
  }
  return result;
}
