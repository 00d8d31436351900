/**
 * bench:floor's front process, the least an API process must do per command in Kubelab's architecture: take the
 * command from the student's websocket, queue it as a BullMQ job, and relay what the worker publishes back to that
 * socket as two events (the output, then the exit). No authentication, admission, records or rooms.
 * Environment: FLOOR_REDIS_URL, FLOOR_QUEUE, FLOOR_CHANNEL. Prints `listening <port>` on stdout when ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Server } from 'socket.io';
import { floorEnv, type FloorDone, type FloorRun } from './protocol';

const { redisUrl, queueName, channel } = floorEnv();
const queue = new Queue(queueName, { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }) });
const subscriber = new Redis(redisUrl);
const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  socket.on('run', (run: FloorRun) => {
    void queue.add('run', { ...run, socket: socket.id }, { removeOnComplete: true, removeOnFail: 1000 });
  });
});

subscriber.on('message', (_channel: string, text: string) => {
  const done = JSON.parse(text) as FloorDone;
  const socket = io.sockets.sockets.get(done.socket);
  if (!socket) return;
  socket.emit('output', { id: done.id, data: done.output });
  socket.emit('exit', { id: done.id, code: done.code });
});

void subscriber.subscribe(channel).then(() =>
  http.listen(0, '127.0.0.1', () => {
    process.stdout.write(`listening ${(http.address() as AddressInfo).port}\n`);
  }),
);

process.on('SIGTERM', () => {
  io.close();
  void Promise.allSettled([queue.close(), subscriber.quit()]).then(() => process.exit(0));
});
