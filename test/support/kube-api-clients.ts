/** Clients of a lab session's Kubernetes API for the e2e tests that kubectl cannot play: many watches, a stuck reader. */
import * as fs from 'node:fs';
import type { ClientRequest } from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';

export interface WatchAnswer {
  status: number;
  retryAfter?: string;
  /** The body of a refused watch (a Status). */
  body?: unknown;
}

/**
 * `count` watches of `url` opened at once through `agent`; each `answered` resolves with the status once the headers
 * are in (a watch that is admitted stays open until its request is destroyed).
 */
export function openWatches(
  url: string,
  token: string,
  agent: https.Agent,
  count: number,
): { req: ClientRequest; answered: Promise<WatchAnswer> }[] {
  return Array.from({ length: count }, () => {
    let req!: ClientRequest;
    const answered = new Promise<WatchAnswer>((resolve, reject) => {
      req = https.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        if (res.statusCode === 200) {
          res.on('data', () => undefined);
          resolve({ status: 200 });
          return;
        }
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'],
            body: JSON.parse(text),
          }),
        );
      });
      // Destroying an open watch at the end errors its request: only an error before the answer counts.
      req.on('error', reject);
    });
    return { req, answered };
  });
}

/** How many sockets a process holds open (connections of its listeners and clients), from /proc. */
export function socketsOf(pid: number | undefined): number {
  if (pid === undefined) throw new Error('the process is not running');
  const dir = `/proc/${pid}/fd`;
  return fs.readdirSync(dir).filter((fd) => {
    try {
      return fs.readlinkSync(`${dir}/${fd}`).startsWith('socket:');
    } catch {
      return false; // closed meanwhile
    }
  }).length;
}

/**
 * A client that sends one GET over TLS and then never reads its socket: what the server writes piles up in the
 * kernel's buffers and then in the server's. `drain()` starts reading at last and resolves once the server has closed
 * the connection (or rejects after `timeoutMs`), with what had been received.
 */
export async function neverReadingClient(
  url: string,
  token: string,
  ca: string,
): Promise<{ drain(timeoutMs: number): Promise<{ received: string; reset: boolean }> }> {
  const target = new URL(url);
  const socket = tls.connect({ host: target.hostname, port: Number(target.port), ca });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  socket.pause();
  socket.write(
    `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
      `Authorization: Bearer ${token}\r\nAccept: application/json\r\n\r\n`,
  );
  return {
    drain: (timeoutMs) =>
      new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let reset = false;
        const timer = setTimeout(() => {
          socket.destroy();
          reject(
            new Error(`the server kept the connection open (${Buffer.concat(chunks).length} bytes read)`),
          );
        }, timeoutMs);
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        // Closed with data unsent, the server's side resets the connection.
        socket.on('error', () => (reset = true));
        socket.once('close', () => {
          clearTimeout(timer);
          resolve({ received: Buffer.concat(chunks).toString('latin1'), reset });
        });
        socket.resume();
      }),
  };
}
