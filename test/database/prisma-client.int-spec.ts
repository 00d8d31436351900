import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Prisma, type PrismaClient } from '../../src/infra/database/generated/client';
import { migrate } from '../../src/infra/database/migrate';
import { createPrismaClient } from '../../src/infra/database/prisma-client.factory';
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
