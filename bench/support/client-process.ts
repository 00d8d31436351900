/**
 * A process of simulated students (forked by ClientPool): a thousand socket.io clients in one Node process could
 * themselves be the bottleneck of a benchmark, so the class can be spread over several. Answers the pool's
 * requests over IPC, one at a time.
 */
import { driveClass, DriveOptions, DriveResult } from './class-driver';
import { BenchStudent, enrolStudents, warmUp } from './students';

export type ClientRequest =
  | {
      kind: 'enrol';
      platform: { baseUrl: string; courseId: string; joinCode: string };
      from: number;
      count: number;
      labId: string;
      /** Global index of the first of these students in the class (their ticks' phase). */
      firstIndex: number;
    }
  | { kind: 'drive'; options: Omit<DriveOptions, 'firstIndex'> }
  | { kind: 'close' };

export type ClientReply =
  | { kind: 'enrolled'; students: number }
  | { kind: 'driven'; result: DriveResult }
  | { kind: 'closed' }
  | { kind: 'failed'; message: string };

/** A first grading that has not come by then is not waited for (the step's own figures will show the trouble). */
const WARM_UP_TIMEOUT_MS = 120_000;

/** Students by the global index of their first one, so each group keeps its phase in the class. */
const groups: { firstIndex: number; students: BenchStudent[] }[] = [];

async function handle(request: ClientRequest): Promise<ClientReply> {
  switch (request.kind) {
    case 'enrol': {
      const students = await enrolStudents(request.platform, request.count, request.labId, {
        from: request.from,
      });
      await warmUp(students, undefined, WARM_UP_TIMEOUT_MS);
      groups.push({ firstIndex: request.firstIndex, students });
      return { kind: 'enrolled', students: groups.reduce((sum, group) => sum + group.students.length, 0) };
    }
    case 'drive': {
      const results = await Promise.all(
        groups.map((group) =>
          driveClass(group.students, { ...request.options, firstIndex: group.firstIndex }),
        ),
      );
      return { kind: 'driven', result: mergeResults(results) };
    }
    case 'close':
      for (const group of groups) for (const student of group.students) student.socket.close();
      return { kind: 'closed' };
  }
}

/** One result of several drives at once (the CPU and loop figures are the process's, so the largest). */
export function mergeResults(results: DriveResult[]): DriveResult {
  const errors: Record<string, number> = {};
  for (const result of results)
    for (const [kind, count] of Object.entries(result.errors)) errors[kind] = (errors[kind] ?? 0) + count;
  const sum = (pick: (result: DriveResult) => number) =>
    results.reduce((total, result) => total + pick(result), 0);
  const max = (pick: (result: DriveResult) => number) => Math.max(0, ...results.map(pick));
  return {
    exitMs: results.flatMap((result) => result.exitMs),
    submitted: sum((result) => result.submitted),
    completed: sum((result) => result.completed),
    withoutExit: sum((result) => result.withoutExit),
    refusals: sum((result) => result.refusals),
    retryHints: results.flatMap((result) => result.retryHints),
    errors,
    cpuMs: max((result) => result.cpuMs),
    wallMs: max((result) => result.wallMs),
    loopDelayP99Ms: max((result) => result.loopDelayP99Ms),
  };
}

if (require.main === module) {
  process.on('message', (request: ClientRequest) => {
    handle(request)
      .then((reply) => {
        process.send?.(reply);
        if (reply.kind === 'closed') process.disconnect();
      })
      .catch((error: unknown) =>
        process.send?.({
          kind: 'failed',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
      );
  });
}
