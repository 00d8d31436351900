import pg from 'pg';

/** Helpers for server-level work (creating and dropping databases) on a PostgreSQL URL's server. */

export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(parseUrl(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`The PostgreSQL URL names no database: ${redactPassword(url)}`);
  return name;
}

/** The same server and credentials as `url`, but another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = parseUrl(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Runs `work` with a client connected to the server's maintenance database `postgres`. */
export async function withMaintenanceConnection<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the database `url` points at unless it exists. Returns whether it had to be created. */
export async function ensureDatabaseExists(url: string): Promise<boolean> {
  const name = databaseNameOf(url);
  return withMaintenanceConnection(url, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    } catch (error) {
      // Another process created it between the check and the CREATE: PostgreSQL reports either
      // duplicate_database or, when both CREATEs overlap, a unique violation on pg_database.
      if (isPgError(error, '42P04') || isPgError(error, '23505')) return false;
      throw error;
    }
    return true;
  });
}

/** Drops the database `url` points at, disconnecting anyone still using it. */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseNameOf(url);
  await withMaintenanceConnection(url, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  );
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected postgresql://user@host:port/database)');
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new Error(`Only PostgreSQL URLs are supported, got protocol "${parsed.protocol}"`);
  }
  return parsed;
}

function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
