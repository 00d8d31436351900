import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { io, Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/shared/events';
import { RedisConnections } from '../../src/infra/redis/redis-connections';
import { uniquePrefix } from './api';
import { contentKey, createTestDatabase, DatabaseTemplate, MIGRATED, TestDatabase } from './database';
import { DEMO_COURSE_TITLE } from '../../src/services/seed.service';

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER = ['-r', './scripts/swc-register.cjs'];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PLATFORM_NODE_FLAGS } = require('../../scripts/lib/node-flags.cjs') as {
  PLATFORM_NODE_FLAGS: string[];
};

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  return port;
}

/** A process of the platform (API or worker) started exactly as in production, from source. */
export class PlatformProcess {
  child: ChildProcess | undefined;
  output = '';
  constructor(
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly nodeArgs: string[] = [],
  ) {}

  start(): void {
    this.child = spawn(
      process.execPath,
      [...PLATFORM_NODE_FLAGS, ...this.nodeArgs, ...REGISTER, this.entry],
      {
        cwd: ROOT,
        env: this.env,
      },
    );
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    // A process that has not shut down in 15 s is killed, so one slow shutdown cannot fail a suite's
    // clean-up; it is said on stderr, since a shutdown that slow is itself a fault to look at.
    const timer = setTimeout(() => {
      process.stderr.write(
        `platform process ${this.entry} did not stop within 15 s of ${signal}; killing it\n`,
      );
      child.kill('SIGKILL');
    }, 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Waits for `promise`; when it fails (a wait that timed out, usually), the error carries what the API and the
 * worker printed last, since that is where the cause of a lost event shows.
 */
export async function explainingFailure<T>(platform: TestPlatform, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    const tail = (text: string) => text.slice(-5000);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      message +
        platform.workers
          .map(
            (worker, index) =>
              `\n--- worker ${index} output (last 5000 characters) ---\n${tail(worker.output)}`,
          )
          .join('') +
        `\n--- API output (last 5000 characters) ---\n${tail(platform.api.output)}`,
    );
  }
}

export interface TestPlatform {
  baseUrl: string;
  db: TestDatabase;
  api: PlatformProcess;
  /** The first worker process (the only one unless `workers` asked for more). */
  worker: PlatformProcess;
  /** Every worker process, the first one included. */
  workers: PlatformProcess[];
  courseId: string;
  joinCode: string;
  env: NodeJS.ProcessEnv;
  restartWorker(signal?: NodeJS.Signals): Promise<void>;
  restartApi(): Promise<void>;
  /** Starts one more API instance on the same database and Redis; returns its base URL. */
  addApiInstance(): Promise<string>;
  /** Starts one more worker process on the same database and Redis (it joins the worker directory). */
  addWorker(extraEnv?: Record<string, string>): PlatformProcess;
  stop(): Promise<void>;
}

async function waitForHealth(
  baseUrl: string,
  processes: PlatformProcess[],
  // A guard, not a speed check: a loaded machine compiles and starts both processes slowly (over 40 s seen).
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(
    `platform did not become healthy:\n${processes
      .map((p) => p.output)
      .join('\n')
      .slice(-4000)}`,
  );
}

const seededTemplates = new Map<string, DatabaseTemplate>();

/**
 * The database every platform starts from: migrated and seeded with the demo course (src/main/seed.ts, run once per
 * content). Its key covers the migrations, the sources the seed runs and the labs it offers.
 */
function seededTemplate(labsDir: string): DatabaseTemplate {
  let template = seededTemplates.get(labsDir);
  if (!template) {
    template = {
      key: `s${contentKey(path.join(ROOT, 'prisma', 'migrations'), path.join(ROOT, 'src'), labsDir)}`,
      build: async (url) => {
        await MIGRATED.build(url);
        const seeded = spawnSync(process.execPath, [...REGISTER, 'src/main/seed.ts'], {
          cwd: ROOT,
          env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: url, LABS_DIR: labsDir },
          encoding: 'utf8',
        });
        if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
      },
    };
    seededTemplates.set(labsDir, template);
  }
  return template;
}

/**
 * The real platform as separate API and worker processes on a throwaway PostgreSQL database and
 * the real Redis (under a unique key prefix), seeded with the demo course.
 */
export async function startPlatform(
  extraEnv: Record<string, string> = {},
  options: {
    nodeArgs?: string[];
    /** How many worker processes to start (default 1). */
    workers?: number;
    /** The PostgreSQL server to create the platform's database on (default: the shared test server). */
    postgresServerUrl?: string;
  } = {},
): Promise<TestPlatform> {
  const labsDir = path.resolve(ROOT, extraEnv.LABS_DIR ?? 'labs');
  const db = await createTestDatabase(options.postgresServerUrl, seededTemplate(labsDir));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: db.url,
    REDIS_PREFIX: uniquePrefix(),
    PORT: String(port),
    HOST: '127.0.0.1',
    WEB_DIR: '.tmp/no-web-client',
    LOGIN_MAX_ATTEMPTS_PER_IP: '10000',
    // PostgreSQL allows 100 connections in all, and two suites run at once, each with an API and a worker
    // (and some with a second API): at the default pool of 20 (+4), a restarted worker found none left and
    // died at start-up, so the runs of the worker it replaced were never ended.
    DATABASE_POOL_SIZE: '4',
    ...extraEnv,
  };
  const [demo] = (await db.prisma.$queryRawUnsafe(
    'SELECT id AS "courseId", join_code AS "joinCode" FROM courses WHERE title = $1',
    DEMO_COURSE_TITLE,
  )) as { courseId: string; joinCode: string }[];
  if (!demo) throw new Error('the seeded template holds no demo course');
  const api = new PlatformProcess('src/main/api.ts', env, options.nodeArgs);
  const worker = new PlatformProcess('src/main/worker.ts', env, options.nodeArgs);
  // Extra workers get a smaller database pool: PostgreSQL's 100 connections are shared by every suite running.
  const extraWorkerEnv = { ...env, DATABASE_POOL_SIZE: extraEnv.DATABASE_POOL_SIZE ?? '2' };
  const newWorker = (overrides: Record<string, string> = {}) =>
    new PlatformProcess('src/main/worker.ts', { ...extraWorkerEnv, ...overrides }, options.nodeArgs);
  const workers = [
    worker,
    ...Array.from({ length: Math.max(0, (options.workers ?? 1) - 1) }, () => newWorker()),
  ];
  api.start();
  for (const each of workers) each.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  const extraApis: PlatformProcess[] = [];
  try {
    // Each extra worker compiles and starts beside the others: on a loaded machine that takes longer.
    await waitForHealth(baseUrl, [api, ...workers], 90_000 + 45_000 * (workers.length - 1));
  } catch (error) {
    // Processes that never became healthy are not left running after the suite.
    await Promise.all([api, ...workers].map((each) => each.stop('SIGKILL')));
    await db.drop().catch(() => undefined);
    throw error;
  }
  return {
    baseUrl,
    db,
    api,
    worker,
    workers,
    env,
    courseId: demo.courseId,
    joinCode: demo.joinCode,
    async restartWorker(signal: NodeJS.Signals = 'SIGTERM') {
      await worker.stop(signal);
      worker.start();
    },
    async restartApi() {
      await api.stop();
      api.start();
      await waitForHealth(baseUrl, [api, ...workers]);
    },
    addWorker(overrides: Record<string, string> = {}) {
      const added = newWorker(overrides);
      added.start();
      workers.push(added);
      return added;
    },
    async addApiInstance() {
      const extraPort = await freePort();
      const extra = new PlatformProcess(
        'src/main/api.ts',
        { ...env, PORT: String(extraPort) },
        options.nodeArgs,
      );
      extra.start();
      extraApis.push(extra);
      const url = `http://127.0.0.1:${extraPort}`;
      await waitForHealth(url, [extra]);
      return url;
    },
    async stop() {
      await Promise.all([
        api.stop(),
        ...workers.map((each) => each.stop()),
        ...extraApis.map((extra) => extra.stop()),
      ]);
      await db.drop();
      await removeRedisKeys(env.REDIS_URL ?? 'redis://127.0.0.1:6379', env.REDIS_PREFIX as string);
    },
  };
}

/** The platform's Redis keys (its prefix is unique to it), so test runs leave the shared Redis as they found it. */
async function removeRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new RedisConnections({ redisUrl: url }).open('command', 'test clean-up');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function login(baseUrl: string, email: string, password = 'kubelab-demo'): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

export async function api<T>(baseUrl: string, cookie: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${baseUrl}/api${route}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, text };
}

export async function connect(baseUrl: string, cookie?: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return socket;
}

/** Records every server event a socket receives, in order, and lets tests wait for one. */
export class EventLog {
  readonly events: { name: keyof ServerToClientEvents; payload: Record<string, unknown>; at: number }[] = [];
  private waiters: { match: (e: EventLog['events'][number]) => boolean; resolve: () => void }[] = [];
  /** Why the socket closed, if it did: a wait that times out says so, since no event can come after. */
  private closedBecause: string | undefined;

  private readonly record = (name: keyof ServerToClientEvents, payload: Record<string, unknown>) => {
    const event = { name, payload, at: Date.now() };
    this.events.push(event);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.match(event)) return true;
      waiter.resolve();
      return false;
    });
  };

  constructor(private readonly socket: ClientSocket) {
    socket.on('disconnect', (reason) => (this.closedBecause = `${reason} at ${new Date().toISOString()}`));
    socket.onAny(this.record);
  }

  /** Stops recording (a benchmark's students receive events for hours and keep none). */
  stop(): void {
    this.socket.offAny(this.record);
  }

  of(runId: string) {
    return this.events.filter((event) => event.payload.runId === runId);
  }

  async waitFor(
    match: (event: EventLog['events'][number]) => boolean,
    timeoutMs = 20_000,
    what = 'event',
  ): Promise<void> {
    if (this.events.some(match)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const closed = this.closedBecause ? ` (the socket closed: ${this.closedBecause})` : '';
        reject(new Error(`timed out waiting for ${what}${closed}`));
      }, timeoutMs);
      this.waiters.push({
        match,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  exitOf(runId: string, timeoutMs = 20_000) {
    return this.waitFor(
      (e) => e.name === 'command.exit' && e.payload.runId === runId,
      timeoutMs,
      `exit of ${runId}`,
    ).then(
      () =>
        this.events.find((e) => e.name === 'command.exit' && e.payload.runId === runId)?.payload as {
          exitCode: number;
          status: string;
          note?: string;
          truncated: boolean;
        },
    );
  }

  outputOf(runId: string): string {
    return this.of(runId)
      .filter((event) => event.name === 'command.output')
      .map((event) => event.payload.data as string)
      .join('');
  }
}

export interface EnrolledStudent {
  cookie: string;
  socket: ClientSocket;
  log: EventLog;
  labSessionId: string;
}

/**
 * A new student who registers with the demo course's join code, opens a lab (starting its cluster)
 * and joins the session's room over the websocket.
 */
export async function enrolledStudent(
  platform: Pick<TestPlatform, 'baseUrl' | 'courseId' | 'joinCode'>,
  email: string,
  labId = 'lec7-k8s-basics',
): Promise<EnrolledStudent> {
  const registered = await fetch(`${platform.baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email,
      password: 'student-password',
      displayName: email.split('@')[0],
      joinCode: platform.joinCode,
    }),
  });
  if (registered.status !== 201)
    throw new Error(`register ${email}: ${registered.status} ${await registered.text()}`);
  const cookie = (registered.headers.get('set-cookie') ?? '').split(';')[0];
  const session = await api<{ id: string }>(
    platform.baseUrl,
    cookie,
    'POST',
    `/courses/${platform.courseId}/labs/${labId}/session`,
  );
  if (session.status !== 200) throw new Error(`start lab for ${email}: ${session.status} ${session.text}`);
  const socket = await connect(platform.baseUrl, cookie);
  const log = new EventLog(socket);
  const joined = await socket.emitWithAck('session.join', { labSessionId: session.body.id });
  if (!joined.ok) throw new Error(`join for ${email}: ${joined.message}`);
  return { cookie, socket, log, labSessionId: session.body.id };
}
