import * as zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary';
import {
  adler32,
  controlFrame,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  FLAG_FIN,
  FRAME,
  HeaderCompressor,
  HeaderDecompressor,
  SpdyFrameParser,
  SpdyProtocolError,
  type Headers,
} from './spdy-frames';

/** What a peer's zlib (kubectl's Go zlib) does: one deflate stream from the dictionary, a sync flush per block. */
function realCompressor(): (headers: Record<string, string>) => Promise<Buffer> {
  const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  return (headers) =>
    new Promise((resolve) => {
      deflate.write(encodeHeaderBlock(headers));
      deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(deflate.read() as Buffer));
    });
}

describe('SPDY/3.1 frames', () => {
  it('has the 1,423-byte SPDY/3 dictionary, named by the Adler-32 zlib itself writes', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from('\0\0\0\x07options', 'latin1'));
    expect(SPDY3_DICTIONARY.subarray(-7).toString('latin1')).toBe(',enq=0.');
    const stream = zlib.deflateSync(Buffer.from('x'), { dictionary: SPDY3_DICTIONARY });
    expect(stream.readUInt32BE(2)).toBe(adler32(SPDY3_DICTIONARY));
  });

  it('round-trips name/value blocks (names lower-cased, as SPDY requires)', () => {
    const block = encodeHeaderBlock({ StreamType: 'data', port: '80', requestid: '0' });
    expect(decodeHeaderBlock(block)).toEqual({ streamtype: 'data', port: '80', requestid: '0' });
    expect(() => decodeHeaderBlock(block.subarray(0, block.length - 1))).toThrow(SpdyProtocolError);
  });

  it('writes header blocks zlib inflates in sequence with the dictionary', () => {
    const compressor = new HeaderCompressor();
    const inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
    const blocks: Headers[] = [{}, { a: 'b' }, { streamtype: 'error', big: 'x'.repeat(70_000) }];
    const wire = Buffer.concat(blocks.map((h) => compressor.compress(h)));
    const inflated = zlib.inflateSync(wire, {
      dictionary: SPDY3_DICTIONARY,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
    let at = 0;
    for (const headers of blocks) {
      const length = encodeHeaderBlock(headers).length;
      expect(decodeHeaderBlock(inflated.subarray(at, at + length))).toEqual(headers);
      at += length;
    }
    expect(at).toBe(inflated.length);
    inflate.close();
  });

  it('inflates the blocks a real zlib peer sends, one after another on one stream', async () => {
    const compress = realCompressor();
    const decompressor = new HeaderDecompressor();
    const sent: Headers[] = [
      { streamtype: 'error' },
      { streamtype: 'stdout' },
      { streamtype: 'data', port: '80' },
    ];
    for (const headers of sent)
      expect(await decompressor.decompress(await compress(headers))).toEqual(headers);
    decompressor.close();
  });

  it('fails a header stream made with another dictionary', async () => {
    const foreign = zlib.deflateSync(encodeHeaderBlock({ a: 'b' }), { dictionary: Buffer.from('another') });
    await expect(new HeaderDecompressor().decompress(foreign)).rejects.toThrow(SpdyProtocolError);
  });

  it('splits control and data frames out of arbitrary chunks', () => {
    const ping = controlFrame(FRAME.ping, 0, Buffer.from([0, 0, 0, 1]));
    const data = dataFrame(5, FLAG_FIN, Buffer.from('hello'));
    const parser = new SpdyFrameParser();
    const wire = Buffer.concat([ping, data]);
    const frames = [];
    for (let at = 0; at < wire.length; at += 3) frames.push(...parser.push(wire.subarray(at, at + 3)));
    expect(frames).toEqual([
      { kind: 'control', type: FRAME.ping, flags: 0, data: Buffer.from([0, 0, 0, 1]) },
      { kind: 'data', streamId: 5, flags: FLAG_FIN, data: Buffer.from('hello') },
    ]);
  });

  it('refuses another SPDY version and frames over the limit', () => {
    const v2 = controlFrame(FRAME.ping, 0, Buffer.alloc(4));
    v2.writeUInt16BE(0x8002, 0);
    expect(() => new SpdyFrameParser().push(v2)).toThrow('unsupported SPDY version 2');
    expect(() => new SpdyFrameParser(4).push(dataFrame(1, 0, Buffer.alloc(5)))).toThrow('too big');
  });
});
