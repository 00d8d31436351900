import request from 'supertest';
import { JobName } from '../../src/jobs/job.types';
import { AdmissionService } from '../../src/placement/admission.service';
import { JobRepository } from '../../src/repositories/job.repository';
import {
  DEMO_ADMIN,
  DEMO_INSTRUCTOR,
  DEMO_PASSWORD,
  DEMO_STUDENTS,
  SeedService,
} from '../../src/services/seed.service';
import { startTestApi, TestApi } from '../support/api';

/** GET /api/platform/load: the dashboard's view of the platform's load (issue 21), for instructors and admins. */
describe('platform load over HTTP', () => {
  let api: TestApi;

  async function login(email: string) {
    const agent = request.agent(api.server);
    await agent.post('/api/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200);
    return agent;
  }

  beforeAll(async () => {
    // No worker runs beside this API: what is queued stays waiting.
    api = await startTestApi({ LOGIN_MAX_ATTEMPTS_PER_IP: '1000', ADMISSION_MAX_WAITING: '2' });
    await api.app.get(SeedService).seedDemo();
  });
  afterAll(() => api.close());

  it('shows each commands queue, marks one beyond its bound, and counts the refusals of the last minute', async () => {
    const jobs = api.app.get(JobRepository);
    for (const session of ['a', 'b', 'c'])
      await jobs.queue({ name: JobName.CommandRun, data: { labSessionId: session, runId: `${session}-1` } });
    const refused = await api.app.get(AdmissionService).check(undefined);
    expect(refused).toMatchObject({ ok: false, reason: '3 sessions wait for a worker (bound 2)' });

    const teacher = await login(DEMO_INSTRUCTOR);
    const load = await teacher.get('/api/platform/load').expect(200);
    expect(load.body).toMatchObject({
      workers: [{ worker: 'shared', waiting: 3, active: 0, overloaded: true }],
      refusalsLastMinute: 1,
      bounds: { maxWaiting: 2, maxWaitMs: 2000 },
    });
    expect(load.body.workers[0].oldestWaitingMs).toBeGreaterThanOrEqual(0);
    await (await login(DEMO_ADMIN)).get('/api/platform/load').expect(200);
  });

  it('is not for students, nor for anyone signed out', async () => {
    const student = await login(DEMO_STUDENTS[0]);
    const refused = await student.get('/api/platform/load').expect(403);
    expect(refused.body.message).toEqual(expect.any(String));
    await request(api.server).get('/api/platform/load').expect(401);
  });
});
