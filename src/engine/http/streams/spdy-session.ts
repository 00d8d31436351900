/**
 * The server side of one SPDY/3.1 connection: the client (kubectl) opens every stream with SYN_STREAM and the
 * server accepts it with SYN_REPLY; data flows both ways in DATA frames until each side sends FIN; PINGs are
 * echoed; RST_STREAM and GOAWAY end streams and the connection. Flow control: what the client sends is credited
 * back with WINDOW_UPDATE at once (the engine consumes input as it arrives).
 */
import type { ByteTransport } from './transport';
import {
  controlFrame,
  dataFrame,
  FLAG_FIN,
  FRAME,
  goAwayFrame,
  HeaderCompressor,
  HeaderDecompressor,
  rstStreamFrame,
  RST,
  SpdyFrameParser,
  SpdyProtocolError,
  windowUpdateFrame,
  type Headers,
  type SpdyFrame,
} from './spdy-frames';

/** Open streams one connection may hold (port-forward opens two per TCP connection). */
export const MAX_STREAMS = 128;
/** Bytes per DATA frame the server sends. */
const DATA_CHUNK = 32 * 1024;
/** Largest frame a client may send (kubectl's are at most 32 KiB of data). */
const MAX_FRAME_BYTES = 1024 * 1024;
/** Largest compressed header block (kubectl's are tens of bytes; this bounds what one inflates to). */
const MAX_HEADER_FRAME_BYTES = 16 * 1024;

export class SpdyStream {
  private readonly dataListeners: ((bytes: Buffer) => void)[] = [];
  private readonly endListeners: (() => void)[] = [];
  private localEnded = false;
  remoteEnded = false;
  private reset = false;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: Headers,
  ) {}

  /** Data the client sends on this stream. */
  onData(listener: (bytes: Buffer) => void): void {
    this.dataListeners.push(listener);
  }

  /** The client finished sending (FIN), reset the stream, or the connection ended. */
  onEnd(listener: () => void): void {
    if (this.remoteEnded || this.reset) listener();
    else this.endListeners.push(listener);
  }

  write(bytes: Buffer): void {
    if (this.localEnded || this.reset) return;
    for (let at = 0; at < bytes.length; at += DATA_CHUNK)
      this.session.send(dataFrame(this.id, 0, bytes.subarray(at, at + DATA_CHUNK)));
  }

  /** Our side is done (FIN). */
  end(): void {
    if (this.localEnded || this.reset) return;
    this.localEnded = true;
    this.session.send(dataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
    this.session.forgetIfDone(this);
  }

  get done(): boolean {
    return this.reset || (this.localEnded && this.remoteEnded);
  }

  /** @internal */
  receive(bytes: Buffer): void {
    for (const listener of this.dataListeners) listener(bytes);
  }

  /** @internal the client's FIN, its RST, or the connection's end. */
  finishRemote(reset = false): void {
    if (reset) this.reset = true;
    if (this.remoteEnded && !reset) return;
    this.remoteEnded = true;
    const listeners = this.endListeners.splice(0);
    for (const listener of listeners) listener();
  }
}

export class SpdySession {
  private readonly parser = new SpdyFrameParser(MAX_FRAME_BYTES);
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly closeListeners: (() => void)[] = [];
  private lastStreamId = 0;
  private closed = false;
  private streamListener: (stream: SpdyStream) => void = (stream) => stream.end();

  constructor(private readonly transport: ByteTransport) {
    transport.onData((chunk) => this.receive(chunk));
    transport.onClose(() => this.finish());
  }

  /** Who takes the streams the client opens (set before any arrive: data events come on a later turn). */
  onStream(listener: (stream: SpdyStream) => void): void {
    this.streamListener = listener;
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  send(frame: Buffer): void {
    if (!this.closed) this.transport.write(frame);
  }

  buffered(): number {
    return this.transport.buffered();
  }

  /** GOAWAY, then the connection ends. */
  close(status = 0): void {
    if (this.closed) return;
    this.send(goAwayFrame(this.lastStreamId, status));
    this.transport.close();
    this.finish();
  }

  /** @internal */
  forgetIfDone(stream: SpdyStream): void {
    if (stream.done) this.streams.delete(stream.id);
  }

  /** Frames are handled one after another (a header block inflates asynchronously; later frames wait for it). */
  private work: Promise<void> = Promise.resolve();

  /** Resolves once every frame received so far has been handled (specs wait on this, never on a timer). */
  handled(): Promise<void> {
    return this.work;
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch (error) {
      this.fail(error);
      return;
    }
    for (const frame of frames)
      this.work = this.work
        .then(() => (this.closed ? undefined : this.handle(frame)))
        .catch((e) => this.fail(e));
  }

  private fail(error: unknown): void {
    // A protocol error ends the connection (GOAWAY PROTOCOL_ERROR); anything else is the engine's own fault.
    this.close(error instanceof SpdyProtocolError ? 1 : 2);
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (frame.kind === 'data') {
      const stream = this.streams.get(frame.streamId);
      if (!stream) {
        this.send(rstStreamFrame(frame.streamId, RST.invalidStream));
        return;
      }
      if (frame.data.length > 0) {
        stream.receive(frame.data);
        this.send(windowUpdateFrame(stream.id, frame.data.length));
        this.send(windowUpdateFrame(0, frame.data.length));
      }
      if (frame.flags & FLAG_FIN) {
        stream.finishRemote();
        this.forgetIfDone(stream);
      }
      return;
    }
    const { type, data } = frame;
    if ((type === FRAME.synStream || type === FRAME.headers) && data.length > MAX_HEADER_FRAME_BYTES)
      throw new SpdyProtocolError('header block too big');
    if (type === FRAME.synStream) {
      if (data.length < 10) throw new SpdyProtocolError('short SYN_STREAM');
      const id = data.readUInt32BE(0) & 0x7fffffff;
      const headers = await this.decompressor.decompress(data.subarray(10));
      if (id === 0 || id <= this.lastStreamId || id % 2 === 0)
        throw new SpdyProtocolError(`bad stream id ${id}`);
      this.lastStreamId = id;
      if (this.streams.size >= MAX_STREAMS) {
        this.send(rstStreamFrame(id, RST.refusedStream));
        return;
      }
      const stream = new SpdyStream(this, id, headers);
      this.streams.set(id, stream);
      this.send(this.synReply(id));
      this.streamListener(stream);
      if (frame.flags & FLAG_FIN) stream.finishRemote();
    } else if (type === FRAME.rstStream) {
      if (data.length < 8) throw new SpdyProtocolError('short RST_STREAM');
      const stream = this.streams.get(data.readUInt32BE(0) & 0x7fffffff);
      if (stream) {
        this.streams.delete(stream.id);
        stream.finishRemote(true);
      }
    } else if (type === FRAME.ping) {
      if (data.length !== 4) throw new SpdyProtocolError('bad PING');
      this.send(controlFrame(FRAME.ping, 0, data));
    } else if (type === FRAME.goAway) {
      this.transport.close();
      this.finish();
    } else if (type === FRAME.headers) {
      if (data.length < 4) throw new SpdyProtocolError('short HEADERS');
      await this.decompressor.decompress(data.subarray(4)); // keeps the shared zlib stream in step
    } else if (type === FRAME.synReply) {
      throw new SpdyProtocolError('a client does not reply to streams');
    }
    // SETTINGS and WINDOW_UPDATE: the engine's replies are small and sent at once.
  }

  private synReply(id: number): Buffer {
    const streamId = Buffer.alloc(4);
    streamId.writeUInt32BE(id, 0);
    return controlFrame(FRAME.synReply, 0, Buffer.concat([streamId, this.compressor.compress({})]));
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.streams.values()) stream.finishRemote(true);
    this.streams.clear();
    this.decompressor.close();
    for (const listener of this.closeListeners) listener();
  }
}
