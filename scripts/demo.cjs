#!/usr/bin/env node
// `npm run demo`: installs what is missing, generates the Prisma client, then starts the whole
// platform (API + worker in one process) on the embedded defaults: PGlite in .data/, the
// in-process cluster engine, and Redis (a private redis-server if none answers).
const { spawn } = require('node:child_process');
const setup = require('./lib/setup.cjs');
const { PLATFORM_NODE_FLAGS } = require('./lib/node-flags.cjs');

async function main() {
  const started = Date.now();
  setup.checkNode();
  setup.ensureDependencies();
  setup.ensurePrismaClient();
  setup.ensureWebBuild();
  const redis = await setup.ensureRedis(process.env);
  const env = { ...process.env, REDIS_URL: redis.url, KUBELAB_SETUP_STARTED_AT: String(started) };
  const platform = spawn(
    process.execPath,
    [...PLATFORM_NODE_FLAGS, '-r', './scripts/swc-register.cjs', 'src/main/demo.ts'],
    {
      cwd: setup.ROOT,
      stdio: 'inherit',
      env,
    },
  );
  const stop = (signal) => platform.kill(signal);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  platform.on('exit', (code, signal) => {
    if (redis.child) redis.child.kill();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
