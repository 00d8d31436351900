import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Prisma, type PrismaClient } from '../../src/infra/database/generated/client';
import { migrate } from '../../src/infra/database/migrate';
import { createPrismaClient } from '../../src/infra/database/prisma-client.factory';
import { CommandRunRepository } from '../../src/repositories/command-run.repository';
import { DatabaseRepository } from '../../src/repositories/database.repository';
import { StepResultRepository } from '../../src/repositories/step-result.repository';
import { createTestDatabase } from '../support/database';

interface Backend {
  prisma: PrismaClient;
  close(): Promise<void>;
}

async function openPostgres(): Promise<Backend> {
  const database = await createTestDatabase();
  return { prisma: database.prisma, close: database.drop };
}

async function openPglite(): Promise<Backend> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kubelab-pglite-'));
  const settings = { pgliteDir: path.join(dataDir, 'pglite') };
  await migrate(settings);
  const prisma = await createPrismaClient(settings);
  return {
    prisma,
    async close() {
      await prisma.$disconnect();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function expectPrismaError(operation: Promise<unknown>, code: string): Promise<void> {
  const error = await operation.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
  expect((error as Prisma.PrismaClientKnownRequestError).code).toBe(code);
}

describe.each([
  ['PostgreSQL', openPostgres],
  ['PGlite', openPglite],
])('Prisma client on %s', (_name, open) => {
  let backend: Backend;
  let prisma: PrismaClient;
  beforeAll(async () => {
    backend = await open();
    prisma = backend.prisma;
  }, 60_000);
  afterAll(() => backend.close());

  /** A student working on a lab in a course, the chain most tables hang off. */
  async function seedLabSession(tag: string) {
    const instructor = await prisma.user.create({
      data: {
        email: `teacher-${tag}@example.edu`,
        displayName: 'Teacher',
        passwordHash: 'x',
        role: 'instructor',
      },
    });
    const student = await prisma.user.create({
      data: { email: `student-${tag}@example.edu`, displayName: '学生', passwordHash: 'x' },
    });
    const lab = await prisma.lab.create({
      data: {
        id: `lab-${tag}`,
        title: 'Pods',
        version: 'v1',
        definition: { steps: [{ id: 'run-pod', points: 5 }] },
      },
    });
    const course = await prisma.course.create({
      data: {
        title: 'DevOps',
        joinCode: `JOIN-${tag}`,
        ownerId: instructor.id,
        enrollments: { create: [{ userId: student.id }, { userId: instructor.id, role: 'instructor' }] },
        labs: { create: { labId: lab.id } },
      },
    });
    const session = await prisma.labSession.create({
      data: { userId: student.id, courseId: course.id, labId: lab.id },
    });
    return { instructor, student, lab, course, session };
  }

  it('round-trips every model with defaults, enums, JSON and relations', async () => {
    const { instructor, student, course, session } = await seedLabSession('crud');
    expect(student).toMatchObject({ role: 'student', displayName: '学生' });
    expect(session).toMatchObject({ status: 'active', idleExpiresAt: null });

    const cluster = await prisma.cluster.create({
      data: {
        labSessionId: session.id,
        driver: 'docker',
        attachState: { containerId: 'abc', ports: [6443] },
      },
    });
    expect(cluster).toMatchObject({ status: 'requested', snapshot: null });
    await prisma.commandRun.create({
      data: {
        labSessionId: session.id,
        userId: student.id,
        clusterId: cluster.id,
        seq: 1,
        command: 'kubectl get pods',
      },
    });
    await prisma.commandRun.create({
      data: {
        labSessionId: session.id,
        userId: student.id,
        seq: 2,
        command: 'kubectl delete ns kube-system',
        status: 'timed_out',
        output: 'x'.repeat(70_000),
        outputBytes: 70_000,
        truncated: true,
      },
    });
    await prisma.stepResult.create({
      data: {
        labSessionId: session.id,
        stepId: 'run-pod',
        maxPoints: 5,
        state: 'passed',
        points: 5,
        attempts: 2,
      },
    });
    await prisma.gradingEvent.createMany({
      data: [
        {
          labSessionId: session.id,
          stepId: 'run-pod',
          state: 'failed',
          points: 0,
          detail: { reason: 'no pod' },
        },
        { labSessionId: session.id, stepId: 'run-pod', state: 'passed', points: 5 },
      ],
    });
    await prisma.auditEvent.create({
      data: {
        actorId: instructor.id,
        action: 'course.join_code.rotate',
        targetType: 'course',
        targetId: course.id,
      },
    });

    const loaded = await prisma.labSession.findUniqueOrThrow({
      where: { userId_courseId_labId: { userId: student.id, courseId: course.id, labId: session.labId } },
      include: {
        clusters: true,
        commandRuns: { orderBy: { seq: 'asc' } },
        stepResults: true,
        gradingEvents: { orderBy: { createdAt: 'asc' } },
        course: { include: { enrollments: true, labs: { include: { lab: true } } } },
      },
    });
    expect(loaded.clusters[0].attachState).toEqual({ containerId: 'abc', ports: [6443] });
    expect(loaded.commandRuns.map((run) => [run.seq, run.status, run.clusterId])).toEqual([
      [1, 'queued', cluster.id],
      [2, 'timed_out', null],
    ]);
    expect(loaded.commandRuns[1].output).toHaveLength(70_000);
    expect(loaded.stepResults[0]).toMatchObject({
      state: 'passed',
      points: 5,
      attempts: 2,
      overridePoints: null,
    });
    expect(loaded.gradingEvents.map((event) => event.detail)).toEqual([{ reason: 'no pod' }, null]);
    expect(loaded.course.enrollments).toHaveLength(2);
    expect(loaded.course.labs[0].lab.definition).toEqual({ steps: [{ id: 'run-pod', points: 5 }] });

    const updated = await prisma.cluster.update({
      where: { id: cluster.id },
      data: { status: 'ready', host: 'worker-1', readyAt: new Date('2026-01-02T03:04:05.678Z') },
    });
    expect(updated.readyAt?.toISOString()).toBe('2026-01-02T03:04:05.678Z');
  });

  it('enforces unique keys, lower-case e-mails and restricted owners', async () => {
    const { instructor, student, course, session } = await seedLabSession('constraints');
    const twin = { email: student.email, displayName: 'Twin', passwordHash: 'x' };
    await expectPrismaError(prisma.user.create({ data: twin }), 'P2002');
    const shouting = { email: 'Mixed.Case@Example.edu', displayName: 'Bad', passwordHash: 'x' };
    await expect(prisma.user.create({ data: shouting })).rejects.toThrow(/users_email_lower_case/);
    await expectPrismaError(
      prisma.enrollment.create({ data: { courseId: course.id, userId: student.id } }),
      'P2002',
    );
    const command = { labSessionId: session.id, userId: student.id, seq: 1, command: 'ls' };
    await prisma.commandRun.create({ data: command });
    await expectPrismaError(prisma.commandRun.create({ data: command }), 'P2002');
    // Owning a course keeps an instructor's account from being deleted.
    await expectPrismaError(prisma.user.delete({ where: { id: instructor.id } }), 'P2003');
  });

  it('cascades from a lab session and keeps command history when its cluster goes', async () => {
    const { student, session } = await seedLabSession('cascade');
    const cluster = await prisma.cluster.create({ data: { labSessionId: session.id, driver: 'docker' } });
    const run = await prisma.commandRun.create({
      data: {
        labSessionId: session.id,
        userId: student.id,
        clusterId: cluster.id,
        seq: 1,
        command: 'kubectl get ns',
      },
    });
    await prisma.cluster.delete({ where: { id: cluster.id } });
    expect((await prisma.commandRun.findUniqueOrThrow({ where: { id: run.id } })).clusterId).toBeNull();

    await prisma.stepResult.create({ data: { labSessionId: session.id, stepId: 's1', maxPoints: 1 } });
    await prisma.gradingEvent.create({
      data: { labSessionId: session.id, stepId: 's1', state: 'pending', points: 0 },
    });
    await prisma.labSession.delete({ where: { id: session.id } });
    const remaining = await Promise.all([
      prisma.commandRun.count({ where: { labSessionId: session.id } }),
      prisma.stepResult.count({ where: { labSessionId: session.id } }),
      prisma.gradingEvent.count({ where: { labSessionId: session.id } }),
    ]);
    expect(remaining).toEqual([0, 0, 0]);
  });

  it('runs the plain-SQL hot path: command runs and step results, with passed steps kept', async () => {
    const { student, session } = await seedLabSession('sql');
    const db = new DatabaseRepository(prisma);
    const runs = new CommandRunRepository(db);
    const results = new StepResultRepository(db);

    const base = { labSessionId: session.id, userId: student.id, command: 'kubectl get pods' };
    const refused = await runs.create({ ...base, seq: 1, status: 'rejected', error: 'too long' });
    expect(refused).toMatchObject({ seq: 1, status: 'rejected', error: 'too long', output: '' });
    expect(await runs.create({ ...base, seq: 1, status: 'rejected' })).toBeNull(); // seq taken
    await prisma.commandRun.delete({ where: { id: refused!.id } });
    const cluster = await prisma.cluster.create({
      data: { labSessionId: session.id, driver: 'embedded', attachState: {} },
    });
    const startedAt = new Date();
    const outcome = {
      clusterId: cluster.id,
      startedAt,
      status: 'completed' as const,
      exitCode: 0,
      output: 'No resources found in default namespace.\n',
      outputBytes: 40,
      truncated: false,
      finishedAt: new Date(startedAt.getTime() + 3),
      durationMs: 3,
    };
    // Queued, then finished: the finish completes the record.
    const run = { ...base, kind: 'foreground' as const, id: randomUUID(), seq: 1, queuedAt: new Date() };
    await runs.recordQueued(run);
    expect(await runs.findById(run.id)).toMatchObject({ status: 'queued', finishedAt: null });
    expect(await runs.finish(run, outcome)).toBe(true);
    expect(await runs.finish(run, outcome)).toBe(false); // already ended
    // A worker that finishes before the queued record lands writes it whole; the late insert is a no-op.
    const quick = { ...base, kind: 'foreground' as const, id: randomUUID(), seq: 2, queuedAt: new Date() };
    expect(await runs.finish(quick, outcome)).toBe(true);
    await runs.recordQueued(quick);
    expect(await runs.findById(quick.id)).toMatchObject({
      status: 'completed',
      clusterId: cluster.id,
      startedAt,
      seq: 2,
    });
    expect(await runs.history(session.id, 1)).toHaveLength(1);
    // A run the housekeeping ended stays ended.
    const orphan = { ...base, kind: 'foreground' as const, id: randomUUID(), seq: 3, queuedAt: new Date() };
    await runs.recordQueued(orphan);
    expect(await runs.endIfOpen(orphan.id, 'interrupted', 137, 'worker died')).toBe(true);
    expect(await runs.finish(orphan, outcome)).toBe(false);
    expect(await runs.findById(orphan.id)).toMatchObject({ status: 'interrupted', exitCode: 137 });
    await prisma.commandRun.deleteMany({ where: { id: { in: [quick.id, orphan.id] } } });
    expect(await runs.history(session.id)).toEqual([
      {
        seq: 1,
        command: 'kubectl get pods',
        exitCode: 0,
        output: 'No resources found in default namespace.\n',
        status: 'completed',
        kind: 'foreground',
        // What the run did (namespace, objects written) is recorded by the worker; none for this record.
        effects: null,
      },
    ]);
    expect(await runs.history(session.id, 1)).toEqual([]);

    const at = new Date('2026-11-28T10:00:00.000Z');
    const first = await results.recordEvaluations(session.id, at, [
      { stepId: 'a', passed: true, points: 5, maxPoints: 5, detail: { checks: [] } },
      { stepId: 'b', passed: false, points: 10, maxPoints: 10 },
    ]);
    expect(first.newlyPassed).toEqual(['a']);
    const later = new Date('2026-11-28T10:05:00.000Z');
    const second = await results.recordEvaluations(session.id, later, [
      { stepId: 'a', passed: false, points: 5, maxPoints: 5 },
      { stepId: 'b', passed: false, points: 10, maxPoints: 10 },
    ]);
    expect(second).toMatchObject({ newlyPassed: [], results: [{ stepId: 'b', attempts: 2 }] });
    const stored = new Map((await results.listForSession(session.id)).map((r) => [r.stepId, r]));
    expect(stored.get('a')).toMatchObject({ state: 'passed', points: 5, attempts: 1, firstPassedAt: at });
    expect(stored.get('b')).toMatchObject({ state: 'failed', points: 0, attempts: 2, lastCheckedAt: later });
    // One event per change of state: a passed, b failed; b failing again is no change.
    expect((await results.events(session.id)).map((e) => [e.stepId, e.state])).toEqual(
      expect.arrayContaining([
        ['a', 'passed'],
        ['b', 'failed'],
      ]),
    );
    expect(await results.events(session.id)).toHaveLength(2);
  });

  it('writes the queued records and the ends of one event-loop turn together, each caller with its own outcome', async () => {
    const { session, student } = await seedLabSession('batch');
    const runs = new CommandRunRepository(new DatabaseRepository(prisma));
    const queued = (seq: number, labSessionId = session.id) => ({
      id: randomUUID(),
      labSessionId,
      userId: student.id,
      seq,
      command: `kubectl get pods # ${seq}`,
      kind: 'foreground' as const,
      queuedAt: new Date(),
    });
    // Three in one turn: one statement writes them all.
    const together = [queued(1), queued(2), queued(3)];
    await Promise.all(together.map((run) => runs.recordQueued(run)));
    const stored = await prisma.commandRun.findMany({
      where: { labSessionId: session.id },
      orderBy: { seq: 'asc' },
    });
    expect(stored.map((run) => [run.id, run.seq, run.status, run.kind])).toEqual(
      together.map((run) => [run.id, run.seq, 'queued', 'foreground']),
    );
    // A record of an unknown session fails alone; the others of its turn are written.
    const lost = queued(9, randomUUID());
    const outcomes = await Promise.allSettled(
      [queued(4), lost, queued(5)].map((run) => runs.recordQueued(run)),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await prisma.commandRun.count({ where: { labSessionId: session.id } })).toBe(5);

    // Ends of one turn together: a queued record completed, one written whole, one already ended stays so.
    const ended = { ...queued(4), id: together[1].id, seq: 2 };
    expect(await runs.endIfOpen(ended.id, 'interrupted', 137, 'worker died')).toBe(true);
    const outcome = (output: string) => ({
      clusterId: null,
      startedAt: new Date(),
      status: 'completed' as const,
      exitCode: 0,
      output,
      outputBytes: Buffer.byteLength(output),
      truncated: false,
      finishedAt: new Date(),
      durationMs: 2,
      effects: { namespace: 'default', contextNamespace: '', touched: [] },
    });
    const whole = queued(6);
    const results = await Promise.all([
      runs.finish(together[0], outcome('a "quoted" \\ line\n')),
      runs.finish(ended, outcome('too late')),
      runs.finish(whole, outcome('')),
    ]);
    expect(results).toEqual([true, false, true]);
    expect(await runs.findById(together[0].id)).toMatchObject({
      status: 'completed',
      exitCode: 0,
      output: 'a "quoted" \\ line\n',
      effects: { namespace: 'default', contextNamespace: '', touched: [] },
    });
    expect(await runs.findById(ended.id)).toMatchObject({ status: 'interrupted', exitCode: 137 });
    expect(await runs.findById(whole.id)).toMatchObject({ status: 'completed', seq: 6 });
  });

  it('rolls back an interactive transaction that fails', async () => {
    const { course } = await seedLabSession('transaction');
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.course.update({ where: { id: course.id }, data: { title: 'Renamed' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await prisma.course.findUniqueOrThrow({ where: { id: course.id } })).title).toBe('DevOps');
    const [{ total }] = await prisma.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM courses`;
    expect(Number(total)).toBeGreaterThanOrEqual(1);
  });
});
