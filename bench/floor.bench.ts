/**
 * `npm run bench:floor`: what Kubelab's architecture costs per command with none of Kubelab's code in it — the
 * floor under bench:commands and bench:capacity. A student's command goes from a socket.io client over a
 * websocket to a front process, which queues it as a BullMQ job; a worker process takes the job, stores the run
 * with one INSERT (BENCH_RECORD=0 leaves that out) and publishes a fixed `kubectl get pods` answer on Redis; the
 * front relays it to the socket as an output event and an exit event (bench/floor/). No authentication,
 * admission, cluster, grading, history or rooms: everything Kubelab adds to a command is left out, so the
 * figures are a lower bound on what the platform can cost.
 *
 * For each class size in BENCH_STUDENTS (default 200,1000), every student sends one command a second (spread
 * evenly over the second) for BENCH_WARMUP_SECONDS (3) and then BENCH_SECONDS (20) measured; printed: commands
 * per second, submit → exit p50/p99, commands without an exit, and CPU milliseconds per command of the front,
 * the worker, Redis (a private redis-server started for the run), the database's PostgreSQL backends and this
 * process's clients, from /proc; then the ceiling those imply: with every core busy and nothing else running,
 * `cores × 1000 / total` commands a second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { dropDatabase, ensureDatabaseExists, withDatabase } from '../src/infra/database/postgres-server';
import { TEST_POSTGRES_SERVER_URL } from '../test/support/database';
import { freePort } from '../test/support/platform';
import { machineCpuMs, processCpuMs } from './support/cpu';
import { positiveIntegerEnv } from './support/env';
import { load, percentile } from './support/stats';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PLATFORM_NODE_FLAGS } = require('../scripts/lib/node-flags.cjs') as { PLATFORM_NODE_FLAGS: string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require('../scripts/lib/setup.cjs') as { ensurePostgres(): Promise<void> };

const ROOT = path.resolve(__dirname, '..');
const CORES = availableParallelism();
const SECONDS = positiveIntegerEnv('BENCH_SECONDS', 20);
const WARMUP_SECONDS = positiveIntegerEnv('BENCH_WARMUP_SECONDS', 3);
const RECORD = process.env.BENCH_RECORD !== '0';
const STEPS = (process.env.BENCH_STUDENTS ?? '200,1000').split(',').map((text) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`BENCH_STUDENTS is a comma-separated list of class sizes, not "${text}"`);
  return value;
});
/** How long a command may still take to answer once the class stops sending. */
const DRAIN_MS = 10_000;

/** Resolves with the first line the child prints that matches `pattern`; rejects if it exits first. */
function lineFrom(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = pattern.exec(buffered);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
  });
}

async function startRedis(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child.once('error', (error) => {
    throw new Error(`bench:floor starts a private redis-server and could not: ${error.message}`);
  });
  await lineFrom(child, /Ready to accept connections/, 'redis-server');
  return { url: `redis://127.0.0.1:${port}`, child };
}

async function createDatabase(): Promise<string> {
  await setup.ensurePostgres();
  const url = withDatabase(TEST_POSTGRES_SERVER_URL, `kubelab_floor_${randomBytes(4).toString('hex')}`);
  await ensureDatabaseExists(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  // The columns a command record needs at least, keyed like the platform's (one index to maintain).
  await client.query(
    `CREATE TABLE floor_runs (id bigint PRIMARY KEY, command text NOT NULL, output text NOT NULL,
       exit_code integer NOT NULL, ended_at timestamptz NOT NULL DEFAULT now())`,
  );
  await client.end();
  return url;
}

function startProcess(file: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [...PLATFORM_NODE_FLAGS, '-r', './scripts/swc-register.cjs', file], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

interface Costs {
  front: number;
  worker: number;
  redis: number;
  postgres: Map<number, number>;
  clients: number;
  machineBusy: number;
  machineTotal: number;
}

class Floor {
  private readonly sockets: Socket[] = [];
  private readonly sentAt = new Map<number, number>();
  private latencies: number[] = [];
  private nextId = 1;

  constructor(
    private readonly url: string,
    private readonly pids: { front: number; worker: number; redis: number },
    private readonly databaseUrl: string | undefined,
  ) {}

  async growTo(students: number): Promise<void> {
    while (this.sockets.length < students) {
      const socket = io(this.url, { transports: ['websocket'], forceNew: true, reconnection: false });
      socket.on('exit', ({ id }: { id: number }) => {
        const sent = this.sentAt.get(id);
        if (sent === undefined) return;
        this.sentAt.delete(id);
        this.latencies.push(performance.now() - sent);
      });
      this.sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
    }
  }

  /** Every socket sends one command a second, spread over the second, for `seconds`. */
  async drive(seconds: number): Promise<number> {
    const students = this.sockets.length;
    const timers: NodeJS.Timeout[] = [];
    let sent = 0;
    const send = (socket: Socket) => {
      const id = this.nextId++;
      this.sentAt.set(id, performance.now());
      socket.emit('run', { id, command: 'kubectl get pods' });
      sent++;
    };
    this.sockets.forEach((socket, i) =>
      timers.push(
        setTimeout(
          () => {
            send(socket);
            timers.push(setInterval(() => send(socket), 1000));
          },
          (i * 1000) / students,
        ),
      ),
    );
    await sleep(seconds * 1000);
    for (const timer of timers) clearTimeout(timer);
    return sent;
  }

  async measure(students: number): Promise<string> {
    await this.growTo(students);
    await this.drive(WARMUP_SECONDS);
    this.latencies = [];
    const before = await this.costs();
    const started = performance.now();
    const sent = await this.drive(SECONDS);
    const elapsed = (performance.now() - started) / 1000;
    const after = await this.costs();
    const drainUntil = performance.now() + DRAIN_MS;
    while (this.sentAt.size > 0 && performance.now() < drainUntil) await sleep(50);
    const missing = this.sentAt.size;
    this.sentAt.clear();
    const per = (ms: number) => ms / sent;
    let postgres = 0;
    for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
    const parts: Array<[string, number]> = [
      ['front', after.front - before.front],
      ['worker', after.worker - before.worker],
      ['Redis', after.redis - before.redis],
      ...(this.databaseUrl ? [['PostgreSQL', postgres] as [string, number]] : []),
      ['clients', after.clients - before.clients],
    ];
    const total = parts.reduce((sum, [, ms]) => sum + ms, 0);
    const busy = (after.machineBusy - before.machineBusy) / (after.machineTotal - before.machineTotal);
    return [
      `  ${students} students: ${(sent / elapsed).toFixed(1)} commands/s, submit → exit p50 ${percentile(this.latencies, 50).toFixed(2)} ms p99 ${percentile(this.latencies, 99).toFixed(2)} ms, ${missing} without an exit`,
      `    CPU ms per command: ${parts.map(([name, ms]) => `${name} ${per(ms).toFixed(2)}`).join(', ')}; total ${per(total).toFixed(2)}; machine busy ${(busy * 100).toFixed(0)} %`,
      `    ceiling: ${CORES} cores × 1000 / ${per(total).toFixed(2)} ms = ${Math.floor((CORES * 1000) / per(total))} commands/s with every core busy`,
    ].join('\n');
  }

  private async costs(): Promise<Costs> {
    const postgres = new Map<number, number>();
    if (this.databaseUrl) {
      const client = new Client({ connectionString: this.databaseUrl });
      await client.connect();
      const { rows } = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      await client.end();
      for (const { pid } of rows) postgres.set(pid, processCpuMs(pid));
    }
    const self = process.cpuUsage();
    const machine = machineCpuMs();
    return {
      front: processCpuMs(this.pids.front),
      worker: processCpuMs(this.pids.worker),
      redis: processCpuMs(this.pids.redis),
      postgres,
      clients: (self.user + self.system) / 1000,
      machineBusy: machine.busy,
      machineTotal: machine.total,
    };
  }

  close(): void {
    for (const socket of this.sockets) socket.disconnect();
  }
}

async function main(): Promise<void> {
  const redis = await startRedis();
  const databaseUrl = RECORD ? await createDatabase() : undefined;
  const env = {
    FLOOR_REDIS_URL: redis.url,
    FLOOR_QUEUE: 'floor',
    FLOOR_CHANNEL: 'floor:done',
    FLOOR_DATABASE_URL: databaseUrl ?? '',
  };
  const front = startProcess('bench/floor/front.ts', env);
  const worker = startProcess('bench/floor/back.ts', env);
  const children = [front, worker, redis.child];
  let floor: Floor | undefined;
  try {
    const [, port] = await lineFrom(front, /listening (\d+)/, 'the front process');
    await lineFrom(worker, /ready/, 'the worker process');
    floor = new Floor(
      `http://127.0.0.1:${port}`,
      { front: front.pid!, worker: worker.pid!, redis: redis.child.pid! },
      databaseUrl,
    );
    process.stdout.write(
      `bench:floor — socket.io → BullMQ → worker${RECORD ? ' → INSERT' : ''} → Redis pub/sub → socket.io, ` +
        `nothing of Kubelab; ${SECONDS} s measured per class size after ${WARMUP_SECONDS} s; ${CORES} cores; ` +
        `node flags ${PLATFORM_NODE_FLAGS.join(' ')}\n`,
    );
    for (const students of STEPS) process.stdout.write(`${await floor.measure(students)}\n`);
    process.stdout.write(`load average (1, 5, 15 min): ${load()}\n`);
  } finally {
    floor?.close();
    for (const child of children) child.kill('SIGTERM');
    await sleep(500);
    if (databaseUrl) await dropDatabase(databaseUrl).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench:floor: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
