import request from 'supertest';
import { DEMO_INSTRUCTOR, DEMO_PASSWORD, SeedService } from '../../src/services/seed.service';
import { startTestApi, TestApi } from '../support/api';

describe('accounts over HTTP', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_ATTEMPTS_PER_IP: '1000' });
    await api.app.get(SeedService).seedDemo();
  });
  afterAll(() => api.close());

  it('registers, reads me, logs out and is then refused', async () => {
    const agent = request.agent(api.server);
    const registered = await agent
      .post('/api/auth/register')
      .send({ email: 'Ada@Example.edu', password: 'correct horse', displayName: 'Ada' })
      .expect(201);
    expect(registered.body).toMatchObject({ email: 'ada@example.edu', displayName: 'Ada', role: 'student' });
    expect(registered.body.passwordHash).toBeUndefined();
    const cookie = String(registered.headers['set-cookie']);
    expect(cookie).toMatch(/kubelab_session=[\w-]{40,}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    await agent.get('/api/auth/me').expect(200, registered.body);
    await agent.post('/api/auth/logout').expect(204);
    await agent.get('/api/auth/me').expect(401);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    await request(api.server)
      .post('/api/auth/register')
      .send({ email: 'twice@example.edu', password: 'password-1', displayName: 'One' })
      .expect(201);
    const second = await request(api.server)
      .post('/api/auth/register')
      .send({ email: 'TWICE@example.edu', password: 'password-2', displayName: 'Two' })
      .expect(409);
    expect(second.body.message).toBe('An account with this email already exists.');
  });

  it('logs the demo instructor in and rejects a wrong password with 401', async () => {
    const ok = await request(api.server)
      .post('/api/auth/login')
      .send({ email: DEMO_INSTRUCTOR, password: DEMO_PASSWORD })
      .expect(200);
    expect(ok.body.role).toBe('instructor');
    const wrong = await request(api.server)
      .post('/api/auth/login')
      .send({ email: 'student1@kubelab.local', password: 'nope' })
      .expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      message: 'Email or password is incorrect.',
      error: 'Unauthorized',
    });
  });

  it('throttles an account after repeated failures, even for the right password, with Retry-After', async () => {
    const email = 'student2@kubelab.local';
    for (let attempt = 0; attempt < 3; attempt++) {
      await request(api.server).post('/api/auth/login').send({ email, password: 'guess' }).expect(401);
    }
    const blocked = await request(api.server)
      .post('/api/auth/login')
      .send({ email, password: DEMO_PASSWORD })
      .expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body.message).toMatch(/Too many login attempts/);
    // Other accounts are unaffected.
    await request(api.server)
      .post('/api/auth/login')
      .send({ email: 'student3@kubelab.local', password: DEMO_PASSWORD })
      .expect(200);
  });

  it('answers bad bodies with 400 and a message per field', async () => {
    const response = await request(api.server)
      .post('/api/auth/register')
      .send({ email: 'not-an-email', password: 'short', displayName: '', extra: 1 })
      .expect(400);
    expect(response.body.message).toBe('Validation failed');
    expect(response.body.fields).toEqual({
      email: ['must be an email address'],
      password: ['must be at least 8 characters'],
      displayName: ['displayName must be longer than or equal to 1 characters'],
      extra: ['property extra should not exist'],
    });
  });

  it('answers malformed JSON with 400 and no stack trace', async () => {
    const response = await request(api.server)
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Unexpected end of JSON input',
    });
  });

  it('answers an oversized body with 413', async () => {
    await request(api.server)
      .post('/api/auth/login')
      .send({ email: 'a@b.c', password: 'x'.repeat(100_000) })
      .expect(413);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await request(api.server).get('/api/nothing-here').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, message: 'Cannot GET /api/nothing-here' });
  });

  it('ignores a forged or garbage session cookie', async () => {
    await request(api.server).get('/api/auth/me').set('cookie', 'kubelab_session=forged').expect(401);
    await request(api.server).get('/api/auth/me').set('cookie', 'kubelab_session=%E0%A4%A').expect(401);
  });
});

describe('login throttling per client address', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_ATTEMPTS_PER_IP: '4' });
  });
  afterAll(() => api.close());

  it('limits attempts from one address across many accounts', async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      await request(api.server)
        .post('/api/auth/login')
        .send({ email: `spray${attempt}@example.edu`, password: 'guess' })
        .expect(401);
    }
    const blocked = await request(api.server)
      .post('/api/auth/login')
      .send({ email: 'spray9@example.edu', password: 'guess' })
      .expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
