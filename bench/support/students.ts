/** Simulated students of the command benchmarks: enrolled over HTTP, then one socket.io client each. */
import { ClientSocket, enrolledStudent, TestPlatform } from '../../test/support/platform';

export interface BenchStudent {
  socket: ClientSocket;
  sessionId: string;
}

export const READ_COMMAND = 'kubectl get pods';

/**
 * Registers `count` students (emails bench<from>… upwards) with the demo course's join code, opens `labId` for each
 * (starting its cluster) and joins its room. Batched: registration hashes a password (scrypt) and starting a
 * cluster is a worker job, so a few dozen at once keep the platform busy without queueing thousands of requests.
 */
export async function enrolStudents(
  platform: Pick<TestPlatform, 'baseUrl' | 'courseId' | 'joinCode'>,
  count: number,
  labId: string,
  options: { from?: number; batch?: number } = {},
): Promise<BenchStudent[]> {
  const from = options.from ?? 0;
  const batch = options.batch ?? 20;
  const students: BenchStudent[] = [];
  for (let start = 0; start < count; start += batch) {
    const created = await Promise.all(
      Array.from({ length: Math.min(batch, count - start) }, async (_, offset) => {
        const student = await enrolledStudent(platform, `bench${from + start + offset}@example.edu`, labId);
        // The bench listens for what it measures; a log of every event would hold a soak's whole output.
        student.log.stop();
        return { socket: student.socket, sessionId: student.labSessionId };
      }),
    );
    students.push(...created);
  }
  return students;
}

/**
 * Runs each student's first command and waits for its grading (every session's first command is graded), so a
 * measurement sees clusters in steady state, not provisioning. Resolves with each first grading's first reason;
 * with `timeoutMs`, a grading that has not come by then resolves as '' (an overloaded platform may drop some).
 */
export function warmUp(
  students: BenchStudent[],
  firstCommand = READ_COMMAND,
  timeoutMs?: number,
): Promise<string[]> {
  return Promise.all(
    students.map(
      (student) =>
        new Promise<string>((resolve) => {
          const timer = timeoutMs === undefined ? undefined : setTimeout(() => resolve(''), timeoutMs);
          student.socket.once('grading.updated', (update) => {
            clearTimeout(timer);
            resolve(update.steps[0]?.reasons?.[0]?.en ?? '');
          });
          void student.socket.emitWithAck('command.submit', {
            labSessionId: student.sessionId,
            command: firstCommand,
          });
        }),
    ),
  );
}
