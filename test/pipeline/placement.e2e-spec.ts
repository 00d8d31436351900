import { Redis } from 'ioredis';
import { rendezvousPick } from '../../src/placement/placement';
import type { WorkerEntry } from '../../src/placement/worker-directory.repository';
import {
  EnrolledStudent,
  enrolledStudent,
  explainingFailure,
  PlatformProcess,
  startPlatform,
  TestPlatform,
} from '../support/platform';

/**
 * Sessions placed on worker processes (issue 21): three workers, each session's commands on its own worker in
 * order; a worker killed mid-command hands its sessions over with their clusters; a worker that joins takes only
 * sessions that went idle.
 */
describe('placement of sessions on worker processes', () => {
  let platform: TestPlatform;
  let redis: Redis;
  let students: EnrolledStudent[] = [];

  const workersKey = () => `${platform.env.REDIS_PREFIX}:workers`;
  const placementOf = async (labSessionId: string) =>
    redis.get(`${platform.env.REDIS_PREFIX}:placement:${labSessionId}`);

  async function liveWorkers(): Promise<WorkerEntry[]> {
    const all = Object.values(await redis.hgetall(workersKey())).map((raw) => JSON.parse(raw) as WorkerEntry);
    return all.filter((entry) => Date.now() - entry.at < 10_000);
  }

  async function waitForWorkers(count: number, timeoutMs = 240_000): Promise<WorkerEntry[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = await liveWorkers();
      if (live.length === count) return live;
      if (Date.now() > deadline) throw new Error(`expected ${count} live workers, saw ${live.length}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function workerIdOf(process: PlatformProcess): Promise<string> {
    const entry = (await liveWorkers()).find((worker) => worker.pid === process.child?.pid);
    if (!entry) throw new Error(`worker process ${process.child?.pid} is not in the directory`);
    return entry.workerId;
  }

  async function run(student: EnrolledStudent, command: string, timeoutMs = 60_000) {
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.labSessionId,
      command,
    });
    if (!ack.ok) throw new Error(`${command}: ${ack.message}`);
    return {
      runId: ack.data.runId,
      exit: () => explainingFailure(platform, student.log.exitOf(ack.data.runId, timeoutMs)),
    };
  }

  beforeAll(async () => {
    platform = await startPlatform(
      {
        PLACEMENT_IDLE_SECONDS: '8',
        // Admission by load is its own suite's subject; a loaded test machine must not refuse these commands.
        ADMISSION_MAX_WAITING: '0',
        ADMISSION_MAX_WAIT_MS: '0',
      },
      { workers: 3 },
    );
    redis = new Redis(platform.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await waitForWorkers(3);
    // 50 students, enrolled ten at a time (each registers, starts its lab and joins over the websocket).
    for (let batch = 0; batch < 5; batch++) {
      students.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            enrolledStudent(platform, `placed-${batch * 10 + i}-${Date.now()}@example.com`),
          ),
        )),
      );
    }
  }, 600_000);

  afterAll(async () => {
    for (const student of students) student.socket.close();
    students = [];
    redis?.disconnect();
    await platform?.stop();
  }, 60_000);

  it('runs each of 50 sessions’ commands in order on the session’s own worker, spread over the three', async () => {
    const lines = ['echo one', 'echo two', 'echo three'];
    await Promise.all(
      students.map(async (student) => {
        const runs = [];
        // Submitted back to back, without waiting: the order is the mailbox's.
        for (const line of lines) runs.push(await run(student, line));
        const exits = await Promise.all(runs.map((each) => each.exit()));
        expect(exits.map((exit) => exit.exitCode)).toEqual([0, 0, 0]);
        const started = student.log.events
          .filter((event) => event.name === 'command.started')
          .map((event) => event.payload.runId);
        expect(started).toEqual(runs.map((each) => each.runId));
        expect(runs.map((each) => student.log.outputOf(each.runId))).toEqual(['one\n', 'two\n', 'three\n']);
      }),
    );
    const live = (await waitForWorkers(3)).map((worker) => worker.workerId);
    const placed = await Promise.all(students.map((student) => placementOf(student.labSessionId)));
    for (const workerId of placed) expect(live).toContain(workerId);
    expect(new Set(placed)).toEqual(new Set(live));
    // Every worker ran commands from its own queue (BullMQ counts the jobs each queue was given).
    for (const workerId of live) {
      const given = Number(await redis.get(`${platform.env.REDIS_PREFIX}:commands@${workerId}:id`));
      expect(given).toBeGreaterThan(0);
    }
  }, 300_000);

  it('ends the run of a killed worker as interrupted; the session’s next command runs on another worker with its cluster', async () => {
    const student = students[0];
    const created = await run(student, 'kubectl create namespace before-kill');
    expect(await created.exit()).toMatchObject({ exitCode: 0 });
    const victimId = (await placementOf(student.labSessionId)) as string;
    const ids = await Promise.all(platform.workers.map((worker) => workerIdOf(worker)));
    const victim = platform.workers[ids.indexOf(victimId)];

    const watch = await run(student, 'kubectl get pods -w', 150_000);
    await student.log.waitFor(
      (e) => e.name === 'command.started' && e.payload.runId === watch.runId,
      30_000,
      'start',
    );
    await victim.stop('SIGKILL');
    // Housekeeping on a surviving worker ends it once the dead worker's session lock lapses (10 s).
    expect(await watch.exit()).toMatchObject({ exitCode: 137, status: 'interrupted' });

    const after = await run(student, 'kubectl get namespace before-kill -o name', 90_000);
    expect(await after.exit()).toMatchObject({ exitCode: 0 });
    expect(student.log.outputOf(after.runId)).toBe('namespace/before-kill\n');
    const now = await placementOf(student.labSessionId);
    expect(now).not.toBe(victimId);
    expect(ids.filter((id) => id !== victimId)).toContain(now);
  }, 300_000);

  it('moves only idle sessions to a worker that joins', async () => {
    const survivors = (await waitForWorkers(2)).map((worker) => worker.workerId);
    // Placements as they are now (a session of the killed worker was placed afresh by its next command).
    const busy = students.slice(1, 21);
    const idle = students.slice(21);
    const before = new Map(
      await Promise.all(
        students.map(async (student) => {
          await (await run(student, 'echo placed')).exit();
          return [student.labSessionId, await placementOf(student.labSessionId)] as const;
        }),
      ),
    );
    for (const id of before.values()) expect(survivors).toContain(id);

    // The busy sessions keep typing (a command each second) while the new worker starts and the idle window passes.
    let typing = true;
    const typists = busy.map(async (student) => {
      while (typing) {
        await (await run(student, 'echo busy')).exit();
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    });
    const newcomer = platform.addWorker();
    const live = await waitForWorkers(3);
    const newcomerId = live.find((worker) => worker.pid === newcomer.child?.pid)?.workerId as string;
    expect(newcomerId).toBeDefined();
    // Past the idle window (8 s) from the idle sessions' last command.
    await new Promise((resolve) => setTimeout(resolve, 9000));
    typing = false;
    await Promise.all(typists);

    for (const student of idle) await (await run(student, 'echo back')).exit();
    const after = new Map(
      await Promise.all(
        students.map(
          async (student) => [student.labSessionId, await placementOf(student.labSessionId)] as const,
        ),
      ),
    );
    for (const student of busy)
      expect(after.get(student.labSessionId)).toBe(before.get(student.labSessionId));
    const everyone = [...survivors, newcomerId];
    let movedToNewcomer = 0;
    for (const student of idle) {
      const now = after.get(student.labSessionId);
      // An idle session is placed afresh: where rendezvous puts it over the three live workers.
      expect(now).toBe(rendezvousPick(student.labSessionId, everyone));
      if (now !== before.get(student.labSessionId)) {
        expect(now).toBe(newcomerId);
        movedToNewcomer++;
      }
    }
    expect(movedToNewcomer).toBeGreaterThan(0);
    // Some busy sessions would have preferred the newcomer, and stayed all the same.
    expect(busy.some((student) => rendezvousPick(student.labSessionId, everyone) === newcomerId)).toBe(true);
  }, 400_000);
});
