import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { uniquePrefix } from '../../support/api';
import { createTestDatabase, TestDatabase } from '../../support/database';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

export interface Platform {
  baseUrl: string;
  database: TestDatabase;
  demo: { courseId: string; joinCode: string };
  /** Stops the API process (the worker keeps running), as a crash or a deploy would. */
  stopApi(): Promise<void>;
  /** Starts the API process again on the same port. */
  startApi(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function runTs(script: string, env: NodeJS.ProcessEnv, logName: string): ChildProcess {
  const child = spawn(process.execPath, ['-r', './scripts/swc-register.cjs', script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(path.join(ARTIFACTS, logName));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

function seed(env: NodeJS.ProcessEnv): Promise<{ courseId: string; joinCode: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', './scripts/swc-register.cjs', 'test/web/support/seed-demo.ts'],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      if (code === 0)
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as { courseId: string; joinCode: string });
      else reject(new Error(`seeding failed (exit ${code}): ${err}`));
    });
  });
}

async function waitForHealth(baseUrl: string, processes: ChildProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = processes.find((child) => child.exitCode !== null);
    if (dead)
      throw new Error(
        `a platform process exited with code ${dead.exitCode}; see test-artifacts/journey-*.log`,
      );
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the API did not become healthy within ${timeoutMs / 1000} s`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The real platform as production runs it: a throwaway PostgreSQL database with the demo data, the
 * API process serving the built web client, and a separate worker process, sharing Redis.
 */
export async function startPlatform(webDir: string, settings: NodeJS.ProcessEnv = {}): Promise<Platform> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const database = await createTestDatabase();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    REDIS_PREFIX: uniquePrefix(),
    HOST: '127.0.0.1',
    PORT: String(port),
    WEB_DIR: webDir,
    CLUSTER_DRIVER: 'embedded',
    ...settings,
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  let api: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  const running = () => [api, worker].filter((child): child is ChildProcess => child !== undefined);
  let apiStarts = 0;
  const startApi = () => runTs('src/main/api.ts', env, `journey-api-${++apiStarts}.log`);
  try {
    const demo = await seed(env);
    api = startApi();
    worker = runTs('src/main/worker.ts', env, 'journey-worker.log');
    await waitForHealth(baseUrl, running(), 60_000);
    return {
      baseUrl,
      database,
      demo,
      async stopApi() {
        if (api) await stopProcess(api);
      },
      async startApi() {
        api = startApi();
        await waitForHealth(baseUrl, running(), 60_000);
      },
      async stop() {
        await Promise.all(running().map(stopProcess));
        await database.drop();
      },
    };
  } catch (error) {
    await Promise.all(running().map(stopProcess));
    await database.drop();
    throw error;
  }
}
