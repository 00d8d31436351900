/**
 * WebSocket framing (RFC 6455 §5): the frames a server sends (never masked) and a parser for the frames a client
 * sends (always masked). Fragmented messages are joined; control frames may arrive between fragments.
 */
import { createHash } from 'node:crypto';

export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(`${key}${HANDSHAKE_GUID}`).digest('base64');
}

/** One whole frame; `mask` only for a client's frames (tests play the client). */
export function encodeFrame(opcode: number, payload: Buffer, mask?: Buffer): Buffer {
  const length = payload.length;
  const extended = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + (mask ? 4 : 0));
  header[0] = 0x80 | opcode;
  header[1] = (mask ? 0x80 : 0) | (extended === 0 ? length : extended === 2 ? 126 : 127);
  if (extended === 2) header.writeUInt16BE(length, 2);
  else if (extended === 8) header.writeBigUInt64BE(BigInt(length), 2);
  if (!mask) return Buffer.concat([header, payload]);
  mask.copy(header, 2 + extended);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] ^= mask[i % 4];
  return Buffer.concat([header, masked]);
}

/** A close frame's payload: the status code and an optional reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}

export interface WebSocketMessage {
  opcode: number;
  payload: Buffer;
}

export class WebSocketProtocolError extends Error {
  constructor(
    message: string,
    /** The close code to answer with (1002 protocol error, 1009 too big). */
    readonly code: number,
  ) {
    super(message);
  }
}

/**
 * Collects bytes and yields whole messages (data messages joined from their fragments, control frames as they
 * come). Unmasked client frames, unknown opcodes and messages over `maxMessageBytes` are protocol errors.
 */
export class FrameParser {
  private pending: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private fragmentBytes = 0;

  constructor(
    private readonly maxMessageBytes: number,
    /** Server side: client frames must be masked. */
    private readonly requireMask = true,
  ) {}

  push(chunk: Buffer): WebSocketMessage[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: WebSocketMessage[] = [];
    for (;;) {
      const frame = this.nextFrame();
      if (!frame) return out;
      const message = this.assemble(frame.fin, frame.opcode, frame.payload);
      if (message) out.push(message);
    }
  }

  private nextFrame(): { fin: boolean; opcode: number; payload: Buffer } | undefined {
    const buf = this.pending;
    if (buf.length < 2) return undefined;
    const fin = (buf[0] & 0x80) !== 0;
    if ((buf[0] & 0x70) !== 0) throw new WebSocketProtocolError('reserved bits set', 1002);
    const opcode = buf[0] & 0x0f;
    const masked = (buf[1] & 0x80) !== 0;
    if (this.requireMask && !masked) throw new WebSocketProtocolError('client frame not masked', 1002);
    let length = buf[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buf.length < 4) return undefined;
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buf.length < 10) return undefined;
      const big = buf.readBigUInt64BE(2);
      if (big > BigInt(this.maxMessageBytes)) throw new WebSocketProtocolError('frame too big', 1009);
      length = Number(big);
      offset = 10;
    }
    if (length > this.maxMessageBytes) throw new WebSocketProtocolError('frame too big', 1009);
    const maskAt = offset;
    if (masked) offset += 4;
    if (buf.length < offset + length) return undefined;
    const payload = Buffer.from(buf.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= buf[maskAt + (i % 4)];
    this.pending = buf.subarray(offset + length);
    return { fin, opcode, payload };
  }

  private assemble(fin: boolean, opcode: number, payload: Buffer): WebSocketMessage | undefined {
    if (opcode >= 0x8) {
      if (!fin || payload.length > 125) throw new WebSocketProtocolError('bad control frame', 1002);
      if (opcode !== OPCODE.close && opcode !== OPCODE.ping && opcode !== OPCODE.pong)
        throw new WebSocketProtocolError(`unknown opcode ${opcode}`, 1002);
      return { opcode, payload };
    }
    if (opcode === OPCODE.continuation) {
      if (this.fragments.length === 0) throw new WebSocketProtocolError('continuation without start', 1002);
    } else {
      if (opcode !== OPCODE.text && opcode !== OPCODE.binary)
        throw new WebSocketProtocolError(`unknown opcode ${opcode}`, 1002);
      if (this.fragments.length > 0)
        throw new WebSocketProtocolError('new message inside a fragmented one', 1002);
      this.fragmentOpcode = opcode;
      this.fragmentBytes = 0;
    }
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > this.maxMessageBytes) throw new WebSocketProtocolError('message too big', 1009);
    if (fin && this.fragments.length === 0) return { opcode, payload };
    this.fragments.push(payload);
    if (!fin) return undefined;
    const whole = Buffer.concat(this.fragments);
    this.fragments = [];
    return { opcode: this.fragmentOpcode, payload: whole };
  }
}
