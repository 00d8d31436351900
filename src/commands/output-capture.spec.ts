import { OutputCapture, TRUNCATION_MARKER } from './output-capture';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('OutputCapture', () => {
  it('forwards chunks of one tick as one message per stream run, in order', async () => {
    const sent: [string, string][] = [];
    const capture = new OutputCapture(
      1024,
      (stream, data) => sent.push([stream, data]),
      () => undefined,
    );
    capture.sink.stdout('NAME ');
    capture.sink.stdout('READY\n');
    capture.sink.stderr('warning\n');
    capture.sink.stdout('x\n');
    expect(sent).toEqual([]);
    await tick();
    expect(sent).toEqual([
      ['stdout', 'NAME READY\n'],
      ['stderr', 'warning\n'],
      ['stdout', 'x\n'],
    ]);
    capture.sink.stdout('later\n');
    await tick();
    expect(sent[3]).toEqual(['stdout', 'later\n']);
    expect(capture.output).toBe('NAME READY\nwarning\nx\nlater\n');
  });

  it('stops at the byte cap with one marker and tells the caller', async () => {
    const sent: string[] = [];
    let limited = 0;
    const capture = new OutputCapture(
      10,
      (_s, data) => sent.push(data),
      () => limited++,
    );
    capture.sink.stdout('12345');
    capture.sink.stdout('67890ABC');
    capture.sink.stdout('more');
    capture.flush();
    expect(limited).toBe(1);
    expect(capture.truncated).toBe(true);
    expect(sent.join('')).toBe('1234567890' + TRUNCATION_MARKER(10));
    await tick();
  });

  it('does not split a multi-byte character at the cap', () => {
    const capture = new OutputCapture(
      4,
      () => undefined,
      () => undefined,
    );
    capture.sink.stdout('ab标'); // 2 + 3 bytes
    expect(capture.output.startsWith('ab')).toBe(true);
    expect(capture.output).not.toContain('\ufffd');
    capture.flush();
  });

  it('names the cap in MiB', () => {
    expect(TRUNCATION_MARKER(1024 * 1024)).toBe(
      '\n[output truncated: this command printed more than 1 MiB]\n',
    );
  });
});
