// Shared set-up for `npm run demo` and `npm test`: plain Node with no dependencies, because it runs
// before `npm install` on a fresh clone.
// Every `npm run engine|lab|bench:*` starts by checking its set-up (scripts/swc-register.cjs): when nothing is
// missing that is two file dates, under a millisecond, so child_process (about 20 ms to load on a busy machine)
// is loaded only when something must run.
const spawnSync = (...args) => require('node:child_process').spawnSync(...args);
const spawn = (...args) => require('node:child_process').spawn(...args);
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function say(message) {
  process.stdout.write(`[kubelab] ${message}\n`);
}

function fail(message) {
  process.stderr.write(`[kubelab] ${message}\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(
      `Node ${process.versions.node} is too old: Kubelab needs Node 20.19 or newer (NestJS 12 is ESM-only).`,
    );
  }
}

/** npm install when node_modules is missing or older than the lock file. */
function ensureDependencies() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  say('Installing npm dependencies…');
  const started = Date.now();
  run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']);
  say(`Dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/**
 * The Prisma client is generated from prisma/schema.prisma, offline. Checked once per process tree: the flag,
 * inherited by children, keeps `db:generate` (itself run under swc-register, which calls this) and the
 * platform processes a runner starts from checking again.
 */
function ensurePrismaClient() {
  if (process.env.KUBELAB_PRISMA_CHECKED) return;
  process.env.KUBELAB_PRISMA_CHECKED = '1';
  const client = path.join(ROOT, 'src', 'infra', 'database', 'generated', 'client.ts');
  const schema = path.join(ROOT, 'prisma', 'schema.prisma');
  if (fs.existsSync(client) && fs.statSync(client).mtimeMs >= fs.statSync(schema).mtimeMs) return;
  say('Generating the Prisma client…');
  run('npm', ['run', '--silent', 'db:generate']);
}

/** Newest modification time of a file or of any file below a directory (0 when missing). */
function newestMtime(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target))
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** The web client is built into web/dist when that is missing or older than its sources. */
function ensureWebBuild() {
  const built = path.join(ROOT, 'web', 'dist', 'index.html');
  const sources = [
    'web/src',
    'web/index.html',
    'web/vite.config.ts',
    'web/tsconfig.json',
    'src/shared',
    // Engine modules the web client imports (shell vocabulary, `vim FILE` lines, the served kinds).
    'src/engine/terminal',
    'src/engine/api/resources.ts',
    'package-lock.json',
  ];
  const newestSource = Math.max(...sources.map((source) => newestMtime(path.join(ROOT, source))));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSource) return;
  say('Building the web client…');
  const started = Date.now();
  // A production build whoever calls: inside Jest NODE_ENV is "test", with which Vite bundles React's development
  // build (StrictMode then mounts every effect twice, e.g. joining the terminal's session twice).
  run('npm', ['run', '--silent', 'build:web'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  say(`Web client built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The browser tests drive Debian's chromium (playwright cannot download browsers here). */
function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !hasCommand('apt-get')) {
    fail(
      `The browser tests need Chromium at ${CHROMIUM}. Install it with "sudo apt-get install -y chromium" or set CHROMIUM_PATH.`,
    );
  }
  say('Installing chromium for the browser tests (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  run('apt-get', ['install', '-y', '-qq', 'chromium'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!fs.existsSync(CHROMIUM)) fail(`apt-get installed chromium, but ${CHROMIUM} is still missing.`);
  return CHROMIUM;
}

function probeTcp(host, port, payload, expect, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let answer = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => (payload ? socket.write(payload) : done(true)));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes(expect)) done(true);
    });
  });
}

function redisReachable(url) {
  const { hostname, port } = new URL(url);
  return probeTcp(hostname || '127.0.0.1', Number(port || 6379), 'PING\r\n', 'PONG');
}

async function waitFor(check, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`${what} did not come up within ${timeoutMs / 1000} s.`);
}

/**
 * Redis must answer at REDIS_URL. If it does not and a redis-server binary exists, start a private
 * one (no persistence) for this process tree; otherwise say exactly what to install.
 */
async function ensureRedis(env, { privatePort = 6390 } = {}) {
  const url = env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (await redisReachable(url)) return { url, child: undefined };
  if (!hasCommand('redis-server')) {
    fail(
      `Redis is not answering at ${url}. Install it with "sudo apt-get install -y redis-server" ` +
        '(Kubelab then starts a private one), or set REDIS_URL to a running Redis.',
    );
  }
  const privateUrl = `redis://127.0.0.1:${privatePort}`;
  if (await redisReachable(privateUrl)) return { url: privateUrl, child: undefined };
  say(`Redis is not answering at ${url}; starting a private redis-server on port ${privatePort}.`);
  const child = spawn(
    'redis-server',
    ['--port', String(privatePort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitFor(() => redisReachable(privateUrl), 'The private redis-server');
  return { url: privateUrl, child };
}

/** PostgreSQL for the tests: start the machine's cluster if it is installed but stopped. */
async function ensurePostgres() {
  if (await probeTcp('127.0.0.1', 5432)) return;
  if (hasCommand('pg_ctlcluster')) {
    const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
    for (const version of versions) {
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
        stdio: 'inherit',
      });
    }
    await waitFor(() => probeTcp('127.0.0.1', 5432), 'PostgreSQL');
    return;
  }
  fail(
    'PostgreSQL is not answering on 127.0.0.1:5432. The tests need it: install it with ' +
      '"sudo apt-get install -y postgresql" and allow local trust connections for your user.',
  );
}

module.exports = {
  ROOT,
  say,
  fail,
  run,
  hasCommand,
  checkNode,
  ensureDependencies,
  ensurePrismaClient,
  ensureWebBuild,
  ensureChromium,
  ensureRedis,
  ensurePostgres,
  redisReachable,
};
