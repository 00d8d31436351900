// `npm run db:migration:create -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with whatever the schema has that the migrations lack. Shadow databases are created (and dropped)
// on DATABASE_URL's server, else on postgresql://root@127.0.0.1:5432.
import path from 'node:path';

import { createMigration, DEFAULT_SHADOW_SERVER_URL } from '../../src/infra/database/create-migration';
import { describeError } from './describe-error';

async function main(): Promise<void> {
  const [name, ...extra] = process.argv.slice(2);
  if (!name || extra.length) {
    throw new Error('usage: npm run db:migration:create -- <name>   (e.g. add_lab_tags)');
  }
  const result = await createMigration({
    name,
    shadowServerUrl: process.env.DATABASE_URL?.trim() || DEFAULT_SHADOW_SERVER_URL,
  });
  if (!result.created) {
    console.log('no changes: the schema matches the migrations.');
    return;
  }
  console.log(`Created ${path.relative(process.cwd(), path.join(result.directory, 'migration.sql'))}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`db:migration:create failed: ${describeError(error)}`);
    process.exit(1);
  },
);
