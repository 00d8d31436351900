import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { LOCKFILE_CONTENT, readMigrations, writeMigration } from './migrations-directory';

describe('migrations directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubelab-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('treats a missing folder as an empty history without a lockfile', () => {
    const list = readMigrations(path.join(dir, 'absent'));
    expect(list.migrationDirectories).toEqual([]);
    expect(list.lockfile).toEqual({ path: 'migration_lock.toml', content: null });
  });

  it('lists migration directories in name order with their SQL, ignoring loose files', () => {
    writeMigration(dir, '20260102000000_second', 'SELECT 2;');
    writeMigration(dir, '20260101000000_first', 'SELECT 1;');
    writeFileSync(path.join(dir, 'README.md'), 'not a migration');
    const list = readMigrations(dir);
    expect(list.baseDir).toBe(dir);
    expect(list.lockfile.content).toBe(LOCKFILE_CONTENT);
    expect(list.migrationDirectories).toEqual([
      {
        path: '20260101000000_first',
        migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: 'SELECT 1;' } },
      },
      {
        path: '20260102000000_second',
        migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: 'SELECT 2;' } },
      },
    ]);
  });

  it('reports a directory without migration.sql as an error entry for the engine to refuse', () => {
    mkdirSync(path.join(dir, '20260101000000_empty'));
    const [entry] = readMigrations(dir).migrationDirectories;
    expect(entry.migrationFile.content).toEqual({
      tag: 'error',
      value: expect.stringContaining('does not exist'),
    });
  });

  it('writes the lockfile once and refuses to overwrite a migration', () => {
    writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n# kept\n');
    const created = writeMigration(dir, '20260101000000_first', 'SELECT 1;');
    expect(readFileSync(path.join(created, 'migration.sql'), 'utf8')).toBe('SELECT 1;');
    expect(readFileSync(path.join(dir, 'migration_lock.toml'), 'utf8')).toContain('# kept');
    expect(() => writeMigration(dir, '20260101000000_first', 'SELECT 9;')).toThrow(/already exists/);
  });
});
