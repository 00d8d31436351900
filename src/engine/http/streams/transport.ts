/**
 * A byte pipe the stream protocols run on: a raw socket after an HTTP upgrade, or the binary messages of a
 * WebSocket that tunnels another protocol (kubectl 1.31+ tunnels SPDY for port-forward). Keeping the protocols on
 * this small interface lets the platform reuse them on any Duplex it holds.
 */
import type { Duplex } from 'node:stream';

export interface ByteTransport {
  write(bytes: Buffer): void;
  /** Every chunk that arrives, in order. */
  onData(listener: (bytes: Buffer) => void): void;
  /** The peer went away or the pipe failed; called once. */
  onClose(listener: () => void): void;
  /** Ends the pipe (a half-written frame is never left behind: writes are whole frames). */
  close(): void;
  /** Bytes written and not yet taken by the peer (a client that never reads is cut off on it). */
  buffered(): number;
}

/** Unread bytes a peer may leave queued before it is cut off (a client that never reads holds no more). */
export const MAX_UNREAD_BYTES = 8 * 1024 * 1024;

/** A Duplex (net.Socket, tls.TLSSocket, or a test's PassThrough pair) as a ByteTransport. */
export function duplexTransport(socket: Duplex, maxUnread = MAX_UNREAD_BYTES): ByteTransport {
  const closers: (() => void)[] = [];
  let closed = false;
  const closeOnce = () => {
    if (closed) return;
    closed = true;
    for (const listener of closers) listener();
  };
  socket.on('close', closeOnce);
  socket.on('end', closeOnce);
  socket.on('error', closeOnce);
  return {
    write(bytes) {
      if (closed || socket.destroyed) return;
      if (socket.writableLength + bytes.length > maxUnread) {
        socket.destroy();
        return;
      }
      socket.write(bytes);
    },
    onData(listener) {
      socket.on('data', listener);
    },
    onClose(listener) {
      if (closed) listener();
      else closers.push(listener);
    },
    close() {
      if (socket.destroyed) return;
      socket.end();
      // A peer that never reads would hold the socket open: give it a moment, then cut it.
      setTimeout(() => socket.destroy(), 2000).unref();
    },
    buffered() {
      return socket.writableLength;
    },
  };
}
