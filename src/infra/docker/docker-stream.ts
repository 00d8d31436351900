/** Decoding of Docker's multiplexed output streams (exec and logs without a TTY). No dockerode here. */
import { StringDecoder } from 'node:string_decoder';

export interface ExecStreams {
  onStdout(chunk: string): void;
  onStderr(chunk: string): void;
}

/**
 * Docker's multiplexed stream (no TTY): frames of an 8-byte header [type, 0, 0, 0, size uint32 BE]
 * followed by `size` bytes; type 1 is stdout, 2 stderr. Text is decoded per stream so a UTF-8
 * character split across frames is not mangled.
 */
export function demultiplex(stream: NodeJS.ReadableStream, streams: ExecStreams): Promise<void> {
  const decoders = { 1: new StringDecoder('utf8'), 2: new StringDecoder('utf8') };
  let pending: Buffer = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const size = pending.readUInt32BE(4);
        if (pending.length < 8 + size) break;
        const type = pending[0] === 2 ? 2 : 1;
        const text = decoders[type].write(pending.subarray(8, 8 + size));
        pending = pending.subarray(8 + size);
        if (text === '') continue;
        if (type === 1) streams.onStdout(text);
        else streams.onStderr(text);
      }
    });
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      // A stream cut inside a multi-byte character leaves bytes in a decoder: flush them as they are.
      const stdoutRest = decoders[1].end();
      const stderrRest = decoders[2].end();
      if (stdoutRest) streams.onStdout(stdoutRest);
      if (stderrRest) streams.onStderr(stderrRest);
      resolve();
    };
    stream.on('error', reject);
    stream.on('close', finish);
    stream.on('end', finish);
  });
}
