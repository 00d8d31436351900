/**
 * bench:floor's worker process, the least a worker must do per command: take the BullMQ job, store the run
 * (one INSERT through `pg`, when FLOOR_DATABASE_URL is set) and publish the output and exit for the front to
 * relay. The command itself is not run: its answer is a fixed `kubectl get pods` table.
 */
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { FLOOR_OUTPUT, floorEnv, type FloorDone, type FloorRun } from './protocol';

const { redisUrl, queueName, channel, databaseUrl } = floorEnv();
const publisher = new Redis(redisUrl);
const pool = databaseUrl ? new Pool({ connectionString: databaseUrl, max: 10 }) : undefined;

const worker = new Worker(
  queueName,
  async (job) => {
    const run = job.data as FloorRun & { socket: string };
    if (pool)
      await pool.query('INSERT INTO floor_runs (id, command, output, exit_code) VALUES ($1, $2, $3, 0)', [
        run.id,
        run.command,
        FLOOR_OUTPUT,
      ]);
    const done: FloorDone = { id: run.id, socket: run.socket, output: FLOOR_OUTPUT, code: 0 };
    await publisher.publish(channel, JSON.stringify(done));
  },
  {
    connection: new Redis(redisUrl, { maxRetriesPerRequest: null }),
    // As many jobs at once as the platform's worker runs commands (WORKER_CONCURRENCY's default).
    concurrency: Number(process.env.FLOOR_CONCURRENCY ?? 50),
    lockDuration: 10_000,
    stalledInterval: 5000,
  },
);
worker.on('error', (error) => process.stderr.write(`floor worker: ${error.message}\n`));
void worker.waitUntilReady().then(() => process.stdout.write('ready\n'));

process.on('SIGTERM', () => {
  void Promise.allSettled([worker.close(), publisher.quit(), pool?.end()]).then(() => process.exit(0));
});
