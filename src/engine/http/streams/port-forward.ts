/**
 * `pods/NAME/portforward` (portforward.k8s.io over SPDY): for each TCP connection kubectl accepts on its local port
 * it opens an error stream and a data stream with the same `requestid` and the remote `port`. The data stream
 * carries the connection's bytes: HTTP requests, answered as the pod's app answers `curl POD_IP:PORT` in the lab
 * (forwardToPod, shared with the lab terminal's port-forward). A port the pod does not listen on gets the kubelet's
 * socat error on the error stream and both streams end (kubectl prints it and, since v1.30, stops forwarding).
 * The same connections also come as channels on a WebSocket (serveChannelPortForward).
 */
import type { Pod } from '../../api/types';
import type { Cluster } from '../../cluster';
import { forwardToPod } from '../../kubectl/commands/port-forward';
import { httpReason } from '../../terminal/local-ports';
import type { SpdySession, SpdyStream } from './spdy-session';
import type { WebSocketConnection } from './websocket';

/** Bytes of one request's head (line and headers) the forwarder reads before answering 400. */
const MAX_REQUEST_HEAD = 64 * 1024;

interface PortRequest {
  data?: SpdyStream;
  error?: SpdyStream;
}

/** Serves a port-forward session for `pod` until the client closes it. */
export function servePortForward(cluster: Cluster, pod: Pod, session: SpdySession): void {
  const requests = new Map<string, PortRequest>();
  session.onStream((stream) => {
    const type = stream.headers.streamtype;
    const id = stream.headers.requestid ?? '';
    const port = Number(stream.headers.port);
    if ((type !== 'data' && type !== 'error') || !Number.isInteger(port) || port <= 0 || port > 65535) {
      stream.end();
      return;
    }
    const request = requests.get(id) ?? {};
    requests.set(id, request);
    request[type] = stream;
    stream.onEnd(() => {
      if (type === 'data') {
        // The client closed its connection: our side of both streams ends too.
        stream.end();
        request.error?.end();
        requests.delete(id);
      }
    });
    if (type === 'data') forwardConnection(cluster, pod, port, request);
  });
}

/** A forwarded connection's bytes, whichever wire carries them (a SPDY stream, a WebSocket channel). */
export interface ForwardPipe {
  write(bytes: Buffer): void;
  end(): void;
  onData(listener: (bytes: Buffer) => void): void;
}

/**
 * port-forward with the channel protocol on a WebSocket (`v4.channel.k8s.io`, what @kubernetes/client-node
 * speaks): the `ports` query names the ports; port i's data travels on channel 2i and its errors on 2i+1, each
 * channel opened by the server with the port number (2 bytes, little-endian). One WebSocket is one connection.
 */
export function serveChannelPortForward(
  cluster: Cluster,
  pod: Pod,
  ws: WebSocketConnection,
  ports: number[],
): void {
  const listeners = new Map<number, ((bytes: Buffer) => void)[]>();
  const send = (channel: number, bytes: Buffer) => ws.send(Buffer.concat([Buffer.from([channel]), bytes]));
  ws.onMessage((payload) => {
    if (payload.length < 1) return;
    for (const listener of listeners.get(payload[0]) ?? []) listener(payload.subarray(1));
  });
  ports.forEach((port, i) => {
    const number = Buffer.alloc(2);
    number.writeUInt16LE(port, 0);
    send(2 * i, number);
    send(2 * i + 1, number);
    const data: ForwardPipe = {
      write: (bytes) => send(2 * i, bytes),
      end: () => ws.close(1000),
      onData: (listener) => listeners.set(2 * i, [...(listeners.get(2 * i) ?? []), listener]),
    };
    const error = { write: (bytes: Buffer) => send(2 * i + 1, bytes), end: () => undefined };
    forwardConnection(cluster, pod, port, { data, error });
  });
}

/** HTTP/1.1 requests on the data stream, each answered in turn (keep-alive), until a failure ends the pair. */
function forwardConnection(
  cluster: Cluster,
  pod: Pod,
  port: number,
  request: { data?: ForwardPipe; error?: { write(bytes: Buffer): void; end(): void } },
): void {
  const data = request.data!;
  let pending: Buffer = Buffer.alloc(0);
  let failed = false;
  data.onData((bytes) => {
    if (failed) return;
    pending = Buffer.concat([pending, bytes]);
    for (;;) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) {
        if (pending.length > MAX_REQUEST_HEAD) {
          data.write(Buffer.from(response(400, '')));
          failed = true;
          data.end();
        }
        return;
      }
      const head = pending.subarray(0, end).toString('latin1');
      pending = pending.subarray(end + 4);
      const path = /^[A-Z]+ (\S+) HTTP\/1\.[01]$/.exec(head.split('\r\n')[0])?.[1];
      if (!path) {
        data.write(Buffer.from(response(400, '')));
        continue;
      }
      cluster.sync();
      const answer = forwardToPod(cluster, pod, port, path);
      if (!answer.ok) {
        // The kubelet's socat could not connect: the reason on the error stream, then both streams end.
        failed = true;
        request.error?.write(Buffer.from(answer.error));
        request.error?.end();
        data.end();
        return;
      }
      if (!answer.result.ok) {
        failed = true;
        data.end();
        return;
      }
      const { status, body } = answer.result;
      data.write(Buffer.from(response(status, body, answer.result.contentType)));
    }
  });
}

/** An HTTP/1.1 response as the app's server writes it (a simulated app has no other headers worth copying). */
function response(status: number, body: string, contentType?: string): string {
  const type = contentType ?? (body.trimStart().startsWith('<') ? 'text/html' : 'text/plain; charset=utf-8');
  return (
    `HTTP/1.1 ${status} ${httpReason(status)}\r\n` +
    `Content-Type: ${type}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
    body
  );
}
