import type { OutputSink } from '../clusters/cluster-driver';

export const TRUNCATION_MARKER = (limitBytes: number) =>
  `\n[output truncated: this command printed more than ${formatBytes(limitBytes)}]\n`;

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;
}

/**
 * Collects a command's output for the record and forwards it live. Chunks written in the same tick
 * are coalesced into one message per stream; past the byte cap, the rest is dropped, a marker is
 * sent once and `onLimit` lets the caller stop the command.
 */
export class OutputCapture {
  private recorded = '';
  private recordedBytes = 0;
  private pending: { stream: 'stdout' | 'stderr'; data: string }[] = [];
  private flushScheduled = false;
  private limitReached = false;

  constructor(
    private readonly limitBytes: number,
    private readonly forward: (stream: 'stdout' | 'stderr', data: string) => void,
    private readonly onLimit: () => void,
  ) {}

  readonly sink: OutputSink = {
    stdout: (chunk) => this.write('stdout', chunk),
    stderr: (chunk) => this.write('stderr', chunk),
  };

  get output(): string {
    return this.recorded;
  }

  get bytes(): number {
    return this.recordedBytes;
  }

  get truncated(): boolean {
    return this.limitReached;
  }

  /** Sends whatever is still pending; call before announcing the exit. */
  flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.flushScheduled = false;
    let current: { stream: 'stdout' | 'stderr'; data: string } | undefined;
    for (const piece of batch) {
      if (current && current.stream === piece.stream) {
        current.data += piece.data;
        continue;
      }
      if (current) this.forward(current.stream, current.data);
      current = { ...piece };
    }
    if (current) this.forward(current.stream, current.data);
  }

  private write(stream: 'stdout' | 'stderr', chunk: string): void {
    if (this.limitReached || chunk.length === 0) return;
    const size = Buffer.byteLength(chunk, 'utf8');
    if (this.recordedBytes + size > this.limitBytes) {
      const room = this.limitBytes - this.recordedBytes;
      const head = Buffer.from(chunk, 'utf8')
        .subarray(0, room)
        .toString('utf8')
        .replace(/\ufffd$/, '');
      this.append(stream, head);
      this.limitReached = true;
      this.append('stderr', TRUNCATION_MARKER(this.limitBytes));
      this.onLimit();
      return;
    }
    this.append(stream, chunk);
  }

  private append(stream: 'stdout' | 'stderr', data: string): void {
    if (data.length === 0) return;
    this.recorded += data;
    this.recordedBytes += Buffer.byteLength(data, 'utf8');
    this.pending.push({ stream, data });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }
}
