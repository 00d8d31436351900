/**
 * Picks the wire for an upgrade request on `pods/NAME/{exec,attach,portforward}`, as kubectl sends them:
 * - exec, attach: WebSocket with `v5.channel.k8s.io` (or `v4.channel.k8s.io`), else SPDY/3.1 (`POST`,
 *   `X-Stream-Protocol-Version: v5…, v4…`; the engine speaks v4 over SPDY, the newest the kubelet speaks there);
 * - portforward: WebSocket with `SPDY/3.1+portforward.k8s.io` (SPDY tunnelled in binary messages; kubectl 1.31+),
 *   or with the channel protocol and `?ports=` (@kubernetes/client-node), else SPDY/3.1 with `portforward.k8s.io`
 *   (kubectl 1.30).
 * Anything else is refused with the API server's texts before switching protocols.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pod } from '../../api/types';
import type { Cluster } from '../../cluster';
import { HttpStatus } from '../status';
import { spdyChannels, webSocketChannels } from './exec-channels';
import { checkTarget, runExec } from './exec-session';
import { serveChannelPortForward, servePortForward } from './port-forward';
import { SpdySession } from './spdy-session';
import { duplexTransport } from './transport';
import { isWebSocketUpgrade, offeredProtocols, WebSocketConnection } from './websocket';

export const STREAM_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
const TUNNELED_PORT_FORWARD = 'SPDY/3.1+portforward.k8s.io';
const PORT_FORWARD = 'portforward.k8s.io';
const SPDY_EXEC_PROTOCOL = 'v4.channel.k8s.io';

export interface StreamTarget {
  namespace: string;
  pod: string;
  subresource: string;
}

/** What the server does with an open stream connection when it shuts down. */
export type TrackStream = (close: () => void) => { done(): void };

/**
 * Serves the upgrade, or throws an HttpStatus for the caller to answer with (nothing has been written then).
 */
export function serveStreamUpgrade(
  cluster: Cluster,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: StreamTarget,
  track: TrackStream,
): void {
  const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  const websocket = isWebSocketUpgrade(req);
  const spdy = /^spdy\/3\.1$/i.test(String(req.headers.upgrade ?? ''));
  if (!websocket && !spdy) throw new HttpStatus(400, 'BadRequest', 'Upgrade request required');
  const offered = websocket
    ? offeredProtocols(req)
    : String(req.headers['x-stream-protocol-version'] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');

  if (target.subresource === 'portforward') {
    const pod = runningPod(cluster, target);
    const channels = CHANNEL_PROTOCOLS.find((p) => offered.includes(p));
    if (websocket && !offered.includes(TUNNELED_PORT_FORWARD) && channels) {
      const ports = q
        .getAll('ports')
        .flatMap((p) => p.split(','))
        .map(Number);
      if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p <= 0 || p > 65535))
        throw new HttpStatus(400, 'BadRequest', 'query parameter "ports" must name ports from 1 to 65535');
      const ws = WebSocketConnection.accept(req, socket, head, channels);
      const tracked = track(() => ws.close(1001));
      ws.onClose(() => tracked.done());
      serveChannelPortForward(cluster, pod, ws, ports);
      return;
    }
    const wanted = websocket ? TUNNELED_PORT_FORWARD : PORT_FORWARD;
    if (!offered.includes(wanted)) throw noProtocol(offered, [wanted]);
    const transport = websocket
      ? WebSocketConnection.accept(req, socket, head, wanted).asTransport()
      : spdySwitch(socket, head, wanted);
    const session = new SpdySession(transport);
    const tracked = track(() => session.close());
    session.onClose(() => tracked.done());
    servePortForward(cluster, pod, session);
    return;
  }

  const kind = target.subresource === 'attach' ? 'attach' : 'exec';
  const request = checkTarget(cluster, kind, target.namespace, target.pod, q);
  if (websocket) {
    const protocol = CHANNEL_PROTOCOLS.find((p) => offered.includes(p));
    if (!protocol) throw noProtocol(offered, [...CHANNEL_PROTOCOLS]);
    const ws = WebSocketConnection.accept(req, socket, head, protocol);
    const tracked = track(() => ws.close(1001));
    ws.onClose(() => tracked.done());
    runExec(cluster, request, webSocketChannels(ws, protocol === 'v5.channel.k8s.io' ? 5 : 4));
    return;
  }
  if (!offered.includes(SPDY_EXEC_PROTOCOL)) throw noProtocol(offered, [SPDY_EXEC_PROTOCOL]);
  const session = new SpdySession(spdySwitch(socket, head, SPDY_EXEC_PROTOCOL));
  const tracked = track(() => session.close());
  session.onClose(() => tracked.done());
  spdyChannels(session, request, (channels) => runExec(cluster, request, channels));
}

/** `101 Switching Protocols` to SPDY/3.1; the socket then carries SPDY frames. */
function spdySwitch(socket: Duplex, head: Buffer, protocol: string) {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Connection: Upgrade\r\n' +
      'Upgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
  );
  const transport = duplexTransport(socket);
  if (head.length > 0) setImmediate(() => socket.unshift(head));
  return transport;
}

function runningPod(cluster: Cluster, target: StreamTarget): Pod {
  cluster.sync();
  const pod = cluster.api.get<Pod>('pods', target.namespace, target.pod);
  if (pod.status?.phase !== 'Running')
    throw new HttpStatus(
      400,
      'BadRequest',
      `unable to upgrade connection: pod ${target.pod} is not running (phase ${pod.status?.phase ?? 'Pending'})`,
    );
  return pod;
}

/** The kubelet's answer when no offered protocol is one it speaks. */
function noProtocol(offered: string[], supported: string[]): HttpStatus {
  return new HttpStatus(
    403,
    'Forbidden',
    `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ${JSON.stringify(supported)}`,
  );
}
