import * as zlib from 'node:zlib';
import { MemoryTransport } from './memory-transport';
import { SPDY3_DICTIONARY } from './spdy-dictionary';
import {
  controlFrame,
  dataFrame,
  encodeHeaderBlock,
  FLAG_FIN,
  FRAME,
  rstStreamFrame,
  SpdyFrameParser,
  type SpdyFrame,
} from './spdy-frames';
import { SpdySession, type SpdyStream } from './spdy-session';

/** The client's side: SYN_STREAMs compressed as kubectl's zlib compresses them. */
class Client {
  private readonly deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  private readonly inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  private readonly parser = new SpdyFrameParser();

  async synStream(id: number, headers: Record<string, string>, flags = 0): Promise<Buffer> {
    const block = await new Promise<Buffer>((resolve) => {
      this.deflate.write(encodeHeaderBlock(headers));
      this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(this.deflate.read() as Buffer));
    });
    const head = Buffer.alloc(10);
    head.writeUInt32BE(id, 0);
    return controlFrame(FRAME.synStream, flags, Buffer.concat([head, block]));
  }

  frames(bytes: Buffer): SpdyFrame[] {
    return this.parser.push(bytes);
  }

  close(): void {
    this.deflate.close();
    this.inflate.close();
  }
}

describe('SpdySession', () => {
  let transport: MemoryTransport;
  let session: SpdySession;
  let client: Client;
  let streams: SpdyStream[];

  beforeEach(() => {
    transport = new MemoryTransport();
    session = new SpdySession(transport);
    client = new Client();
    streams = [];
    session.onStream((stream) => streams.push(stream));
  });

  afterEach(() => {
    session.close();
    client.close();
  });

  it('accepts streams with SYN_REPLY, in order, with their headers', async () => {
    transport.deliver(await client.synStream(1, { streamtype: 'error' }));
    transport.deliver(await client.synStream(3, { streamtype: 'stdout' }));
    await session.handled();
    expect(streams.map((s) => [s.id, s.headers.streamtype])).toEqual([
      [1, 'error'],
      [3, 'stdout'],
    ]);
    const replies = client.frames(transport.take());
    expect(replies.map((f) => (f.kind === 'control' ? [f.type, f.data.readUInt32BE(0)] : []))).toEqual([
      [FRAME.synReply, 1],
      [FRAME.synReply, 3],
    ]);
  });

  it('delivers data and FIN, credits the window back, and sends ours', async () => {
    transport.deliver(await client.synStream(1, { streamtype: 'stdin' }));
    await session.handled();
    const [stream] = streams;
    const got: string[] = [];
    let ended = false;
    stream.onData((b) => got.push(b.toString()));
    stream.onEnd(() => (ended = true));
    transport.take();
    transport.deliver(dataFrame(1, 0, Buffer.from('hello')));
    transport.deliver(dataFrame(1, FLAG_FIN, Buffer.alloc(0)));
    await session.handled();
    expect(got).toEqual(['hello']);
    expect(ended).toBe(true);
    const updates = client.frames(transport.take());
    expect(updates.every((f) => f.kind === 'control' && f.type === FRAME.windowUpdate)).toBe(true);
    expect(updates.map((f) => f.data.readUInt32BE(4))).toEqual([5, 5]);
    stream.write(Buffer.from('out'));
    stream.end();
    expect(client.frames(transport.take())).toEqual([
      { kind: 'data', streamId: 1, flags: 0, data: Buffer.from('out') },
      { kind: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.alloc(0) },
    ]);
  });

  it('echoes PINGs and ends a stream the client resets', async () => {
    transport.deliver(await client.synStream(1, { streamtype: 'data' }));
    await session.handled();
    let ended = false;
    streams[0].onEnd(() => (ended = true));
    transport.take();
    transport.deliver(controlFrame(FRAME.ping, 0, Buffer.from([0, 0, 0, 7])));
    transport.deliver(rstStreamFrame(1, 5));
    await session.handled();
    expect(client.frames(transport.take())).toEqual([
      { kind: 'control', type: FRAME.ping, flags: 0, data: Buffer.from([0, 0, 0, 7]) },
    ]);
    expect(ended).toBe(true);
  });

  it('ends the connection with GOAWAY on a protocol error (an even stream id from the client)', async () => {
    transport.deliver(await client.synStream(2, { streamtype: 'data' }));
    await session.handled();
    const frames = client.frames(transport.take());
    expect(frames.map((f) => (f.kind === 'control' ? f.type : -1))).toEqual([FRAME.goAway]);
    expect(frames[0].data.readUInt32BE(4)).toBe(1); // PROTOCOL_ERROR
    expect(transport.closed).toBe(true);
    expect(streams).toEqual([]);
  });

  it('answers data on an unknown stream with RST_STREAM', async () => {
    transport.deliver(dataFrame(9, 0, Buffer.from('x')));
    await session.handled();
    const [rst] = client.frames(transport.take());
    expect(rst).toMatchObject({ kind: 'control', type: FRAME.rstStream });
    expect(rst.data.readUInt32BE(0)).toBe(9);
  });
});
