import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import { backendOf, type DatabaseSettings } from './database-settings.js';
import { PrismaClient } from './generated/client.js';

/**
 * Opens the application's database client: PostgreSQL through `pg` when `settings.url` is set,
 * otherwise PGlite in `settings.pgliteDir`. The schema must already be migrated (see migrate()).
 */
export async function createPrismaClient(settings: DatabaseSettings): Promise<PrismaClient> {
  if (backendOf(settings) === 'postgresql') {
    return new PrismaClient({
      adapter: new PrismaPg({ connectionString: settings.url, max: settings.poolSize ?? 10 }),
    });
  }
  const pglite = await openPglite(settings.pgliteDir);
  return new PgliteBackedPrismaClient(pglite);
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
