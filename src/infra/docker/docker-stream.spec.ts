import { PassThrough } from 'node:stream';
import { demultiplex } from './docker-stream';

function frame(type: 1 | 2, payload: Buffer | string): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function collect() {
  const seen: [string, string][] = [];
  return {
    seen,
    streams: {
      onStdout: (t: string) => seen.push(['out', t]),
      onStderr: (t: string) => seen.push(['err', t]),
    },
  };
}

test('frames are split into stdout and stderr in order, as they arrive', async () => {
  const input = new PassThrough();
  const { seen, streams } = collect();
  const done = demultiplex(input, streams);
  input.write(frame(1, 'NAME\n'));
  await new Promise((resolve) => setImmediate(resolve));
  expect(seen).toEqual([['out', 'NAME\n']]); // delivered before the stream ends
  input.write(Buffer.concat([frame(2, 'warning\n'), frame(1, 'web\n')]));
  input.end();
  await done;
  expect(seen).toEqual([
    ['out', 'NAME\n'],
    ['err', 'warning\n'],
    ['out', 'web\n'],
  ]);
});

test('a frame cut across chunks and a character cut across frames come out whole', async () => {
  const input = new PassThrough();
  const { seen, streams } = collect();
  const done = demultiplex(input, streams);
  const snowman = Buffer.from('☃');
  const bytes = Buffer.concat([
    frame(1, Buffer.concat([Buffer.from('a'), snowman.subarray(0, 1)])),
    frame(1, snowman.subarray(1)),
  ]);
  for (let i = 0; i < bytes.length; i += 3) input.write(bytes.subarray(i, i + 3));
  input.end();
  await done;
  expect(seen.map(([, text]) => text).join('')).toBe('a☃');
  expect(seen.every(([stream]) => stream === 'out')).toBe(true);
});

test('bytes left in a decoder when the stream ends are still delivered', async () => {
  const input = new PassThrough();
  const { seen, streams } = collect();
  const done = demultiplex(input, streams);
  input.end(frame(2, Buffer.from('☃').subarray(0, 2)));
  await done;
  expect(seen).toEqual([['err', '\ufffd']]);
});
