import { randomUUID } from 'node:crypto';

import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQueryable,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

import { dropDatabase, ensureDatabaseExists, withDatabase } from './postgres-server.js';

/**
 * Driver-adapter factory the schema engine uses against PostgreSQL. It differs from a plain
 * PrismaPg in three ways, each working around something that breaks migrations:
 * - catalog columns of PostgreSQL's internal `"char"` type (pg_constraint.contype, ...) reach the
 *   engine as characters: adapter-pg rejects that type, and reported as text the engine panics;
 * - shadow databases are created here and dropped by close() after their pools have ended
 *   (adapter-pg drops them while still connected, which PostgreSQL refuses);
 * - every pool is owned here and ended by close(), so nothing keeps the process alive.
 */
export class PgMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = '@prisma/adapter-pg';
  private readonly pools: pg.Pool[] = [];
  private readonly shadowDatabaseUrls: string[] = [];

  /**
   * @param url the database to work on, or null when the work needs nothing but shadow databases
   *   (connect() then yields another throwaway database)
   * @param shadowServerUrl any database on the server where throwaway shadow databases may be created
   */
  constructor(
    private readonly url: string | null,
    private readonly shadowServerUrl: string = url ?? '',
  ) {
    if (!url && !shadowServerUrl) throw new Error('PgMigrationAdapterFactory needs a database or server URL');
  }

  connect(): Promise<SqlDriverAdapter> {
    return this.url ? this.adapterFor(this.url) : this.connectToShadowDb();
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadowUrl = withDatabase(this.shadowServerUrl, `prisma_shadow_${randomUUID().replace(/-/g, '')}`);
    this.shadowDatabaseUrls.push(shadowUrl);
    await ensureDatabaseExists(shadowUrl);
    return this.adapterFor(shadowUrl);
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.splice(0).map((pool) => pool.end()));
    for (const shadowUrl of this.shadowDatabaseUrls.splice(0)) await dropDatabase(shadowUrl);
  }

  private async adapterFor(url: string): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ connectionString: url, max: 2, Client: InternalCharTaggingClient });
    this.pools.push(pool);
    return reportInternalCharAsCharacter(await new PrismaPg(pool).connect());
  }
}

const INTERNAL_CHAR_OID = 18;
const TEXT_OID = 25;
/** Set on a result's rows array: indexes of the columns that were of type `"char"`. */
const INTERNAL_CHAR_COLUMNS = Symbol('internalCharColumns');

type TaggedRows = unknown[] & { [INTERNAL_CHAR_COLUMNS]?: number[] };
type PgResultLike = { fields?: { dataTypeID: number }[]; rows?: TaggedRows } | undefined;

/**
 * Step one: adapter-pg throws on `"char"` columns, so the client relabels them as text (their
 * values arrive as strings either way) and notes on the rows array which columns they were.
 * The rows array is the one adapter-pg hands on in its result set.
 */
function relabelInternalChar<R extends PgResultLike>(result: R): R {
  const columns: number[] = [];
  result?.fields?.forEach((field, index) => {
    if (field.dataTypeID !== INTERNAL_CHAR_OID) return;
    field.dataTypeID = TEXT_OID;
    columns.push(index);
  });
  if (columns.length && result?.rows) result.rows[INTERNAL_CHAR_COLUMNS] = columns;
  return result;
}

class InternalCharTaggingClient extends pg.Client {
  // pg's query() has many overloads (callback or promise); this wrapper keeps each caller's style.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const runQuery = super.query as (...queryArgs: unknown[]) => unknown;
    const callbackIndex = args.findIndex((arg) => typeof arg === 'function');
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (error: Error | null, result: PgResultLike) => void;
      args[callbackIndex] = (error: Error | null, result: PgResultLike) =>
        callback(error, error ? result : relabelInternalChar(result));
      return runQuery.apply(this, args);
    }
    const pending = runQuery.apply(this, args);
    return pending instanceof Promise ? pending.then(relabelInternalChar) : pending;
  }
}

/** Step two: the adapter's result sets report the noted columns as characters, as the engine expects. */
function markCharacterColumns(resultSet: SqlResultSet): SqlResultSet {
  const columns = (resultSet.rows as TaggedRows)[INTERNAL_CHAR_COLUMNS];
  for (const index of columns ?? []) resultSet.columnTypes[index] = ColumnTypeEnum.Character;
  return resultSet;
}

function reportInternalCharAsCharacter<Q extends SqlQueryable>(queryable: Q): Q {
  return new Proxy(queryable, {
    get(target, property) {
      if (property === 'queryRaw') {
        return async (...args: Parameters<SqlQueryable['queryRaw']>) =>
          markCharacterColumns(await target.queryRaw(...args));
      }
      if (property === 'startTransaction' && 'startTransaction' in target) {
        const adapter = target as unknown as SqlDriverAdapter;
        return async (...args: Parameters<SqlDriverAdapter['startTransaction']>) =>
          reportInternalCharAsCharacter<Transaction>(await adapter.startTransaction(...args));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
