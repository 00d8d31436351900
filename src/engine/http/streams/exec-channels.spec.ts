import { CHANNEL, exitStatus, SUCCESS, webSocketChannels } from './exec-channels';
import { MemoryTransport } from './memory-transport';
import { WebSocketConnection } from './websocket';
import { encodeFrame, FrameParser, OPCODE } from './websocket-frames';

const MASK = Buffer.from([1, 2, 3, 4]);

/** The client sends one binary message: its channel byte, then data. */
function clientMessage(channel: number, data: Buffer | string): Buffer {
  return encodeFrame(OPCODE.binary, Buffer.concat([Buffer.from([channel]), Buffer.from(data)]), MASK);
}

/** What the server sent, as (opcode, payload) messages. */
function serverMessages(transport: MemoryTransport) {
  return new FrameParser(1 << 20, false).push(transport.take());
}

describe('exec channels on a WebSocket (v4/v5.channel.k8s.io)', () => {
  it('writes stdout and stderr on their channels, then the Status on channel 3 and a normal close', () => {
    const transport = new MemoryTransport();
    const channels = webSocketChannels(new WebSocketConnection(transport), 5);
    channels.stdout(Buffer.from('out'));
    channels.stderr(Buffer.from('err'));
    channels.finish(exitStatus(3, ['sh', '-c', 'exit 3']));
    const messages = serverMessages(transport);
    expect(messages.map((m) => m.opcode)).toEqual([
      OPCODE.binary,
      OPCODE.binary,
      OPCODE.binary,
      OPCODE.close,
    ]);
    expect(messages[0].payload).toEqual(Buffer.from('\x01out'));
    expect(messages[1].payload).toEqual(Buffer.from('\x02err'));
    expect(messages[2].payload[0]).toBe(CHANNEL.error);
    expect(JSON.parse(messages[2].payload.subarray(1).toString())).toEqual({
      metadata: {},
      status: 'Failure',
      message:
        'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(messages[3].payload.readUInt16BE(0)).toBe(1000);
    expect(transport.closed).toBe(true);
    // Nothing more after the end.
    channels.stdout(Buffer.from('late'));
    expect(transport.take().length).toBe(0);
  });

  it('delivers stdin, v5 close of stdin (255 0) and resizes; answers pings', () => {
    const transport = new MemoryTransport();
    const channels = webSocketChannels(new WebSocketConnection(transport), 5);
    const input: string[] = [];
    const sizes: unknown[] = [];
    let ended = false;
    channels.onStdin((b) => input.push(b.toString()));
    channels.onStdinEnd(() => (ended = true));
    channels.onResize((size) => sizes.push(size));
    transport.deliver(clientMessage(CHANNEL.stdin, 'hello'));
    transport.deliver(clientMessage(CHANNEL.resize, '{"Width":120,"Height":40}'));
    transport.deliver(encodeFrame(OPCODE.ping, Buffer.from('hb'), MASK));
    transport.deliver(clientMessage(CHANNEL.close, Buffer.from([CHANNEL.stdin])));
    expect(input).toEqual(['hello']);
    expect(sizes).toEqual([{ width: 120, height: 40 }]);
    expect(ended).toBe(true);
    expect(serverMessages(transport)).toEqual([{ opcode: OPCODE.pong, payload: Buffer.from('hb') }]);
  });

  it('v4 has no close signal: channel 255 is not an end of stdin there', () => {
    const transport = new MemoryTransport();
    const channels = webSocketChannels(new WebSocketConnection(transport), 4);
    let ended = false;
    channels.onStdinEnd(() => (ended = true));
    transport.deliver(clientMessage(CHANNEL.close, Buffer.from([CHANNEL.stdin])));
    expect(ended).toBe(false);
  });

  it('tells the exec when the client goes away before its end, not after', () => {
    const transport = new MemoryTransport();
    const channels = webSocketChannels(new WebSocketConnection(transport), 5);
    let gone = 0;
    channels.onClose(() => gone++);
    transport.close();
    expect(gone).toBe(1);
    const finished = new MemoryTransport();
    const done = webSocketChannels(new WebSocketConnection(finished), 5);
    done.onClose(() => gone++);
    done.finish(SUCCESS);
    expect(gone).toBe(1);
  });

  it('closes with 1002 on a frame that breaks the protocol (unmasked)', () => {
    const transport = new MemoryTransport();
    new WebSocketConnection(transport);
    transport.deliver(encodeFrame(OPCODE.binary, Buffer.from('x')));
    const [close] = serverMessages(transport);
    expect(close.opcode).toBe(OPCODE.close);
    expect(close.payload.readUInt16BE(0)).toBe(1002);
  });
});
