import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { GradingUpdate } from '../../src/shared/events';
import { ClientSocket, enrolledStudent, EventLog, startPlatform, TestPlatform } from '../support/platform';

/**
 * Grading after commands is skipped when it could not change anything: same cluster state as the last
 * grading and no unmet history check the command concerns. BullMQ numbers the grading queue's jobs, so
 * the counter shows which commands were graded once the queue has settled. The session's gradings go to its
 * worker's own queue (`grading@<workerId>`, src/placement); the platform has one worker.
 */
describe('which commands are graded (separate API and worker)', () => {
  let platform: TestPlatform;
  let student: { socket: ClientSocket; log: EventLog; labSessionId: string };
  let redis: Redis;
  let gradingQueue: Queue;
  let gradingQueueName: string;

  const gradingJobs = async () =>
    Number((await redis.get(`${platform.env.REDIS_PREFIX}:${gradingQueueName}:id`)) ?? 0);
  /**
   * No grading waiting or running, and none queued for a second: every update the commands so far
   * cause has been pushed. (A command's grading decision comes just after its exit, hence the second.)
   */
  async function gradingSettled(): Promise<void> {
    let idleSince: { at: number; jobs: number } | undefined;
    for (let i = 0; i < 300; i++) {
      const counts = await gradingQueue.getJobCounts('active', 'waiting', 'prioritized', 'delayed');
      const jobs = await gradingJobs();
      if (!Object.values(counts).every((count) => count === 0)) idleSince = undefined;
      else if (!idleSince || idleSince.jobs !== jobs) idleSince = { at: Date.now(), jobs };
      else if (Date.now() - idleSince.at >= 1000) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the grading queue did not settle within 30 s');
  }

  const updates = () =>
    student.log.events
      .filter((event) => event.name === 'grading.updated')
      .map((event) => event.payload as unknown as GradingUpdate);

  async function run(command: string): Promise<void> {
    const ack = await student.socket.emitWithAck('command.submit', {
      labSessionId: student.labSessionId,
      command,
    });
    if (!ack.ok) throw new Error(`${command}: ${ack.message}`);
    expect((await student.log.exitOf(ack.data.runId, 30_000)).exitCode).toBe(0);
  }

  const reasonsOf = (update: GradingUpdate, stepId: string) =>
    (update.steps.find((step) => step.stepId === stepId)?.reasons ?? []).map((reason) => reason.en).join(' ');

  async function updateWhere(
    what: string,
    match: (update: GradingUpdate) => boolean,
  ): Promise<GradingUpdate> {
    await student.log.waitFor(
      (event) => event.name === 'grading.updated' && match(event.payload as unknown as GradingUpdate),
      30_000,
      what,
    );
    return updates().find(match) as GradingUpdate;
  }

  /** The id the platform's one worker registered under (the worker directory, a Redis hash). */
  async function onlyWorker(): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const ids = await redis.hkeys(`${platform.env.REDIS_PREFIX}:workers`);
      if (ids.length === 1) return ids[0];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the worker did not register in the worker directory');
  }

  beforeAll(async () => {
    platform = await startPlatform();
    student = await enrolledStudent(platform, 'skip@example.edu');
    redis = new Redis(platform.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    gradingQueueName = `grading@${await onlyWorker()}`;
    gradingQueue = new Queue(gradingQueueName, { connection: redis, prefix: platform.env.REDIS_PREFIX });
  }, 60_000);

  afterAll(async () => {
    await gradingQueue?.close();
    redis?.disconnect();
    student?.socket.close();
    await platform?.stop();
  }, 30_000);

  it('grades a command only when it changes the cluster or concerns an unmet history check', async () => {
    // Listing nodes meets a history check of the first step; listing pods is the near miss of a check of
    // the failed-upgrade step (which wants the listing to show a failed image pull).
    await run('kubectl get nodes');
    await run('kubectl get pods');
    await updateWhere(
      'the update that saw both commands',
      (update) =>
        !/kubectl get nodes/.test(reasonsOf(update, 'inspect-cluster')) &&
        /The closest one, `kubectl get pods`/.test(reasonsOf(update, 'failed-upgrade')),
    );

    await gradingSettled();
    // The same reads again change no check, not even a reason, nor the cluster: nothing queued or pushed.
    const jobsBefore = await gradingJobs();
    const updatesBefore = updates().length;
    await run('kubectl get pods');
    await run('kubectl get services');
    await run('kubectl get nodes');
    await gradingSettled();
    expect(await gradingJobs()).toBe(jobsBefore);
    expect(updates()).toHaveLength(updatesBefore);

    // `kubectl version` is what an unmet check of the first step waits for: graded, and its reason goes.
    await run('kubectl version');
    await updateWhere(
      'the update after kubectl version',
      (update) =>
        /kubectl cluster-info/.test(reasonsOf(update, 'inspect-cluster')) &&
        !/kubectl version/.test(reasonsOf(update, 'inspect-cluster')),
    );
    await gradingSettled();
    expect(await gradingJobs()).toBe(jobsBefore + 1);

    // A command that changes the cluster is graded.
    await run('kubectl label nodes minikube disktype=ssd');
    await updateWhere('the update that passes label-node', (update) =>
      update.newlyPassed.includes('label-node'),
    );
    await gradingSettled();
    expect(await gradingJobs()).toBe(jobsBefore + 2);
  }, 120_000);
});
