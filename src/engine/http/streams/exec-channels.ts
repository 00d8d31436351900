/**
 * The streams of one exec or attach, whichever wire carries them: the channel protocol on a WebSocket
 * (`v5.channel.k8s.io`, `v4.channel.k8s.io`: each message's first byte names its channel) or SPDY streams named by
 * their `streamtype` header (`v4.channel.k8s.io` over SPDY/3.1, kubectl's fallback).
 */
import type { SpdySession, SpdyStream } from './spdy-session';
import type { WebSocketConnection } from './websocket';

/** metav1.Status as the exec's error channel carries it. */
export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason: string; message: string }[] };
}

export const SUCCESS: ExecStatus = { metadata: {}, status: 'Success' };

/** How the container's exit code travels (kubectl prints `command terminated with exit code N` and exits N). */
export function exitStatus(code: number, command: string[] = []): ExecStatus {
  if (code === 0) return SUCCESS;
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export function failureStatus(message: string, reason = 'InternalError'): ExecStatus {
  return { metadata: {}, status: 'Failure', message, reason };
}

export interface TerminalSize {
  width: number;
  height: number;
}

export interface ExecChannels {
  stdout(bytes: Buffer): void;
  stderr(bytes: Buffer): void;
  /** Ends the exec: the status on the error channel, then every stream ends. */
  finish(status: ExecStatus): void;
  onStdin(listener: (bytes: Buffer) => void): void;
  /** The client closed stdin (v5's close signal, SPDY's FIN on the stdin stream). */
  onStdinEnd(listener: () => void): void;
  onResize(listener: (size: TerminalSize) => void): void;
  /** The client went away before the end. */
  onClose(listener: () => void): void;
  /** Bytes sent and not yet taken by the client. */
  buffered(): number;
}

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

function parseSize(bytes: Buffer): TerminalSize | undefined {
  try {
    const size = JSON.parse(bytes.toString('utf8')) as { Width?: unknown; Height?: unknown };
    if (typeof size.Width === 'number' && typeof size.Height === 'number')
      return { width: size.Width, height: size.Height };
  } catch {
    // A malformed resize is ignored, as the kubelet ignores it.
  }
  return undefined;
}

/** The channel protocol on a WebSocket; `version` 5 adds the close signal (255) the client sends for stdin. */
export function webSocketChannels(ws: WebSocketConnection, version: 4 | 5): ExecChannels {
  const stdin: ((bytes: Buffer) => void)[] = [];
  const stdinEnd: (() => void)[] = [];
  const resize: ((size: TerminalSize) => void)[] = [];
  let finished = false;
  let resizeBuffer = '';
  ws.onMessage((payload) => {
    if (payload.length === 0 || finished) return;
    const channel = payload[0];
    const data = payload.subarray(1);
    if (channel === CHANNEL.stdin) {
      if (data.length > 0) for (const l of stdin) l(data);
    } else if (channel === CHANNEL.resize) {
      // kubectl writes one JSON object per message; tolerate one split over messages.
      resizeBuffer += data.toString('utf8');
      const size = parseSize(Buffer.from(resizeBuffer));
      if (size) {
        resizeBuffer = '';
        for (const l of resize) l(size);
      } else if (resizeBuffer.length > 1024) resizeBuffer = '';
    } else if (channel === CHANNEL.close && version === 5 && data[0] === CHANNEL.stdin)
      for (const l of stdinEnd) l();
  });
  const send = (channel: number, bytes: Buffer) => {
    if (!finished && bytes.length > 0) ws.send(Buffer.concat([Buffer.from([channel]), bytes]));
  };
  return {
    stdout: (bytes) => send(CHANNEL.stdout, bytes),
    stderr: (bytes) => send(CHANNEL.stderr, bytes),
    finish(status) {
      if (finished) return;
      send(CHANNEL.error, Buffer.from(JSON.stringify(status)));
      finished = true;
      ws.close(1000);
    },
    onStdin: (l) => stdin.push(l),
    onStdinEnd: (l) => stdinEnd.push(l),
    onResize: (l) => resize.push(l),
    onClose: (l) =>
      ws.onClose(() => {
        if (!finished) l();
      }),
    buffered: () => ws.buffered(),
  };
}

export interface ExpectedStreams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** How long the client has to open its streams after the upgrade (the kubelet allows 30 s). */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;

/**
 * SPDY streams: waits until the client has opened the streams its query asked for (error always, stdin, stdout,
 * stderr unless a TTY merges it, resize with a TTY), then hands them over; the session ends if they never come.
 */
export function spdyChannels(
  session: SpdySession,
  expected: ExpectedStreams,
  ready: (channels: ExecChannels) => void,
): void {
  const wanted = new Set(['error']);
  if (expected.stdin) wanted.add('stdin');
  if (expected.stdout) wanted.add('stdout');
  if (expected.stderr && !expected.tty) wanted.add('stderr');
  if (expected.tty) wanted.add('resize');
  const streams = new Map<string, SpdyStream>();
  const timer = setTimeout(() => session.close(), STREAM_CREATION_TIMEOUT_MS);
  timer.unref();
  session.onClose(() => clearTimeout(timer));
  const onStream = (stream: SpdyStream) => {
    const type = stream.headers.streamtype ?? '';
    if (!wanted.has(type) || streams.has(type)) {
      stream.end();
      return;
    }
    streams.set(type, stream);
    if (streams.size === wanted.size) {
      clearTimeout(timer);
      ready(channelsOf(session, streams));
    }
  };
  session.onStream(onStream);
}

function channelsOf(session: SpdySession, streams: Map<string, SpdyStream>): ExecChannels {
  let finished = false;
  const stdinEnd: (() => void)[] = [];
  const resize: ((size: TerminalSize) => void)[] = [];
  streams.get('stdin')?.onEnd(() => {
    if (!finished) for (const l of stdinEnd) l();
  });
  let resizeBuffer = '';
  streams.get('resize')?.onData((bytes) => {
    // One JSON object per resize, back to back on the stream.
    resizeBuffer += bytes.toString('utf8');
    let end: number;
    while ((end = resizeBuffer.indexOf('}')) >= 0) {
      const size = parseSize(Buffer.from(resizeBuffer.slice(0, end + 1)));
      resizeBuffer = resizeBuffer.slice(end + 1);
      if (size) for (const l of resize) l(size);
    }
    if (resizeBuffer.length > 1024) resizeBuffer = '';
  });
  return {
    stdout: (bytes) => streams.get('stdout')?.write(bytes),
    stderr: (bytes) => streams.get('stderr')?.write(bytes),
    finish(status) {
      if (finished) return;
      finished = true;
      // v4 over SPDY: success is an error stream closed with nothing on it.
      if (status.status !== 'Success') streams.get('error')!.write(Buffer.from(JSON.stringify(status)));
      for (const stream of streams.values()) stream.end();
      // The client closes the connection once it has read everything; one that does not is cut off.
      setTimeout(() => session.close(), 1000).unref();
    },
    onStdin: (l) => streams.get('stdin')?.onData(l),
    onStdinEnd: (l) => stdinEnd.push(l),
    onResize: (l) => resize.push(l),
    onClose: (l) =>
      session.onClose(() => {
        if (!finished) l();
      }),
    buffered: () => session.buffered(),
  };
}
