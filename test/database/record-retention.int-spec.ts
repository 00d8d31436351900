/**
 * Command records over a semester, against the real PostgreSQL (and Redis, which the core module opens):
 * the instructor's export holds every run whole; retention trims nothing before it; after it, an idle
 * session's long outputs keep their opening excerpt and the gradebook and replay answer as before (the
 * replay's long outputs end in the excerpt and its note, everything else is the same).
 */
import { ForbiddenException, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { parseConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { CoreModule } from '../../src/modules/core.module';
import { AuditRepository } from '../../src/repositories/audit.repository';
import { CommandRecordsRepository } from '../../src/repositories/command-records.repository';
import { CommandRunRepository } from '../../src/repositories/command-run.repository';
import { DatabaseRepository } from '../../src/repositories/database.repository';
import type { AuthUser } from '../../src/services/auth.service';
import { CommandRecordsExportService } from '../../src/services/command-records-export.service';
import { CourseService } from '../../src/services/course.service';
import { GradebookService } from '../../src/services/gradebook.service';
import { LabSessionService } from '../../src/services/lab-session.service';
import {
  KEPT_OUTPUT_CHARACTERS,
  RecordRetentionService,
  trimmedOutput,
} from '../../src/services/record-retention.service';
import type { ReplayEvent } from '../../src/shared/http-api';
import { uniquePrefix } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';

const LAB = 'lec7-k8s-basics';
const DAY_MS = 24 * 3600_000;

/** Outputs of realistic sizes: short answers, a describe, a log longer than the kept excerpt, Chinese text. */
const OUTPUTS = [
  'deployment.apps/yanwei.app created\n',
  'NAME                          READY   STATUS    RESTARTS   AGE\n' +
    'yanwei.app-7d9c-x1   1/1   Running   0   5s\n',
  'Name:         yanwei.app-7d9c-x1\n' + 'Labels:       app=yanwei.app\n'.repeat(120),
  '日志 line from the app\n'.repeat(400),
  'x'.repeat(KEPT_OUTPUT_CHARACTERS),
  '',
  'error: the server doesn\'t have a resource type "pdos"\n',
];

async function collect(lines: AsyncIterable<string>): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  for await (const line of lines) {
    expect(line.endsWith('\n')).toBe(true);
    records.push(JSON.parse(line) as Record<string, unknown>);
  }
  return records;
}

describe('command records: export, then retention keeps what the gradebook and replay need (PostgreSQL)', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let teacher: AuthUser;
  let student: AuthUser;
  let courseId = '';
  let oldSessionId = '';
  let recentSessionId = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = parseConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '4',
      REDIS_PREFIX: uniquePrefix(),
      RECORDS_RETENTION_DAYS: '150',
    });
    @Module({
      imports: [ConfigModule.forRoot(config), CoreModule],
      providers: [
        CourseService,
        LabSessionService,
        GradebookService,
        CommandRecordsExportService,
        RecordRetentionService,
      ],
    })
    class RetentionTestModule {}
    app = await NestFactory.createApplicationContext(RetentionTestModule, { logger: false });
    await app.init();

    const prisma = app.get(DatabaseRepository).client;
    const user = async (email: string, role: 'student' | 'instructor') => {
      const row = await prisma.user.create({ data: { email, displayName: email, passwordHash: 'x', role } });
      return { id: row.id, email: row.email, displayName: row.displayName, role: row.role };
    };
    teacher = await user('teacher@retention.test', 'instructor');
    student = await user('student@retention.test', 'student');
    const other = await user('other@retention.test', 'student');
    const course = await prisma.course.create({
      data: { title: 'Retention', joinCode: 'RETAIN01', ownerId: teacher.id },
    });
    courseId = course.id;
    await prisma.enrollment.createMany({
      data: [
        { courseId, userId: teacher.id, role: 'instructor' },
        { courseId, userId: student.id },
        { courseId, userId: other.id },
      ],
    });
    await prisma.courseLab.create({ data: { courseId, labId: LAB } });

    // A session from last semester (idle 200 days), and one in use now.
    const longAgo = new Date(Date.now() - 200 * DAY_MS);
    const oldSession = await prisma.labSession.create({
      data: { userId: student.id, courseId, labId: LAB, startedAt: longAgo, lastActivityAt: longAgo },
    });
    const recentSession = await prisma.labSession.create({
      data: { userId: other.id, courseId, labId: LAB },
    });
    oldSessionId = oldSession.id;
    recentSessionId = recentSession.id;

    // Runs recorded as the worker records them, ended long ago for the old session, just now for the other.
    const runs = app.get(CommandRunRepository);
    const record = async (labSessionId: string, userId: string, seq: number, output: string, at: Date) => {
      const identity = {
        id: randomUUID(),
        labSessionId,
        userId,
        seq,
        command: `kubectl step ${seq}`,
        kind: 'foreground' as const,
        queuedAt: at,
      };
      await runs.finish(identity, {
        clusterId: null,
        startedAt: at,
        status: 'completed',
        exitCode: output.startsWith('error') ? 1 : 0,
        output,
        outputBytes: Buffer.byteLength(output),
        truncated: false,
        finishedAt: new Date(at.getTime() + 120),
        durationMs: 120,
        homeVersion: seq % 3 === 0 ? seq : null,
      });
    };
    for (let seq = 1; seq <= 600; seq++) {
      const at = new Date(longAgo.getTime() - (600 - seq) * 60_000);
      await record(oldSessionId, student.id, seq, OUTPUTS[seq % OUTPUTS.length], at);
    }
    for (let seq = 1; seq <= 3; seq++) await record(recentSessionId, other.id, seq, OUTPUTS[3], new Date());
    // A run still queued: no output yet, never trimmed.
    await runs.recordQueued({
      id: randomUUID(),
      labSessionId: oldSessionId,
      userId: student.id,
      seq: 601,
      command: 'kubectl get pods -w',
      kind: 'foreground',
      queuedAt: longAgo,
    });

    // Grading state and an override, as grading and the gradebook write them.
    await prisma.stepResult.createMany({
      data: [
        {
          labSessionId: oldSessionId,
          stepId: 'inspect-cluster',
          state: 'passed',
          attempts: 2,
          points: 10,
          maxPoints: 10,
          firstPassedAt: longAgo,
          lastCheckedAt: longAgo,
        },
        {
          labSessionId: oldSessionId,
          stepId: 'create-deployment',
          state: 'failed',
          attempts: 1,
          points: 0,
          maxPoints: 15,
          lastCheckedAt: longAgo,
          overridePoints: 5,
          overrideComment: 'partly right',
          overriddenById: teacher.id,
          overriddenAt: longAgo,
        },
      ],
    });
    await prisma.gradingEvent.createMany({
      data: [
        {
          labSessionId: oldSessionId,
          stepId: 'inspect-cluster',
          state: 'failed',
          points: 0,
          createdAt: longAgo,
        },
        {
          labSessionId: oldSessionId,
          stepId: 'inspect-cluster',
          state: 'passed',
          points: 10,
          createdAt: longAgo,
        },
      ],
    });
    await app.get(AuditRepository).record({
      actorId: teacher.id,
      action: 'grade.override',
      targetType: 'lab_session',
      targetId: oldSessionId,
      data: { stepId: 'create-deployment', points: 5, comment: 'partly right', by: teacher.email },
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('exports every run to the instructor only, trims only after that, and keeps the gradebook and replay', async () => {
    const gradebook = app.get(GradebookService);
    const retention = app.get(RecordRetentionService);
    const exports = app.get(CommandRecordsExportService);
    const bookBefore = await gradebook.gradebook(teacher, courseId, LAB);
    const replayBefore = await gradebook.replay(teacher, oldSessionId);

    // No export yet: nothing is trimmed.
    expect(await retention.drain()).toBe(0);
    expect(await gradebook.replay(teacher, oldSessionId)).toEqual(replayBefore);

    // Only an instructor of the course may export.
    await expect(exports.open(student, courseId)).rejects.toBeInstanceOf(ForbiddenException);

    const exported = await collect(await exports.open(teacher, courseId));
    const oldRuns = exported.filter((run) => run.labSessionId === oldSessionId);
    expect(oldRuns.map((run) => run.seq)).toEqual(Array.from({ length: 601 }, (_, index) => index + 1));
    expect(exported.filter((run) => run.labSessionId === recentSessionId)).toHaveLength(3);
    expect(exported).toHaveLength(604);
    const commandsBefore = replayBefore.events.filter((event) => event.type === 'command');
    expect(oldRuns.map((run) => [run.seq, run.command, run.output, run.exitCode, run.status])).toEqual(
      commandsBefore.map((event) => [event.seq, event.command, event.output, event.exitCode, event.status]),
    );
    expect(oldRuns[0]).toMatchObject({
      courseId,
      labId: LAB,
      student: { id: student.id, email: student.email, displayName: student.displayName },
      kind: 'foreground',
      outputTrimmedAt: null,
    });

    const longOutputs = commandsBefore.filter((event) => event.output.length > KEPT_OUTPUT_CHARACTERS);
    expect(longOutputs.length).toBeGreaterThan(100);
    expect(await retention.drain()).toBe(longOutputs.length);
    // Done once: a second pass finds nothing due.
    expect(await retention.drain()).toBe(0);

    expect(await gradebook.gradebook(teacher, courseId, LAB)).toEqual(bookBefore);
    const replayAfter = await gradebook.replay(teacher, oldSessionId);
    const expected = replayBefore.events.map((event): ReplayEvent =>
      event.type === 'command' ? { ...event, output: trimmedOutput(event.output) } : event,
    );
    expect(replayAfter).toEqual({ ...replayBefore, events: expected });
    const sample = replayAfter.events.find((event) => event.type === 'command' && event.seq === 3);
    expect(sample).toMatchObject({
      output: expect.stringMatching(/\[retention: output trimmed to its first 1024 of \d+ characters/),
    });

    // The session in use keeps its outputs whole; a new export says which runs were trimmed.
    const again = await collect(await exports.open(teacher, courseId));
    expect(again.filter((run) => run.labSessionId === recentSessionId).map((run) => run.output)).toEqual([
      OUTPUTS[3],
      OUTPUTS[3],
      OUTPUTS[3],
    ]);
    expect(again.filter((run) => run.outputTrimmedAt !== null)).toHaveLength(longOutputs.length);
  }, 120_000);

  it('trims a course never exported only when RECORDS_TRIM_WITHOUT_EXPORT says so', async () => {
    const prisma = app.get(DatabaseRepository).client;
    const course = await prisma.course.create({
      data: { title: 'Never exported', joinCode: 'RETAIN02', ownerId: teacher.id },
    });
    const longAgo = new Date(Date.now() - 200 * DAY_MS);
    const session = await prisma.labSession.create({
      data: {
        userId: student.id,
        courseId: course.id,
        labId: LAB,
        startedAt: longAgo,
        lastActivityAt: longAgo,
      },
    });
    const log = OUTPUTS[3];
    await app.get(CommandRunRepository).finish(
      {
        id: randomUUID(),
        labSessionId: session.id,
        userId: student.id,
        seq: 1,
        command: 'kubectl logs deploy/yanwei.app',
        kind: 'foreground',
        queuedAt: longAgo,
      },
      {
        clusterId: null,
        startedAt: longAgo,
        status: 'completed',
        exitCode: 0,
        output: log,
        outputBytes: Buffer.byteLength(log),
        truncated: false,
        finishedAt: longAgo,
        durationMs: 5,
      },
    );
    const outputOf = async () =>
      (await prisma.commandRun.findFirstOrThrow({ where: { labSessionId: session.id } })).output;

    expect(await app.get(RecordRetentionService).drain()).toBe(0);
    expect(await outputOf()).toBe(log);

    const overriding = new RecordRetentionService(
      parseConfig({ RECORDS_RETENTION_DAYS: '150', RECORDS_TRIM_WITHOUT_EXPORT: 'true' }),
      app.get(CommandRecordsRepository),
    );
    expect(await overriding.drain()).toBe(1);
    expect(await outputOf()).toBe(trimmedOutput(log));
  }, 60_000);
});
