import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { startTestApi } from '../support/api';

describe('health and start-up', () => {
  it('reports 200 when the database, Redis and the cluster driver answer', async () => {
    const api = await startTestApi();
    try {
      const response = await request(api.server).get('/api/health').expect(200);
      // This test runs the API alone: no worker beats, and health says so (commands would wait).
      expect(response.body.status).toBe('degraded');
      expect(response.body.down).toEqual(['workers']);
      expect(response.body.checks.database.ok).toBe(true);
      expect(response.body.checks.redis.ok).toBe(true);
      expect(response.body.checks.clusterDriver).toMatchObject({ ok: true });
    } finally {
      await api.close();
    }
  });

  it('reports 503 and names Redis when Redis is unreachable', async () => {
    // Port 1 on loopback: nothing listens there, so connections are refused at once.
    const api = await startTestApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const response = await request(api.server).get('/api/health').expect(503);
      expect(response.body.status).toBe('degraded');
      expect(response.body.checks.redis.ok).toBe(false);
      expect(response.body.checks.database.ok).toBe(true);
      expect(response.body.down).toEqual(expect.arrayContaining(['redis']));
    } finally {
      await api.close();
    }
  });

  it('serves the OpenAPI document', async () => {
    const api = await startTestApi();
    try {
      const response = await request(api.server).get('/api/docs-json').expect(200);
      expect(response.body.info.title).toBe('Kubelab API');
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining(['/api/auth/login', '/api/health']),
      );
    } finally {
      await api.close();
    }
  });

  // Compiling the API's sources on the fly takes seconds on a quiet machine and far longer on a busy one.
  it('refuses to start with a bad setting and names it', () => {
    const result = spawnSync(process.execPath, ['-r', './scripts/swc-register.cjs', 'src/main/api.ts'], {
      env: { ...process.env, PORT: 'eighty', CLUSTER_DRIVER: 'kvm' },
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT: expected a whole number from 0 to 65535, got "eighty"');
    expect(result.stderr).toContain('CLUSTER_DRIVER: expected one of embedded, docker, got "kvm"');
  }, 120_000);
});
