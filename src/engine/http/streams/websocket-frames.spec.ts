import { randomBytes } from 'node:crypto';
import {
  acceptKey,
  closePayload,
  encodeFrame,
  FrameParser,
  OPCODE,
  WebSocketProtocolError,
} from './websocket-frames';

const MASK = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);

describe('WebSocket frames', () => {
  it('computes Sec-WebSocket-Accept as RFC 6455 §1.3 does', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('encodes server frames unmasked with 7-bit, 16-bit and 64-bit lengths', () => {
    expect(encodeFrame(OPCODE.binary, Buffer.from('hi'))).toEqual(Buffer.from([0x82, 0x02, 0x68, 0x69]));
    const medium = encodeFrame(OPCODE.binary, Buffer.alloc(300));
    expect([...medium.subarray(0, 4)]).toEqual([0x82, 126, 0x01, 0x2c]);
    const large = encodeFrame(OPCODE.binary, Buffer.alloc(70_000));
    expect(large[1]).toBe(127);
    expect(large.readBigUInt64BE(2)).toBe(70_000n);
  });

  it('parses masked client frames split anywhere, whatever their size', () => {
    const parser = new FrameParser(1 << 20);
    const payloads = [Buffer.from('a'), randomBytes(300), randomBytes(70_000)];
    const wire = Buffer.concat(payloads.map((p) => encodeFrame(OPCODE.binary, p, MASK)));
    const messages = [];
    for (let at = 0; at < wire.length; at += 7) messages.push(...parser.push(wire.subarray(at, at + 7)));
    expect(messages.map((m) => m.payload)).toEqual(payloads);
    expect(messages.every((m) => m.opcode === OPCODE.binary)).toBe(true);
  });

  it('joins fragments and lets control frames through between them', () => {
    const parser = new FrameParser(1024);
    const first = encodeFrame(OPCODE.text, Buffer.from('hel'), MASK);
    first[0] &= 0x7f; // not FIN
    const ping = encodeFrame(OPCODE.ping, Buffer.from('p'), MASK);
    const last = encodeFrame(OPCODE.continuation, Buffer.from('lo'), MASK);
    const messages = parser.push(Buffer.concat([first, ping, last]));
    expect(messages).toEqual([
      { opcode: OPCODE.ping, payload: Buffer.from('p') },
      { opcode: OPCODE.text, payload: Buffer.from('hello') },
    ]);
  });

  it('refuses unmasked client frames, unknown opcodes and messages over the limit', () => {
    expect(() => new FrameParser(1024).push(encodeFrame(OPCODE.binary, Buffer.from('x')))).toThrow(
      WebSocketProtocolError,
    );
    expect(() => new FrameParser(1024).push(encodeFrame(0x3, Buffer.from('x'), MASK))).toThrow(
      'unknown opcode 3',
    );
    const big = () => new FrameParser(10).push(encodeFrame(OPCODE.binary, Buffer.alloc(11), MASK));
    expect(big).toThrow('frame too big');
    try {
      big();
    } catch (error) {
      expect((error as WebSocketProtocolError).code).toBe(1009);
    }
  });

  it('writes a close payload with its code and reason', () => {
    expect(closePayload(1000, 'bye')).toEqual(Buffer.from([0x03, 0xe8, 0x62, 0x79, 0x65]));
  });
});
