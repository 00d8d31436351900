import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../clock/clock';
import { createCluster } from '../cluster';
import { ApiHandler } from './handler';

/** Polls `condition` every 10 ms for up to 5 s (a loaded machine delivers socket events late). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Watches over HTTP: resuming from a resourceVersion, 410 Expired, bookmarks, and a client that stops reading. */
describe('engine serve watches', () => {
  const cluster = createCluster({ seed: 1, clock: new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0)) });
  const BACKLOG = 64 * 1024;
  const handler = new ApiHandler({
    cluster,
    address: () => '127.0.0.1:0',
    watchLimits: { historyEvents: 20, backlogBytes: BACKLOG },
  });
  const server = http.createServer(handler.handle);
  let port = 0;
  const startRv = cluster.revision;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    handler.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const CM = '/api/v1/namespaces/default/configmaps';
  const cm = (name: string, data: Record<string, string> = { a: '1' }) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

  function call(method: string, path: string, body?: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Opens a watch and collects its events until `count` have come or the stream ends. */
  function watch(
    query: string,
    count: number,
  ): Promise<{ type: string; object: { metadata?: { name?: string }; message?: string; code?: number } }[]> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: `${CM}?watch=true&${query}` }, (res) => {
        const chunks: Buffer[] = [];
        let newlines = 0;
        let finished = false;
        const done = () => {
          if (finished) return;
          finished = true;
          req.destroy();
          const text = Buffer.concat(chunks).toString();
          resolve(
            text
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l)),
          );
        };
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          for (const byte of c) if (byte === 10) newlines++;
          if (newlines >= count) done();
        });
        res.on('end', done);
        res.on('close', done);
      });
      req.on('error', reject);
    });
  }

  it('replays the changes after a resourceVersion, with the selector applied, then streams', async () => {
    const first = (await call('POST', CM, cm('h1'))).metadata as { resourceVersion: string };
    await call('POST', CM, cm('h2'));
    await call('DELETE', `${CM}/h1`);
    const events = await watch(`resourceVersion=${first.resourceVersion}`, 2);
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED h2', 'DELETED h1']);
    const selected = await watch(
      `resourceVersion=${first.resourceVersion}&fieldSelector=metadata.name%3Dh2`,
      1,
    );
    expect(selected.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED h2']);
  });

  it('answers a resourceVersion older than the history with one 410 Expired ERROR event', async () => {
    // Older than what the server has seen since it started.
    const before = await watch(`resourceVersion=${startRv - 1}`, 1);
    expect(before).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${startRv - 1} (${startRv})`,
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
    // Push the first changes out of the 20-event history.
    const rv = Number(
      ((await call('POST', CM, cm('old'))).metadata as { resourceVersion: string }).resourceVersion,
    );
    for (let i = 0; i < 25; i++) await call('POST', CM, cm(`filler-${i}`));
    expect(handler.watches.history.size).toBe(20);
    const expired = await watch(`resourceVersion=${rv}`, 1);
    expect(expired[0].type).toBe('ERROR');
    expect(expired[0].object).toMatchObject({ code: 410, reason: 'Expired' });
    expect(expired[0].object.message).toMatch(new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`));
    // The most recent resourceVersion is still served.
    const recent = await watch(`resourceVersion=${cluster.revision - 1}`, 1);
    expect(recent[0].type).not.toBe('ERROR');
  });

  it('sends a BOOKMARK with the current resourceVersion when a bookmarked watch times out', async () => {
    const events = await watch(
      `resourceVersion=${cluster.revision}&allowWatchBookmarks=true&timeoutSeconds=1`,
      1,
    );
    expect(events).toEqual([
      {
        type: 'BOOKMARK',
        object: {
          kind: 'ConfigMap',
          apiVersion: 'v1',
          metadata: {
            resourceVersion: String(cluster.revision),
            annotations: { 'k8s.io/initial-events-end': 'true' },
          },
        },
      },
    ]);
  });

  it('cuts off a client that stops reading, keeps serving the others, and frees what it held', async () => {
    const big = 'x'.repeat(200 * 1024);
    // A client that never reads: its socket is paused as soon as the response starts (so it never sees the server
    // hang up either; what matters is the server's side).
    const stalled = http.get({
      host: '127.0.0.1',
      port,
      path: `${CM}?watch=true&resourceVersion=${cluster.revision}`,
    });
    stalled.on('response', (res) => {
      res.pause();
      res.socket.pause();
    });
    stalled.on('error', () => undefined);
    await new Promise((resolve) => stalled.on('response', resolve));
    const reader = watch(`resourceVersion=${cluster.revision}`, 40);
    await until(() => handler.watches.count === 2);
    expect(handler.watches.count).toBe(2);
    // The kernel's socket buffers take a few MB first; past them the server's queue grows, up to the limit.
    let peak = 0;
    let cutAfter = -1;
    for (let i = 0; i < 40; i++) {
      await call('POST', CM, cm(`big-${i}`, { big }));
      peak = Math.max(peak, handler.watches.bufferedBytes);
      if (cutAfter < 0 && handler.watches.count === 1) cutAfter = i;
    }
    // The reading client got every event; the stalled one was dropped before it held much more than the limit.
    expect((await reader).map((e) => e.object.metadata?.name)).toEqual(
      Array.from({ length: 40 }, (_, i) => `big-${i}`),
    );
    expect(cutAfter).toBeGreaterThan(0);
    expect(peak).toBeLessThan(BACKLOG + 2 * 200 * 1024);
    await until(() => handler.watches.count === 0);
    expect(handler.watches.count).toBe(0);
    expect(handler.watches.bufferedBytes).toBe(0);
    // The server still answers.
    expect((await call('GET', `${CM}/big-0`)).kind).toBe('ConfigMap');
    stalled.destroy();
  }, 30_000);
  it('holds 1,000 watches opened at once, forgets every one when its client drops it, and keeps serving', async () => {
    // Each watch on its own connection, as 1,000 kubectl -w would open them.
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    const requests = Array.from({ length: 1000 }, () => {
      const req = http.get({
        host: '127.0.0.1',
        port,
        agent,
        path: `${CM}?watch=true&resourceVersion=${cluster.revision}`,
      });
      req.on('error', () => undefined);
      return req;
    });
    await Promise.all(requests.map((req) => new Promise((resolve) => req.on('response', resolve))));
    expect(handler.watches.count).toBe(1000);
    // A change reaches the open watches while they are all there.
    expect((await call('POST', CM, cm('while-watched'))).kind).toBe('ConfigMap');
    for (const req of requests) req.destroy();
    for (let i = 0; i < 100 && handler.watches.count > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handler.watches.count).toBe(0);
    expect(handler.watches.bufferedBytes).toBe(0);
    expect((await call('GET', `${CM}/while-watched`)).kind).toBe('ConfigMap');
    agent.destroy();
  }, 30_000);
});
