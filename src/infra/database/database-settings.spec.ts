import { backendOf, databaseSettingsFromEnv } from './database-settings';

describe('databaseSettingsFromEnv', () => {
  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const settings = databaseSettingsFromEnv({ DATABASE_URL: ' postgresql://root@127.0.0.1:5432/kubelab ' });
    expect(settings).toEqual({ url: 'postgresql://root@127.0.0.1:5432/kubelab', pgliteDir: '.data/pglite' });
    expect(backendOf(settings)).toBe('postgresql');
  });

  it('falls back to PGlite under DATA_DIR, default .data', () => {
    expect(databaseSettingsFromEnv({})).toEqual({ url: undefined, pgliteDir: '.data/pglite' });
    const settings = databaseSettingsFromEnv({ DATABASE_URL: '', DATA_DIR: '/var/lib/kubelab' });
    expect(settings).toEqual({ url: undefined, pgliteDir: '/var/lib/kubelab/pglite' });
    expect(backendOf(settings)).toBe('pglite');
  });
});
