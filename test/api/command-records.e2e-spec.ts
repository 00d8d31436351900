/**
 * GET /api/courses/:id/command-records.ndjson over HTTP: the course's instructor gets every run as one JSON
 * line, streamed; a student of the course is refused before anything is sent; a complete download is
 * recorded, which is what retention waits for.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CommandRecordsRepository } from '../../src/repositories/command-records.repository';
import { CommandRunRepository } from '../../src/repositories/command-run.repository';
import { LabSessionRepository } from '../../src/repositories/lab-session.repository';
import { LabCatalogService } from '../../src/services/lab-catalog.service';
import { DEMO_INSTRUCTOR, DEMO_PASSWORD, DEMO_STUDENTS, SeedService } from '../../src/services/seed.service';
import { startTestApi, TestApi } from '../support/api';

describe('command records export over HTTP', () => {
  let api: TestApi;
  let courseId: string;

  async function login(email: string) {
    const agent = request.agent(api.server);
    const me = await agent.post('/api/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200);
    return { agent, id: me.body.id as string };
  }

  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_ATTEMPTS_PER_IP: '1000' });
    courseId = (await api.app.get(SeedService).seedDemo()).courseId;
  });
  afterAll(() => api.close());

  it('streams every run of the course to its instructor, refuses a student, and records the export', async () => {
    const teacher = (await login(DEMO_INSTRUCTOR)).agent;
    const { agent: student, id: studentId } = await login(DEMO_STUDENTS[0]);
    const labId = api.app.get(LabCatalogService).all()[0].id;
    const session = await api.app.get(LabSessionRepository).upsert({ userId: studentId, courseId, labId });
    const runs = api.app.get(CommandRunRepository);
    const outputs = ['node/minikube labeled\n', 'line one\n"quoted"\tand tabbed\n'.repeat(200), ''];
    for (const [index, output] of outputs.entries()) {
      const at = new Date();
      await runs.finish(
        {
          id: randomUUID(),
          labSessionId: session.id,
          userId: studentId,
          seq: index + 1,
          command: `kubectl step ${index + 1}`,
          kind: 'foreground',
          queuedAt: at,
        },
        {
          clusterId: null,
          startedAt: at,
          status: 'completed',
          exitCode: 0,
          output,
          outputBytes: Buffer.byteLength(output),
          truncated: false,
          finishedAt: at,
          durationMs: 1,
        },
      );
    }

    await student.get(`/api/courses/${courseId}/command-records.ndjson`).expect(403);
    expect(await api.app.get(CommandRecordsRepository).lastExport(courseId)).toBeNull();

    const response = await teacher
      .get(`/api/courses/${courseId}/command-records.ndjson`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = (response.body as string).split('\n');
    expect(lines.pop()).toBe('');
    const records = lines.map(
      (line) => JSON.parse(line) as { labSessionId: string; seq: number; output: string },
    );
    expect(records.map((record) => [record.labSessionId, record.seq, record.output])).toEqual(
      outputs.map((output, index) => [session.id, index + 1, output]),
    );
    expect(await api.app.get(CommandRecordsRepository).lastExport(courseId)).toMatchObject({ runs: 3 });
  }, 60_000);
});
