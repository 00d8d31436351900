/**
 * The student's own kubectl in the history and the grading, against the real PostgreSQL and Redis: requests that
 * real kubectl 1.30 sent (src/kube-api/invocation-fixtures.json) are reported to the InvocationHistoryService as the
 * listener reports them; the lines land in command_runs marked as the student's own, are announced to the session's
 * room, and the grading queued after them (a real BullMQ worker runs it) passes lec7's first step, which only asks
 * for commands: `kubectl version`, `cluster-info`, `get nodes` and `get pods -n kube-system`.
 */
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Redis } from 'ioredis';
import { parseConfig, type AppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { CLUSTER_DRIVER } from '../../src/clusters/cluster-driver.provider';
import type { ClusterDriver } from '../../src/clusters/cluster-driver';
import { toHistoryEntry } from '../../src/commands/terminal.service';
import { RedisConnections } from '../../src/infra/redis/redis-connections';
import { JobName, QueueName, type JobHandlers } from '../../src/jobs/job.types';
import type { CaptureFile } from '../../src/kube-api/invocation-capture';
import { InvocationHistoryService } from '../../src/kube-api/invocation-history.service';
import { summarizeRequestBody } from '../../src/kube-api/invocations';
import { CoreModule } from '../../src/modules/core.module';
import { ClusterRepository } from '../../src/repositories/cluster.repository';
import { CommandRunRepository } from '../../src/repositories/command-run.repository';
import { DatabaseRepository } from '../../src/repositories/database.repository';
import { workerEventsChannel } from '../../src/repositories/event.repository';
import { JobRepository } from '../../src/repositories/job.repository';
import { RedisRepository } from '../../src/repositories/redis.repository';
import { GradingService } from '../../src/services/grading.service';
import { uniquePrefix } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';

const capture = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../src/kube-api/invocation-fixtures.json'), 'utf8'),
) as CaptureFile;

/** The captured requests of one kubectl 1.30 line, as the listener reports them, moved to start at `start`. */
function requestsOf(line: string, start: number) {
  const captured = capture.lines.find(
    (candidate) => candidate.client === 'kubectl.1.30' && candidate.line === line,
  );
  if (!captured) throw new Error(`no captured line ${line}: run src/kube-api/invocation-capture.ts`);
  // Each use is a new invocation, as a new kubectl process would be: it gets a Kubectl-Session of its own.
  const session = randomUUID();
  return captured.requests.map(({ body, contentType, ...request }) => ({
    ...request,
    ...(request.kubectlSession !== undefined ? { kubectlSession: session } : {}),
    at: start + request.at,
    ...(request.mutating && body !== undefined ? { summary: summarizeRequestBody(body, contentType) } : {}),
  }));
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('own kubectl lines: history row and grading (PostgreSQL, Redis)', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let app: INestApplicationContext;
  let history: InvocationHistoryService;
  let runs: CommandRunRepository;
  let subscriber: Redis;
  const published: unknown[][] = [];
  let labSessionId = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    config = parseConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      DATABASE_URL: database.url,
      REDIS_PREFIX: uniquePrefix(),
      DATABASE_POOL_SIZE: '4',
    });
    @Module({ imports: [ConfigModule.forRoot(config), CoreModule], providers: [InvocationHistoryService] })
    class HistoryTestModule {}
    app = await NestFactory.createApplicationContext(HistoryTestModule, { logger: false });
    await app.init();
    history = app.get(InvocationHistoryService);
    runs = app.get(CommandRunRepository);
    // A worker that grades, as the platform's worker process does.
    const grading = app.get(GradingService);
    const handlers = {
      [JobName.GradingRun]: (data: { labSessionId: string }) => grading.gradeCoalesced(data.labSessionId),
    } as unknown as JobHandlers;
    app.get(JobRepository).startWorkers(handlers, {
      [QueueName.Commands]: 1,
      [QueueName.Clusters]: 1,
      [QueueName.Grading]: 1,
      [QueueName.Authoring]: 1,
    });
    // What a process without a socket.io server emits travels on the worker events channel.
    subscriber = app.get(RedisConnections).open('subscriber', 'history spec events');
    subscriber.on('message', (_channel: string, message: string) =>
      published.push(...(JSON.parse(message) as unknown[][])),
    );
    await subscriber.subscribe(workerEventsChannel(config));

    const prisma = app.get(DatabaseRepository).client;
    const teacher = await prisma.user.create({
      data: { email: 'teacher@own.test', displayName: 'Teacher', passwordHash: 'x', role: 'instructor' },
    });
    const student = await prisma.user.create({
      data: { email: 'student@own.test', displayName: 'Student', passwordHash: 'x' },
    });
    const course = await prisma.course.create({
      data: { title: 'Own kubectl', joinCode: 'OWNKUBE1', ownerId: teacher.id },
    });
    await prisma.enrollment.create({ data: { courseId: course.id, userId: student.id } });
    const session = await prisma.labSession.create({
      data: { userId: student.id, courseId: course.id, labId: 'lec7-k8s-basics' },
    });
    labSessionId = session.id;
    // Grading reads the session's ready cluster: provisioned by the embedded driver, as the worker does.
    const clusters = app.get(ClusterRepository);
    const cluster = await clusters.create({ labSessionId, driver: 'embedded' });
    const driver = app.get<ClusterDriver>(CLUSTER_DRIVER);
    const ref = await driver.provision(
      { clusterId: cluster.id, labSessionId, ownerId: student.id, nodeCount: 1 },
      () => undefined,
    );
    await clusters.transition(cluster.id, ['requested'], 'ready', {
      attachState: ref.attachState,
      readyAt: new Date(),
    });
  }, 120_000);

  afterAll(async () => {
    await subscriber?.quit().catch(() => undefined);
    await app?.close();
    await database?.drop();
  });

  it('records each invocation as a history line from the student’s own kubectl, and grades after it', async () => {
    const lines = [
      'kubectl version',
      'kubectl cluster-info',
      'kubectl get nodes',
      'kubectl get pods -n kube-system',
    ];
    let start = Date.now();
    for (const line of lines) {
      for (const request of requestsOf(line, start)) history.observe(labSessionId, request);
      start += 3_000;
    }
    // Every invocation but the last was ended by the next one's first request; the last one by its quiet gap.
    await history.flush(start + 60_000);

    const rows = await runs.history(labSessionId);
    expect(rows.map((row) => row.command)).toEqual(lines);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'completed', exitCode: 0, output: '', kind: 'foreground' });
      expect(row.effects?.origin).toMatchObject({ client: 'kubectl' });
    }
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 4]);
    expect(rows[3].effects).toMatchObject({ namespace: 'kube-system', touched: [] });

    // A reloaded terminal and the instructor's replay see which lines came from the student's own kubectl.
    const recent = await runs.recent(labSessionId, 10);
    expect(recent.map((run) => toHistoryEntry(run).ownClient)).toEqual([
      'kubectl',
      'kubectl',
      'kubectl',
      'kubectl',
    ]);
    const accepted = await eventually(
      async () => published.filter((event) => event[1] === 'command.accepted'),
      (events) => events.length >= 4,
      'command.accepted events',
    );
    expect(accepted.map((event) => event[2])).toEqual(
      lines.map((command, index) =>
        expect.objectContaining({ labSessionId, command, seq: index + 1, ownClient: 'kubectl' }),
      ),
    );

    const prisma = app.get(DatabaseRepository).client;
    const result = await eventually(
      () =>
        prisma.stepResult.findUnique({
          where: { labSessionId_stepId: { labSessionId, stepId: 'inspect-cluster' } },
        }),
      (found) => found?.state === 'passed',
      'step inspect-cluster to pass',
    );
    expect(result).toMatchObject({ state: 'passed', points: 10 });
  }, 120_000);

  it('records a write with the objects it created, numbered after the session’s earlier lines', async () => {
    const before = await runs.maxSeq(labSessionId);
    const start = Date.now();
    for (const request of requestsOf(
      'kubectl create deployment web --image=nginx:1.27 --replicas=2 -n k130',
      start,
    ))
      history.observe(labSessionId, request);
    await history.flush(start + 60_000);
    const [row] = await runs.history(labSessionId, before);
    expect(row).toMatchObject({
      seq: before + 1,
      command: 'kubectl create deployment web --image=nginx:1.27 --replicas=2 -n k130',
      exitCode: 0,
    });
    expect(row.effects).toMatchObject({
      namespace: 'k130',
      touched: [{ kind: 'Deployment', namespace: 'k130', name: 'web', change: 'created' }],
      origin: { client: 'kubectl', requests: 1 },
    });
  }, 60_000);

  it('keeps a watch in its line while it streams, when the listener reports requests as they arrive', async () => {
    const before = await runs.maxSeq(labSessionId);
    const start = Date.now();
    const [list, watch] = requestsOf('kubectl get pods -w -n k130', start);
    history.started(labSessionId, list);
    history.observe(labSessionId, list);
    history.started(labSessionId, watch);
    // The student watches for a minute: the line is not recorded while the watch is open…
    await history.flush(start + 60_000);
    expect(await runs.history(labSessionId, before)).toEqual([]);
    // …and once it ends (the listener reports a stream when it closes), it is, with its -w.
    history.observe(labSessionId, watch);
    await history.flush(start + 62_000);
    const rows = await runs.history(labSessionId, before);
    expect(rows.map((row) => row.command)).toEqual(['kubectl get pods -w -n k130']);
  }, 60_000);

  it('numbers past the database’s last line when Redis lost the session’s counter', async () => {
    const before = await runs.maxSeq(labSessionId);
    await app.get(RedisRepository).client.del(`${config.redisPrefix}:seq:${labSessionId}`);
    const start = Date.now();
    for (const request of requestsOf('kubectl version', start)) history.observe(labSessionId, request);
    await history.flush(start + 60_000);
    const rows = await runs.history(labSessionId, before);
    expect(rows).toEqual([expect.objectContaining({ seq: before + 1, command: 'kubectl version' })]);
  }, 60_000);
});
