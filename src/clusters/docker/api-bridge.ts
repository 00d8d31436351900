/**
 * The Kubernetes API of a kubelab node container, reached through the Docker API only (issue 20): the node agent
 * serves its cluster's API on the container's loopback (src/node-agent/api-server.ts), and each connection to it is
 * a Docker exec of busybox's `nc 127.0.0.1 PORT` whose stdin and stdout carry the bytes (ExecSocket). Never the
 * container's address: the cluster network is internal, and the worker may not be on the Docker host at all.
 *
 * Why nc in an exec per connection: busybox's nc is already in the image, starts in about a millisecond and holds
 * about a megabyte (a node bridge would take tens of megabytes of the container's memory each), and a connection per
 * exec keeps HTTP/1.1 as it is, so the agent's server is the engine's own ApiHandler unchanged. Requests go
 * through one keep-alive pool per cluster (node:http's Agent, its sockets made by exec), so a kubectl invocation's
 * dozen requests reuse a few bridges instead of starting one each. Upgrades (exec, attach, port-forward over
 * WebSocket or SPDY) get a bridge of their own, which carries the upgraded stream both ways as raw bytes.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { DockerError, type DockerRepository } from '../../infra/docker/docker.repository';
import type { ExecSocket } from '../../infra/docker/exec-socket';
import { HttpStatus, statusFor } from '../../engine/http/status';
import { AGENT_API_PORT } from '../../node-agent/protocol';

export const API_BRIDGE_ARGV = ['nc', '127.0.0.1', String(AGENT_API_PORT)];

/**
 * Open bridges of one cluster at most (each is an nc process counted in the container's pids limit, 256 by default,
 * which also holds the agent's threads and the terminal's commands). Watches hold one each while they last.
 */
const MAX_BRIDGES_PER_CLUSTER = 96;
/** Idle bridges kept per cluster between requests, and for how long (the agent's server keeps them longer). */
const IDLE_BRIDGES_PER_CLUSTER = 4;
const IDLE_BRIDGE_MS = 60_000;
/** Pools of clusters with no open bridge are dropped once there are this many (clusters destroyed elsewhere). */
const POOLS_BEFORE_SWEEP = 256;

/** Headers of one hop, which the bridge's own connection replaces (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

/** An http.Agent whose connections are bridges exec'd in one container. */
class BridgePool extends http.Agent {
  constructor(private readonly open: () => Promise<ExecSocket>) {
    super({
      keepAlive: true,
      maxSockets: MAX_BRIDGES_PER_CLUSTER,
      maxFreeSockets: IDLE_BRIDGES_PER_CLUSTER,
      timeout: IDLE_BRIDGE_MS,
      scheduling: 'lifo',
    });
  }

  override createConnection(
    _options: http.ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): undefined {
    this.open().then(
      (socket) => callback?.(null, socket),
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }

  get openBridges(): number {
    return count(this.sockets) + count(this.freeSockets);
  }

  /** Every bridge is busy (watches hold theirs) and no more may start: a request would wait for one to end. */
  get full(): boolean {
    return count(this.sockets) >= MAX_BRIDGES_PER_CLUSTER && count(this.freeSockets) === 0;
  }
}

function count(sockets: NodeJS.ReadOnlyDict<unknown[]>): number {
  return Object.values(sockets).reduce((sum, list) => sum + (list?.length ?? 0), 0);
}

export class KubeApiBridge {
  private readonly pools = new Map<string, BridgePool>();

  /** Serves one API request through the cluster's pool; resolves when the response has ended (or the client left). */
  serve(
    docker: DockerRepository,
    container: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    const agent = this.poolFor(docker, container);
    if (agent.full)
      return Promise.reject(
        new HttpStatus(
          429,
          'TooManyRequests',
          `too many open requests to this cluster (${MAX_BRIDGES_PER_CLUSTER}, watches included); close some watches`,
        ),
      );
    return new Promise<void>((resolve, reject) => {
      const upstream = http.request({
        agent,
        host: '127.0.0.1',
        port: AGENT_API_PORT,
        method: request.method,
        path: request.url,
        headers: endToEnd(request.headers),
      });
      upstream.on('response', (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        // A streamed answer (a watch) has its headers now, as the agent sent them before any event.
        if (answer.headers['content-length'] === undefined) response.flushHeaders();
        // Watches and followed logs stream: each chunk goes on as it comes.
        answer.pipe(response);
        answer.on('error', () => response.destroy());
      });
      upstream.on('error', (error) => {
        if (response.headersSent) response.destroy();
        // The engine's own errors (a container that is gone: 404) go to the driver, which explains them.
        else reject(error instanceof DockerError ? error : bridgeFailure(container, error, upstream.socket));
      });
      response.once('close', () => {
        // The client went away mid-answer (a watch closed): the bridge goes with it.
        if (!response.writableFinished) upstream.destroy();
        resolve();
      });
      request.pipe(upstream);
    });
  }

  /** Carries an upgraded request (exec, attach, port-forward) over a bridge of its own, bytes both ways. */
  async upgrade(
    docker: DockerRepository,
    container: string,
    request: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> {
    const bridge = await docker.openExecSocket(container, API_BRIDGE_ARGV);
    if (socket.destroyed) {
      bridge.destroy();
      return;
    }
    bridge.write(requestHead(request));
    if (head.length > 0) bridge.write(head);
    socket.pipe(bridge);
    bridge.pipe(socket, { end: false });
    bridge.on('end', () => {
      // Nothing came back: the bridge could not reach the agent's API; say so as the API would.
      if (bridge.bytesReceived === 0 && !socket.destroyed)
        socket.end(statusReply(bridgeFailure(container, undefined, bridge)));
      else socket.end();
    });
    const close = () => {
      socket.destroy();
      bridge.destroy();
    };
    socket.on('close', close);
    socket.on('error', close);
    bridge.on('close', close);
    bridge.on('error', close);
  }

  /** Closes the pooled bridges of a cluster that is gone. */
  forget(docker: DockerRepository, container: string): void {
    const key = poolKey(docker, container);
    this.pools.get(key)?.destroy();
    this.pools.delete(key);
  }

  close(): void {
    for (const pool of this.pools.values()) pool.destroy();
    this.pools.clear();
  }

  private poolFor(docker: DockerRepository, container: string): BridgePool {
    const key = poolKey(docker, container);
    let pool = this.pools.get(key);
    if (!pool) {
      if (this.pools.size >= POOLS_BEFORE_SWEEP) {
        for (const [other, idle] of this.pools) {
          if (idle.openBridges === 0) {
            idle.destroy();
            this.pools.delete(other);
          }
        }
      }
      pool = new BridgePool(() => docker.openExecSocket(container, API_BRIDGE_ARGV));
      this.pools.set(key, pool);
    }
    return pool;
  }
}

function poolKey(docker: DockerRepository, container: string): string {
  return `${docker.dockerHost} ${container}`;
}

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const kept: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}

/**
 * The upgrade request as it came, from the parsed headers (the platform removed its own from those, not from
 * rawHeaders): the agent's server parses it again and answers the switch itself.
 */
function requestHead(request: http.IncomingMessage): string {
  const lines = [`${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/1.1`];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Why a bridge failed, with what nc said (its stderr) when it said anything. */
function bridgeFailure(container: string, cause?: Error, socket?: unknown): HttpStatus {
  const said = (socket as Partial<ExecSocket> | undefined)?.errorOutput?.trim();
  const detail = said || cause?.message || 'the connection closed without an answer';
  return new HttpStatus(
    503,
    'ServiceUnavailable',
    `the cluster's API server in ${container} is not reachable: ${detail}`,
  );
}

function statusReply(error: HttpStatus): string {
  const body = JSON.stringify(statusFor(error));
  return (
    `HTTP/1.1 ${error.code} ${http.STATUS_CODES[error.code] ?? ''}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}
