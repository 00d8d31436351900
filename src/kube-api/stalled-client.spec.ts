import { once } from 'node:events';
import * as net from 'node:net';
import { PassThrough } from 'node:stream';
import { relayToClient } from './stalled-client';

const MiB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** A loopback connection: the server's socket (where the relayed answer goes) and the client's. */
async function connection(): Promise<{ server: net.Socket; client: net.Socket; close(): void }> {
  const listener = net.createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const accepted = once(listener, 'connection') as Promise<[net.Socket]>;
  const client = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
  const [server] = await accepted;
  return {
    server,
    client,
    close: () => {
      server.destroy();
      client.destroy();
      listener.close();
    },
  };
}

/** An answer of `bytes` from the relay, written as fast as its reader takes it (backpressure respected). */
function answer(bytes: number): PassThrough {
  const source = new PassThrough();
  let left = bytes;
  const pump = () => {
    while (left > 0) {
      left -= CHUNK.length;
      const more = source.write(CHUNK);
      if (left <= 0) source.end();
      if (!more) return void source.once('drain', pump);
    }
  };
  pump();
  return source;
}

describe('relayToClient', () => {
  it('cuts off a client that never reads, holding no more than a high-water mark meanwhile', async () => {
    const { server, client, close } = await connection();
    try {
      client.pause();
      // More than the kernel's buffers on both sides take, so the client's side fills up.
      const source = answer(32 * MiB);
      let stalledWith: { socket: number; source: number } | undefined;
      const cut = new Promise<void>((resolve) =>
        relayToClient(source, server, 300, () => {
          stalledWith = { socket: server.writableLength, source: source.readableLength };
          server.destroy();
          source.destroy();
          resolve();
        }),
      );
      await cut;
      // The relay was paused: what waits in user space is one write past the mark on each side, not the answer.
      expect(stalledWith!.socket).toBeLessThanOrEqual(server.writableHighWaterMark + CHUNK.length);
      expect(stalledWith!.source).toBeLessThanOrEqual(source.readableHighWaterMark + CHUNK.length);
    } finally {
      close();
    }
  });

  it('keeps a slow client that drains, and hands it the whole answer', async () => {
    const { server, client, close } = await connection();
    try {
      let received = 0;
      client.on('data', (chunk: Buffer) => {
        received += chunk.length;
        // Reads a little, then nothing for a moment: slow, but never stuck for the stall time.
        client.pause();
        setTimeout(() => client.resume(), 2);
      });
      const ended = once(client, 'end');
      let cut = false;
      relayToClient(answer(8 * MiB), server, 5000, () => {
        cut = true;
        server.destroy();
      });
      await ended;
      expect({ cut, received }).toEqual({ cut: false, received: 8 * MiB });
    } finally {
      close();
    }
  });
});
