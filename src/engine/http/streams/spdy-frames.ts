/**
 * SPDY/3.1 framing (draft 3.1 §2): control frames (SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY,
 * HEADERS, WINDOW_UPDATE) and data frames, with header blocks compressed by one zlib stream per direction that
 * starts from the SPDY dictionary.
 *
 * Outgoing header blocks are written as stored (uncompressed) deflate blocks of that one stream: a valid zlib
 * stream any SPDY peer inflates, without a stateful synchronous compressor. Incoming blocks (kubectl compresses
 * them for real) go through one inflater kept for the whole connection.
 */
import * as zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary';

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;

export const FRAME = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

/** RST_STREAM status codes used here. */
export const RST = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  cancel: 5,
  internalError: 6,
} as const;

/** A frame's payload may not exceed 2^24 - 1 bytes (a 24-bit length). */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export type Headers = Record<string, string>;

export type SpdyFrame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; data: Buffer };

export class SpdyProtocolError extends Error {}

/** Splits a byte stream into frames; keeps a partial frame for the next chunk. */
export class SpdyFrameParser {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxPayload = MAX_FRAME_PAYLOAD) {}

  push(chunk: Buffer): SpdyFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: SpdyFrame[] = [];
    while (this.pending.length >= 8) {
      const buf = this.pending;
      const length = buf.readUIntBE(5, 3);
      if (length > this.maxPayload) throw new SpdyProtocolError(`frame of ${length} bytes is too big`);
      if (buf.length < 8 + length) break;
      const flags = buf[4];
      const data = Buffer.from(buf.subarray(8, 8 + length));
      if (buf[0] & 0x80) {
        const version = buf.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push({ kind: 'control', type: buf.readUInt16BE(2), flags, data });
      } else frames.push({ kind: 'data', streamId: buf.readUInt32BE(0) & 0x7fffffff, flags, data });
      this.pending = buf.subarray(8 + length);
    }
    return frames;
  }
}

function frameHeader(first: number, second: number, flags: number, length: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(first, 0);
  header.writeUInt16BE(second, 2);
  header[4] = flags;
  header.writeUIntBE(length, 5, 3);
  return header;
}

export function controlFrame(type: number, flags: number, data: Buffer): Buffer {
  return Buffer.concat([frameHeader(0x8000 | SPDY_VERSION, type, flags, data.length), data]);
}

export function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const header = frameHeader((streamId >>> 16) & 0x7fff, streamId & 0xffff, flags, data.length);
  return Buffer.concat([header, data]);
}

function uint32s(...values: number[]): Buffer {
  const buf = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => buf.writeUInt32BE(v >>> 0, 4 * i));
  return buf;
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  return controlFrame(FRAME.rstStream, 0, uint32s(streamId, status));
}

export function pingFrame(id: number): Buffer {
  return controlFrame(FRAME.ping, 0, uint32s(id));
}

export function goAwayFrame(lastGoodStreamId: number, status = 0): Buffer {
  return controlFrame(FRAME.goAway, 0, uint32s(lastGoodStreamId, status));
}

export function windowUpdateFrame(streamId: number, delta: number): Buffer {
  return controlFrame(FRAME.windowUpdate, 0, uint32s(streamId, delta));
}

/** The uncompressed name/value block: count, then each name and value with a 4-byte length. */
export function encodeHeaderBlock(headers: Headers): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [uint32s(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(uint32s(n.length), n, uint32s(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): Headers {
  const read = (at: number): [Buffer, number] => {
    if (at + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const length = block.readUInt32BE(at);
    if (at + 4 + length > block.length) throw new SpdyProtocolError('truncated header block');
    return [block.subarray(at + 4, at + 4 + length), at + 4 + length];
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  const headers: Headers = {};
  let at = 4;
  for (let i = 0; i < count; i++) {
    const [name, afterName] = read(at);
    const [value, afterValue] = read(afterName);
    at = afterValue;
    headers[name.toString('utf8').toLowerCase()] = value.toString('utf8');
  }
  return headers;
}

/** zlib's Adler-32, which names a preset dictionary in a stream's header (RFC 1950 §2.2). */
export function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** One direction's header compression: a zlib stream (dictionary named in its header) of stored blocks. */
export class HeaderCompressor {
  private started = false;

  compress(headers: Headers): Buffer {
    const block = encodeHeaderBlock(headers);
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32K window); FLG 0x20 (FDICT; 0x7820 is a multiple of 31), then the dictionary's id.
      parts.push(Buffer.from([0x78, 0x20]), uint32s(adler32(SPDY3_DICTIONARY)));
    }
    // The block is never empty (it starts with its count).
    for (let at = 0; at < block.length; at += 0xffff) {
      const piece = block.subarray(at, at + 0xffff);
      const stored = Buffer.alloc(5);
      stored[0] = 0x00; // BFINAL 0, BTYPE 00 (stored), padded to the byte
      stored.writeUInt16LE(piece.length, 1);
      stored.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(stored, piece);
    }
    // An empty stored block ends each header block, as a sync flush does: inflaters (Go's among them) hand the
    // block's bytes over when they reach it, instead of reading on into the next frame.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/**
 * The other direction: one inflater for the connection's whole header stream. Node's zlib offers no synchronous
 * stateful inflate, so each block is written, flushed (Z_SYNC_FLUSH, as the sender flushed it) and read back; the
 * session awaits blocks in frame order.
 */
export class HeaderDecompressor {
  private readonly inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  private failure: Error | undefined;
  /** The block being inflated fails with the stream (after an error zlib never calls the flush back). */
  private rejectPending: ((error: Error) => void) | undefined;

  constructor(private readonly maxBytes = 256 * 1024) {
    this.inflate.on('error', (error) => {
      this.failure = error;
      this.rejectPending?.(new SpdyProtocolError(`header block does not inflate: ${error.message}`));
    });
  }

  decompress(compressed: Buffer): Promise<Headers> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(new SpdyProtocolError(`header stream failed: ${this.failure.message}`));
      this.rejectPending = reject;
      this.inflate.write(compressed);
      this.inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        this.rejectPending = undefined;
        if (this.failure) return;
        const chunks: Buffer[] = [];
        let chunk: Buffer | null;
        while ((chunk = this.inflate.read() as Buffer | null) !== null) chunks.push(chunk);
        const block = Buffer.concat(chunks);
        if (block.length > this.maxBytes) return reject(new SpdyProtocolError('header block too big'));
        try {
          resolve(decodeHeaderBlock(block));
        } catch (error) {
          reject(error as Error);
        }
      });
    });
  }

  close(): void {
    this.inflate.destroy();
  }
}
