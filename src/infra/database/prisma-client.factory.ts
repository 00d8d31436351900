import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import { backendOf, type DatabaseSettings } from './database-settings.js';
import { PrismaClient } from './generated/client.js';

/**
 * Opens the application's database client: PostgreSQL through `pg` when `settings.url` is set,
 * otherwise PGlite in `settings.pgliteDir`. The schema must already be migrated (see migrate()).
 */
export async function createPrismaClient(settings: DatabaseSettings): Promise<PrismaClient> {
  if (backendOf(settings) === 'postgresql') {
    // Connections stay open once made (pg closes idle ones after 10 s by default). After a burst, all
    // the extra connections went idle together and closed together ten seconds later, and ending a
    // dozen server processes at once stalled this 2-core machine for a fifth of a second (measured
    // by bench:commands). Idle connections do not keep a finished process alive.
    const pool = new Pool({
      connectionString: settings.url,
      max: settings.poolSize ?? 10,
      idleTimeoutMillis: 0,
      allowExitOnIdle: true,
    });
    // Statements marked asyncCommit run on connections of their own that do not wait for the disk.
    const asyncCommitPool = new Pool({
      connectionString: settings.url,
      max: ASYNC_COMMIT_POOL_SIZE,
      idleTimeoutMillis: 0,
      allowExitOnIdle: true,
      options: '-c synchronous_commit=off',
    });
    // An idle connection that the server ends (a restart, an outage) is reported on its pool; without
    // a listener that event would end the process. The next query finds the server away and fails.
    for (const each of [pool, asyncCommitPool]) each.on('error', () => undefined);
    const client = new PoolBackedPrismaClient(pool, asyncCommitPool);
    sqlRunners.set(client, poolRunner(pool, asyncCommitPool));
    return client;
  }
  const pglite = await openPglite(settings.pgliteDir);
  const client = new PgliteBackedPrismaClient(pglite);
  sqlRunners.set(client, pgliteRunner(pglite));
  return client;
}

const ASYNC_COMMIT_POOL_SIZE = 4;

/** A statement of the hot path: a fixed text with $1… parameters, prepared once per connection under `name`. */
export interface SqlStatement {
  name: string;
  text: string;
  /**
   * Commit without waiting for the write-ahead log to reach the disk. Only for records whose loss
   * in a crash of PostgreSQL itself is tolerable (the last fraction of a second of them); such a
   * crash never leaves them half-written.
   */
  asyncCommit?: boolean;
}

export type SqlRunner = <Row extends object>(
  statement: SqlStatement,
  values: unknown[],
) => Promise<{ rows: Row[]; rowCount: number }>;

/**
 * Plain SQL on the client's own connections, for the few statements every command runs: Prisma's query
 * layer costs several times the CPU of the driver itself there (measured by bench:commands), while
 * everything else keeps Prisma's typed queries. Rows come back with the database's column names.
 */
export function sqlRunnerOf(client: PrismaClient): SqlRunner {
  const runner = sqlRunners.get(client);
  if (!runner) throw new Error('sqlRunnerOf: the client was not opened by createPrismaClient');
  return runner;
}

// Prisma's constructor hands back a proxy, so the runner is found by identity rather than by class.
const sqlRunners = new WeakMap<PrismaClient, SqlRunner>();

function poolRunner(pool: Pool, asyncCommitPool: Pool): SqlRunner {
  return async <Row extends object>(statement: SqlStatement, values: unknown[]) => {
    const result = await (statement.asyncCommit ? asyncCommitPool : pool).query<Row>({
      name: statement.name,
      text: statement.text,
      values,
    });
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  };
}

function pgliteRunner(pglite: PGlite): SqlRunner {
  return async <Row extends object>(statement: SqlStatement, values: unknown[]) => {
    const result = await pglite.query<Row>(statement.text, values);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };
}

/** Opens (creating if needed) a PGlite data directory and waits until it accepts queries. */
export async function openPglite(dataDir: string): Promise<PGlite> {
  const absoluteDir = path.resolve(dataDir);
  mkdirSync(absoluteDir, { recursive: true });
  return PGlite.create({ dataDir: absoluteDir });
}

/**
 * The PGlite adapter never closes the embedded database itself, which would leave its files
 * unflushed and keep the process alive; this client closes it on $disconnect. After that the
 * client cannot be used again.
 */
class PgliteBackedPrismaClient extends PrismaClient {
  constructor(private readonly pglite: PGlite) {
    super({ adapter: new PrismaPGlite(pglite) });
  }

  override async $disconnect(): Promise<void> {
    await super.$disconnect();
    if (!this.pglite.closed) await this.pglite.close();
  }
}

/** Owns its pg pools (one shared by Prisma and the plain-SQL runner) and ends them on $disconnect. */
class PoolBackedPrismaClient extends PrismaClient {
  constructor(
    private readonly pool: Pool,
    private readonly asyncCommitPool: Pool,
  ) {
    super({ adapter: new PrismaPg(pool) });
  }

  override async $disconnect(): Promise<void> {
    await super.$disconnect();
    for (const pool of [this.pool, this.asyncCommitPool]) if (!pool.ended) await pool.end();
  }
}
