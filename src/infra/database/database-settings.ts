/**
 * Where the platform keeps its data. With `url` set it talks to PostgreSQL; without it, it runs an
 * embedded PGlite database stored in `pgliteDir` (a single-process database: only one process may
 * open a given directory at a time).
 */
export interface DatabaseSettings {
  url?: string;
  pgliteDir: string;
  /** Connections the PostgreSQL pool may open (default 10, node-postgres's own default). */
  poolSize?: number;
}

export type DatabaseBackend = 'postgresql' | 'pglite';

export function backendOf(settings: DatabaseSettings): DatabaseBackend {
  return settings.url ? 'postgresql' : 'pglite';
}

/** Settings the command-line tools derive from the environment: DATABASE_URL, else DATA_DIR (default `.data`). */
export function databaseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const url = env.DATABASE_URL?.trim();
  const dataDir = env.DATA_DIR?.trim() || '.data';
  return { url: url || undefined, pgliteDir: `${dataDir}/pglite` };
}
