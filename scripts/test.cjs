#!/usr/bin/env node
// `npm test`: sets up what the suite needs (dependencies, Prisma client, PostgreSQL, Redis), runs
// every Jest test and every lab's self-test, and ends with one "N passed, N failed" line.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const setup = require('./lib/setup.cjs');

/**
 * The Docker tests use several private dockerd instances. A dockerd that starts resets the iptables
 * chains of the others on the host, so all of them start here, one after another, before any test
 * creates a network; the tests then find them running. They are the tests' own engines, so clusters
 * an interrupted earlier run left on them are removed: they would count against a host's capacity.
 */
function startDockerTestEngines() {
  const list = path.join(setup.ROOT, 'test', 'docker', 'support', 'engines.json');
  if (!fs.existsSync(list)) return;
  for (const instance of JSON.parse(fs.readFileSync(list, 'utf8'))) {
    const started = spawnSync(path.join(setup.ROOT, 'docker', 'engine', 'start.sh'), [instance], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (started.status !== 0)
      setup.fail(`docker/engine/start.sh ${instance} failed (exit ${started.status})`);
    removeLeftoverClusters(started.stdout.trim());
  }
}

function removeLeftoverClusters(dockerHost) {
  const docker = (...args) =>
    spawnSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: dockerHost } });
  const managed = ['--filter', 'label=kubelab.managed=true', '--quiet'];
  const containers = docker('ps', '--all', ...managed)
    .stdout.split('\n')
    .filter(Boolean);
  if (containers.length > 0) {
    process.stdout.write(`Removing ${containers.length} container(s) an earlier run left on ${dockerHost}\n`);
    docker('rm', '--force', '--volumes', ...containers);
  }
  const networks = docker('network', 'ls', ...managed)
    .stdout.split('\n')
    .filter(Boolean);
  if (networks.length > 0) docker('network', 'rm', ...networks);
}

async function main() {
  const started = Date.now();
  setup.checkNode();
  setup.ensureDependencies();
  setup.ensurePrismaClient();
  setup.ensureWebBuild();
  setup.ensureChromium();
  await setup.ensurePostgres();
  const redis = await setup.ensureRedis(process.env);
  const env = { ...process.env, REDIS_URL: redis.url, NODE_ENV: 'test' };

  startDockerTestEngines();

  const resultsFile = path.join(setup.ROOT, '.tmp', 'jest-results.json');
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.rmSync(resultsFile, { force: true });
  const extra = process.argv.slice(2);
  const jest = spawnSync(
    process.execPath,
    [
      require.resolve('jest/bin/jest'),
      '--ci',
      '--maxWorkers=3',
      '--json',
      `--outputFile=${resultsFile}`,
      ...extra,
    ],
    { cwd: setup.ROOT, stdio: 'inherit', env },
  );
  let passed = 0;
  let failed = 0;
  if (fs.existsSync(resultsFile)) {
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
  } else {
    failed += 1;
  }

  // Every lab proves its own checks (fail before the solution, pass after).
  const labCli = path.join(setup.ROOT, 'src', 'labs', 'cli', 'lab.ts');
  if (extra.length === 0 && fs.existsSync(labCli)) {
    const lab = spawnSync('npm', ['run', '--silent', 'lab', '--', 'test'], {
      cwd: setup.ROOT,
      stdio: 'inherit',
      env,
    });
    if (lab.status === 0) passed += 1;
    else failed += 1;
  }

  if (redis.child) redis.child.kill();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\nKubelab test suite finished in ${seconds} s.\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed === 0 && jest.status === 0 ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
