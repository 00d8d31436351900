/** What bench:floor's processes pass each other, and the environment they share. */

/** A student's command as the client sends it (the front adds the socket the answer goes to). */
export interface FloorRun {
  id: number;
  command: string;
}

/** What the worker publishes when a command has run. */
export interface FloorDone {
  id: number;
  socket: string;
  output: string;
  code: number;
}

export function floorEnv(): { redisUrl: string; queueName: string; channel: string; databaseUrl?: string } {
  const redisUrl = process.env.FLOOR_REDIS_URL;
  const queueName = process.env.FLOOR_QUEUE;
  const channel = process.env.FLOOR_CHANNEL;
  if (!redisUrl || !queueName || !channel)
    throw new Error('FLOOR_REDIS_URL, FLOOR_QUEUE and FLOOR_CHANNEL are set by bench/floor.bench.ts');
  return { redisUrl, queueName, channel, databaseUrl: process.env.FLOOR_DATABASE_URL || undefined };
}

/** The output every command answers with: `kubectl get pods` on the first lab's three pods (240 bytes). */
export const FLOOR_OUTPUT = [
  'NAME                          READY   STATUS    RESTARTS   AGE',
  'yanwei.app-5b7c9d6f4d-2xkqz   1/1     Running   0          4m12s',
  'yanwei.app-5b7c9d6f4d-8hj5n   1/1     Running   0          4m12s',
  'yanwei.app-5b7c9d6f4d-qv7rt   1/1     Running   0          4m12s',
  '',
].join('\n');
