// `npm run db:generate`: runs `prisma generate` without network access.
// The Prisma CLI insists on locating a native schema engine before generating, and would download
// one from Prisma's binary host (unreachable here). Generation never executes that engine; the CLI
// only checks that the configured path exists, so any existing file satisfies it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const projectRoot = path.resolve(__dirname, '..', '..');
const prismaCli = require.resolve('prisma/build/index.js', { paths: [projectRoot] });

const result = spawnSync(process.execPath, [prismaCli, 'generate', ...process.argv.slice(2)], {
  cwd: projectRoot,
  stdio: 'inherit',
  env: { PRISMA_SCHEMA_ENGINE_BINARY: __filename, ...process.env },
});
process.exit(result.status ?? 1);
