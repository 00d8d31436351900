/**
 * The server side of one WebSocket connection after its 101: whole data messages in, binary messages out, pings
 * answered, the close handshake. `asTransport()` gives its binary messages as a byte pipe (kubectl 1.31+ tunnels
 * SPDY through it for port-forward).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { duplexTransport, type ByteTransport } from './transport';
import {
  acceptKey,
  closePayload,
  encodeFrame,
  FrameParser,
  OPCODE,
  WebSocketProtocolError,
} from './websocket-frames';

/** The largest message a client may send (stdin chunks and tunnelled SPDY frames are far smaller). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The subprotocols a client offers (`Sec-WebSocket-Protocol`), in its order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export class WebSocketConnection {
  private readonly transport: ByteTransport;
  private readonly parser = new FrameParser(MAX_MESSAGE_BYTES);
  private readonly messageListeners: ((payload: Buffer, binary: boolean) => void)[] = [];
  private readonly closeListeners: (() => void)[] = [];
  private closing = false;
  private ended = false;

  /** Answers the upgrade with 101 and `protocol`, then speaks WebSocket on `socket`. */
  static accept(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): WebSocketConnection {
    const key = String(req.headers['sec-websocket-key'] ?? '');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n` +
        `Sec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
    );
    const connection = new WebSocketConnection(duplexTransport(socket));
    if (head.length > 0) connection.receive(head);
    return connection;
  }

  constructor(transport: ByteTransport) {
    this.transport = transport;
    transport.onData((chunk) => this.receive(chunk));
    transport.onClose(() => this.finish());
  }

  onMessage(listener: (payload: Buffer, binary: boolean) => void): void {
    this.messageListeners.push(listener);
  }

  onClose(listener: () => void): void {
    if (this.ended) listener();
    else this.closeListeners.push(listener);
  }

  send(payload: Buffer): void {
    if (!this.closing) this.transport.write(encodeFrame(OPCODE.binary, payload));
  }

  /** Starts the close handshake; the connection ends when the client answers (or soon after). */
  close(code = 1000, reason = ''): void {
    if (this.closing) return;
    this.closing = true;
    this.transport.write(encodeFrame(OPCODE.close, closePayload(code, reason)));
    this.transport.close();
  }

  buffered(): number {
    return this.transport.buffered();
  }

  /** The binary messages as a byte pipe: each write is one message. */
  asTransport(): ByteTransport {
    const dataListeners: ((bytes: Buffer) => void)[] = [];
    this.onMessage((payload) => {
      for (const listener of dataListeners) listener(payload);
    });
    return {
      write: (bytes) => this.send(bytes),
      onData: (listener) => dataListeners.push(listener),
      onClose: (listener) => this.onClose(listener),
      close: () => this.close(),
      buffered: () => this.buffered(),
    };
  }

  private receive(chunk: Buffer): void {
    if (this.ended) return;
    let messages;
    try {
      messages = this.parser.push(chunk);
    } catch (error) {
      this.close(error instanceof WebSocketProtocolError ? error.code : 1002);
      this.finish();
      return;
    }
    for (const { opcode, payload } of messages) {
      if (opcode === OPCODE.ping) this.transport.write(encodeFrame(OPCODE.pong, payload));
      else if (opcode === OPCODE.close) {
        // Answer the client's close with the same code, then end.
        this.close(payload.length >= 2 ? payload.readUInt16BE(0) : 1000);
        this.finish();
        return;
      } else if (opcode === OPCODE.text || opcode === OPCODE.binary)
        for (const listener of this.messageListeners) listener(payload, opcode === OPCODE.binary);
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const listener of this.closeListeners) listener();
  }
}
