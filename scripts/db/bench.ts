// Database timings: `node -r ./scripts/swc-register.cjs scripts/db/bench.ts [rounds]`.
// Each figure is a median over fresh targets, next to a baseline measured in the same run that
// does the same database work without the schema engine (the migration SQL executed directly),
// so the ratio is the engine's and bookkeeping's cost.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

import { migrate } from '../../src/infra/database/migrate';
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from '../../src/infra/database/migrations-directory';
import { dropDatabase, ensureDatabaseExists, withDatabase } from '../../src/infra/database/postgres-server';
import { createPrismaClient, openPglite } from '../../src/infra/database/prisma-client.factory';

const SERVER_URL = process.env.DATABASE_URL?.trim() || 'postgresql://root@127.0.0.1:5432/postgres';
const ROUNDS = Number(process.argv[2] ?? 5);

const migrationScripts = readMigrations(DEFAULT_MIGRATIONS_DIR).migrationDirectories.map((directory) =>
  readFileSync(path.join(DEFAULT_MIGRATIONS_DIR, directory.path, directory.migrationFile.path), 'utf8'),
);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timeIt(work: () => Promise<void>): Promise<number> {
  const startedAt = performance.now();
  await work();
  return performance.now() - startedAt;
}

async function sample(rounds: number, measure: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) samples.push(await measure());
  return median(samples);
}

function report(label: string, medianMs: number, baselineLabel: string, baselineMs: number): void {
  const ratio = (medianMs / baselineMs).toFixed(2);
  console.log(
    `${label.padEnd(44)} median ${medianMs.toFixed(0).padStart(5)} ms   ` +
      `${baselineLabel} ${baselineMs.toFixed(0).padStart(5)} ms   ratio ${ratio}`,
  );
}

function freshUrl(): string {
  return withDatabase(SERVER_URL, `kubelab_bench_${randomBytes(5).toString('hex')}`);
}

async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-bench-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<void> {
  const migrateFresh = await sample(ROUNDS, async () => {
    const url = freshUrl();
    const elapsed = await timeIt(async () => void (await migrate({ url, pgliteDir: '' })));
    await dropDatabase(url);
    return elapsed;
  });
  const rawFresh = await sample(ROUNDS, async () => {
    const url = freshUrl();
    const elapsed = await timeIt(async () => {
      await ensureDatabaseExists(url);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const script of migrationScripts) await client.query(script);
      await client.end();
    });
    await dropDatabase(url);
    return elapsed;
  });
  report('PostgreSQL: migrate() fresh database', migrateFresh, 'raw SQL', rawFresh);

  const url = freshUrl();
  await migrate({ url, pgliteDir: '' });
  const upToDate = await sample(ROUNDS, () =>
    timeIt(async () => void (await migrate({ url, pgliteDir: '' }))),
  );
  const connectOnly = await sample(ROUNDS, () =>
    timeIt(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('SELECT migration_name FROM _prisma_migrations');
      await client.end();
    }),
  );
  await dropDatabase(url);
  report('PostgreSQL: migrate() already up to date', upToDate, 'read table', connectOnly);
}

async function benchPglite(): Promise<void> {
  const rounds = Math.max(3, Math.ceil(ROUNDS / 2));
  const migrateFresh = await sample(rounds, () =>
    withTempDir((dir) => timeIt(async () => void (await migrate({ pgliteDir: path.join(dir, 'pglite') })))),
  );
  const rawFresh = await sample(rounds, () =>
    withTempDir((dir) =>
      timeIt(async () => {
        const pglite = await openPglite(path.join(dir, 'pglite'));
        for (const script of migrationScripts) await pglite.exec(script);
        await pglite.close();
      }),
    ),
  );
  report('PGlite: migrate() fresh data directory', migrateFresh, 'raw SQL', rawFresh);

  await withTempDir(async (dir) => {
    const settings = { pgliteDir: path.join(dir, 'pglite') };
    await migrate(settings);
    const upToDate = await sample(rounds, () => timeIt(async () => void (await migrate(settings))));
    const reopenClient = await sample(rounds, () =>
      timeIt(async () => {
        const prisma = await createPrismaClient(settings);
        await prisma.user.count();
        await prisma.$disconnect();
      }),
    );
    const inMemory = await sample(rounds, () =>
      timeIt(async () => {
        const pglite = await PGlite.create();
        await pglite.query('SELECT 1');
        await pglite.close();
      }),
    );
    report('PGlite: migrate() already up to date', upToDate, 'in-memory open', inMemory);
    report('PGlite: open data dir + client + first query', reopenClient, 'in-memory open', inMemory);
  });
}

async function main(): Promise<void> {
  console.log(`${migrationScripts.length} migration(s); ${ROUNDS} rounds on PostgreSQL (${SERVER_URL})`);
  await benchPostgres();
  await benchPglite();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
