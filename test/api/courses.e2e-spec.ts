import request from 'supertest';
import {
  DEMO_ADMIN,
  DEMO_COURSE_TITLE,
  DEMO_INSTRUCTOR,
  DEMO_PASSWORD,
  SeedService,
} from '../../src/services/seed.service';
import { startTestApi, TestApi } from '../support/api';

describe('courses over HTTP', () => {
  let api: TestApi;
  let demoCourseId: string;

  async function login(email: string, password = DEMO_PASSWORD) {
    const agent = request.agent(api.server);
    await agent.post('/api/auth/login').send({ email, password }).expect(200);
    return agent;
  }

  async function registerStudent(email: string, joinCode?: string) {
    const agent = request.agent(api.server);
    const response = await agent
      .post('/api/auth/register')
      .send({ email, password: 'student-pass', displayName: email.split('@')[0], joinCode });
    return { agent, response };
  }

  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_ATTEMPTS_PER_IP: '1000' });
    demoCourseId = (await api.app.get(SeedService).seedDemo()).courseId;
    const admin = await login(DEMO_ADMIN);
    await admin
      .post('/api/users')
      .send({
        email: 'other@kubelab.local',
        password: DEMO_PASSWORD,
        displayName: 'Other',
        role: 'instructor',
      })
      .expect(201);
  });
  afterAll(() => api.close());

  it('seeds the demo course with the teacher and five students', async () => {
    const teacher = await login(DEMO_INSTRUCTOR);
    const courses = await teacher.get('/api/courses').expect(200);
    expect(courses.body).toEqual([expect.objectContaining({ title: DEMO_COURSE_TITLE, role: 'instructor' })]);
    const students = await teacher.get(`/api/courses/${demoCourseId}/students`).expect(200);
    expect(students.body.map((s: { email: string }) => s.email)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `student${n}@kubelab.local`),
    );
  });

  it('lets an instructor create a course and students join it with the code', async () => {
    const teacher = await login(DEMO_INSTRUCTOR);
    const created = await teacher.post('/api/courses').send({ title: 'Kubernetes 101' }).expect(201);
    expect(created.body.joinCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);

    const { agent: student } = await registerStudent('joiner@example.edu');
    const joined = await student
      .post('/api/courses/join')
      .send({ joinCode: created.body.joinCode.toLowerCase() })
      .expect(200);
    expect(joined.body).toMatchObject({ id: created.body.id, role: 'student' });
    expect(joined.body.joinCode).toBeUndefined();

    const roster = await teacher.get(`/api/courses/${created.body.id}/students`).expect(200);
    expect(roster.body).toEqual([expect.objectContaining({ email: 'joiner@example.edu' })]);
  });

  it('enrols at registration when a join code is given, and rejects an unknown code without creating the account', async () => {
    const teacher = await login(DEMO_INSTRUCTOR);
    const course = await teacher.post('/api/courses').send({ title: 'With code' }).expect(201);
    const { agent, response } = await registerStudent('withcode@example.edu', course.body.joinCode);
    expect(response.status).toBe(201);
    const mine = await agent.get('/api/courses').expect(200);
    expect(mine.body.map((c: { id: string }) => c.id)).toEqual([course.body.id]);

    const bad = await registerStudent('badcode@example.edu', 'ZZZZZZZZ');
    expect(bad.response.status).toBe(404);
    expect(bad.response.body.message).toMatch(/No course has this join code/);
    await request(api.server)
      .post('/api/auth/login')
      .send({ email: 'badcode@example.edu', password: 'student-pass' })
      .expect(401);
  });

  it('rotating the join code retires the old one', async () => {
    const teacher = await login(DEMO_INSTRUCTOR);
    const course = await teacher.post('/api/courses').send({ title: 'Rotating' }).expect(201);
    const rotated = await teacher.post(`/api/courses/${course.body.id}/join-code`).expect(200);
    expect(rotated.body.joinCode).not.toBe(course.body.joinCode);
    const { agent: student } = await registerStudent('late@example.edu');
    await student.post('/api/courses/join').send({ joinCode: course.body.joinCode }).expect(404);
    await student.post('/api/courses/join').send({ joinCode: rotated.body.joinCode }).expect(200);
  });

  it('enforces roles: students cannot create courses, rotate codes or read rosters', async () => {
    const student = await login('student1@kubelab.local');
    const forbidden = await student.post('/api/courses').send({ title: 'Mine' }).expect(403);
    expect(forbidden.body.message).toBe('This needs the instructor or admin role.');
    await student.post(`/api/courses/${demoCourseId}/join-code`).expect(403);
    await student.get(`/api/courses/${demoCourseId}/students`).expect(403);
    await student.get(`/api/courses/${demoCourseId}`).expect(200);
  });

  it('hides courses from people who are not in them', async () => {
    const outsider = (await registerStudent('outsider@example.edu')).agent;
    await outsider.get(`/api/courses/${demoCourseId}`).expect(404);
    const otherInstructor = await login('other@kubelab.local');
    await otherInstructor.get(`/api/courses/${demoCourseId}/students`).expect(404);
    await otherInstructor.post(`/api/courses/${demoCourseId}/join-code`).expect(404);
    expect((await otherInstructor.get('/api/courses').expect(200)).body).toEqual([]);
  });

  it('requires a session and validates ids', async () => {
    await request(api.server).get('/api/courses').expect(401);
    const teacher = await login(DEMO_INSTRUCTOR);
    const bad = await teacher.get('/api/courses/not-a-uuid').expect(400);
    expect(bad.body.message).toMatch(/uuid is expected/);
  });

  it('lets only admins create instructor accounts', async () => {
    const teacher = await login(DEMO_INSTRUCTOR);
    await teacher
      .post('/api/users')
      .send({ email: 'new@kubelab.local', password: 'password-123', displayName: 'New', role: 'instructor' })
      .expect(403);
  });
});
