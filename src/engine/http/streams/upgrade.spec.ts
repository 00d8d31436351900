/**
 * ApiHandler.upgrade on a real node:http server and a raw TCP client playing kubectl's WebSocket side: exec with
 * the channel protocol, a terminal shell, the refusals before switching protocols, and log follow over HTTP.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../clock/clock';
import { createCluster } from '../../cluster';
import { ApiHandler } from '../handler';
import { CHANNEL } from './exec-channels';
import { encodeFrame, FrameParser, OPCODE, type WebSocketMessage } from './websocket-frames';

const MASK = Buffer.from([9, 8, 7, 6]);

describe('stream upgrades (exec, attach, port-forward) and logs -f on ApiHandler', () => {
  const clock = new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0));
  const cluster = createCluster({ seed: 1, clock });
  const handler = new ApiHandler({ cluster, address: () => '127.0.0.1:0' });
  const server = http.createServer(handler.handle);
  server.on('upgrade', handler.upgrade);
  let port = 0;

  beforeAll(async () => {
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    } as never);
    clock.advance(60_000);
    cluster.sync();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    handler.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Sends a raw upgrade request; resolves with the response head and a reader of what follows. */
  function upgrade(
    path: string,
    headers: Record<string, string>,
    method = 'GET',
  ): Promise<{
    head: string;
    socket: net.Socket;
    messages: () => Promise<WebSocketMessage[]>;
    /** The messages received so far (the connection still open). */
    soFar: () => WebSocketMessage[];
    body: string;
  }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let buffered = Buffer.alloc(0);
      const parser = new FrameParser(1 << 20, false);
      const messages: WebSocketMessage[] = [];
      let ended = false;
      let wake: (() => void) | undefined;
      let resolved = false;
      socket.on('data', (chunk: Buffer) => {
        if (!resolved) {
          buffered = Buffer.concat([buffered, chunk]);
          const end = buffered.indexOf('\r\n\r\n');
          if (end < 0) return;
          resolved = true;
          const head = buffered.subarray(0, end).toString();
          const rest = buffered.subarray(end + 4);
          if (head.startsWith('HTTP/1.1 101')) messages.push(...parser.push(rest));
          ended = messages.some((m) => m.opcode === OPCODE.close);
          resolve({
            head,
            socket,
            body: rest.toString(),
            soFar: () => messages,
            messages: () =>
              new Promise((done) => {
                const check = () => (ended ? done(messages) : (wake = check));
                check();
              }),
          });
          return;
        }
        messages.push(...parser.push(chunk));
        if (messages.some((m) => m.opcode === OPCODE.close)) {
          ended = true;
          socket.end();
        }
        wake?.();
      });
      socket.on('error', reject);
      const lines = Object.entries({ Host: `127.0.0.1:${port}`, Connection: 'Upgrade', ...headers }).map(
        ([k, v]) => `${k}: ${v}`,
      );
      socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
    });
  }

  const ws = {
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
  };
  const output = (messages: WebSocketMessage[], channel: number) =>
    Buffer.concat(
      messages
        .filter((m) => m.opcode === OPCODE.binary && m.payload[0] === channel)
        .map((m) => m.payload.subarray(1)),
    ).toString();

  it('switches to v5.channel.k8s.io and runs the command: output on channel 1, Status on 3', async () => {
    const exec = await upgrade(
      '/api/v1/namespaces/default/pods/web/exec?command=sh&command=-c&command=exit%207&stdout=true&stderr=true',
      ws,
    );
    expect(exec.head).toContain('HTTP/1.1 101 Switching Protocols');
    expect(exec.head).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(exec.head).toContain('Sec-WebSocket-Protocol: v5.channel.k8s.io');
    const messages = await exec.messages();
    expect(JSON.parse(output(messages, CHANNEL.error))).toMatchObject({
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
  });

  it('reads stdin until the v5 close signal, then runs', async () => {
    const exec = await upgrade(
      '/api/v1/namespaces/default/pods/web/exec?command=cat&stdin=true&stdout=true',
      ws,
    );
    exec.socket.write(encodeFrame(OPCODE.binary, Buffer.from('\x00piped\n'), MASK));
    exec.socket.write(encodeFrame(OPCODE.binary, Buffer.from([CHANNEL.close, CHANNEL.stdin]), MASK));
    const messages = await exec.messages();
    expect(output(messages, CHANNEL.stdout)).toBe('piped\n');
    expect(JSON.parse(output(messages, CHANNEL.error))).toEqual({ metadata: {}, status: 'Success' });
  });

  it('gives a terminal shell its prompt, echo and exit', async () => {
    const exec = await upgrade(
      '/api/v1/namespaces/default/pods/web/exec?command=bash&stdin=true&stdout=true&tty=true',
      ws,
    );
    exec.socket.write(encodeFrame(OPCODE.binary, Buffer.from('\x00echo hi\rexit\r'), MASK));
    const messages = await exec.messages();
    expect(output(messages, CHANNEL.stdout)).toBe(
      'root@web:/# echo hi\r\nhi\r\nroot@web:/# exit\r\nexit\r\n',
    );
    expect(JSON.parse(output(messages, CHANNEL.error)).status).toBe('Success');
  });

  it('forwards a port with the channel protocol (@kubernetes/client-node): port numbers first, then the answer', async () => {
    const forward = await upgrade('/api/v1/namespaces/default/pods/web/portforward?ports=80', {
      ...ws,
      'Sec-WebSocket-Protocol': 'v4.channel.k8s.io',
    });
    expect(forward.head).toContain('Sec-WebSocket-Protocol: v4.channel.k8s.io');
    forward.socket.write(
      encodeFrame(OPCODE.binary, Buffer.from('\x00GET / HTTP/1.1\r\nHost: web\r\n\r\n'), MASK),
    );
    // The client closes once the whole page is in (waiting on the answer, not on a timer).
    const received = () =>
      Buffer.concat(forward.soFar().map((m) => m.payload.subarray(1))).toString('latin1');
    for (let i = 0; i < 500 && !received().includes('</html>'); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    forward.socket.write(encodeFrame(OPCODE.close, Buffer.from([0x03, 0xe8]), MASK));
    const messages = (await forward.messages()).filter((m) => m.opcode === OPCODE.binary);
    expect(messages.slice(0, 2).map((m) => [...m.payload])).toEqual([
      [0, 80, 0],
      [1, 80, 0],
    ]);
    const answer = Buffer.concat(messages.slice(2).map((m) => m.payload.subarray(1))).toString();
    expect(answer).toMatch(
      /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/html\r\nContent-Length: \d+\r\n\r\n<!DOCTYPE html>/,
    );
    expect(answer).toContain('<title>Welcome to nginx!</title>');
  });

  it('sends the kubelet error on the error channel for a port nobody listens on, then closes', async () => {
    const forward = await upgrade('/api/v1/namespaces/default/pods/web/portforward?ports=81', {
      ...ws,
      'Sec-WebSocket-Protocol': 'v4.channel.k8s.io',
    });
    forward.socket.write(encodeFrame(OPCODE.binary, Buffer.from('\x00GET / HTTP/1.1\r\n\r\n'), MASK));
    const messages = (await forward.messages()).filter((m) => m.opcode === OPCODE.binary);
    expect(output(messages.slice(2), 1)).toMatch(
      /^error forwarding port 81 to pod [0-9a-f]{64}, uid : exit status 1: .* E connect\(5, AF=2 127\.0\.0\.1:81, 16\): Connection refused\n$/,
    );
  });

  it.each([
    [
      'a missing pod',
      '/api/v1/namespaces/default/pods/nope/exec?command=ls&stdout=true',
      ws,
      'GET',
      404,
      'pods "nope" not found',
    ],
    [
      'no command',
      '/api/v1/namespaces/default/pods/web/exec?stdout=true',
      ws,
      'GET',
      400,
      'you must specify at least one command for the container',
    ],
    [
      'another container',
      '/api/v1/namespaces/default/pods/web/exec?command=ls&container=x&stdout=true',
      ws,
      'GET',
      400,
      'container x is not valid for pod web',
    ],
    [
      'an unknown subprotocol',
      '/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true',
      { ...ws, 'Sec-WebSocket-Protocol': 'v1.channel.k8s.io' },
      'GET',
      403,
      'unable to upgrade: unable to negotiate protocol',
    ],
    [
      'a SPDY port-forward without its protocol',
      '/api/v1/namespaces/default/pods/web/portforward',
      { Upgrade: 'SPDY/3.1' },
      'POST',
      403,
      'unable to negotiate protocol',
    ],
    [
      'a resource that does not stream',
      '/api/v1/namespaces/default/pods/web/log',
      ws,
      'GET',
      400,
      'Upgrade request required',
    ],
  ])('refuses %s before switching protocols', async (_what, path, headers, method, code, message) => {
    const answer = await upgrade(path, headers, method);
    expect(answer.head.split('\r\n')[0]).toBe(`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}`);
    await new Promise((resolve) => answer.socket.once('close', resolve));
    expect((JSON.parse(answer.body) as { message: string }).message).toContain(message);
  });

  it('answers a plain request on exec with 400 Upgrade request required', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods/web/exec?command=ls`, {
      method: 'POST',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe('Upgrade request required');
  });

  it('refuses a request without the token when one is required, as any request', async () => {
    const guarded = new ApiHandler({ cluster, token: 'secret', address: () => '127.0.0.1:0' });
    server.removeAllListeners('upgrade');
    server.on('upgrade', guarded.upgrade);
    try {
      const answer = await upgrade('/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true', ws);
      expect(answer.head.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
    } finally {
      server.removeAllListeners('upgrade');
      server.on('upgrade', handler.upgrade);
    }
  });

  it('follows a log as the clock moves, and ends it when the client leaves', async () => {
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods/web/log?follow=true`, {
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(handler.openStreams).toBe(1);
    controller.abort();
    for (let i = 0; i < 50 && handler.openStreams > 0; i++) {
      clock.advance(1000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(handler.openStreams).toBe(0);
  });
});
