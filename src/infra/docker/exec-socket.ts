/**
 * ExecSocket: a process's stdin and stdout inside a container, as one byte stream (no dockerode here).
 * Docker's hijacked exec connection carries raw stdin one way and multiplexed frames (docker-stream.ts) the
 * other; this takes stdout's bytes out of the frames as they are, keeps stderr for the error a failure reports, and
 * passes stdin through. It has the socket methods node:http's client and Agent call, so an exec'd bridge
 * (`nc HOST PORT`) can carry an HTTP connection.
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

const STDERR_KEPT = 2048;

export class ExecSocket extends Duplex {
  private unframed: Buffer = Buffer.alloc(0);
  private stderr = '';
  private received = 0;

  constructor(
    private readonly raw: Socket,
    private readonly label: string,
  ) {
    super({ allowHalfOpen: true });
    raw.on('data', (chunk: Buffer) => this.takeFrames(chunk));
    raw.on('end', () => this.push(null));
    raw.on('close', () => {
      if (!this.readableEnded) this.push(null);
    });
    raw.on('error', (error) => this.destroy(error));
    raw.on('timeout', () => this.emit('timeout'));
  }

  /** What the process wrote to stderr so far (its last STDERR_KEPT characters): why a bridge failed. */
  get errorOutput(): string {
    return this.stderr;
  }

  /** Bytes of stdout received so far. */
  get bytesReceived(): number {
    return this.received;
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.raw.write(chunk, callback);
  }

  /** Half-closes the connection: the engine closes the process's stdin (as `docker exec -i` at end of input). */
  override _final(callback: (error?: Error | null) => void): void {
    this.raw.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.raw.destroy();
    callback(error);
  }

  // The socket methods node:http's client and Agent use, passed to the connection to the engine.
  setTimeout(ms: number, onTimeout?: () => void): this {
    // As net.Socket's: 0 turns the timer off and takes the listener back.
    this.raw.setTimeout(ms);
    if (onTimeout && ms === 0) this.removeListener('timeout', onTimeout);
    else if (onTimeout) this.once('timeout', onTimeout);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.raw.setNoDelay?.(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, delayMs?: number): this {
    this.raw.setKeepAlive?.(enable, delayMs);
    return this;
  }

  ref(): this {
    this.raw.ref?.();
    return this;
  }

  unref(): this {
    this.raw.unref?.();
    return this;
  }

  override toString(): string {
    return `ExecSocket(${this.label})`;
  }

  /** Frames: an 8-byte header [stream, 0, 0, 0, size uint32 BE], then `size` bytes; stream 2 is stderr. */
  private takeFrames(chunk: Buffer): void {
    this.unframed = this.unframed.length === 0 ? chunk : Buffer.concat([this.unframed, chunk]);
    let pushedAll = true;
    while (this.unframed.length >= 8) {
      const size = this.unframed.readUInt32BE(4);
      if (this.unframed.length < 8 + size) break;
      const payload = this.unframed.subarray(8, 8 + size);
      if (this.unframed[0] === 2) this.stderr = (this.stderr + payload.toString('utf8')).slice(-STDERR_KEPT);
      else if (payload.length > 0) {
        this.received += payload.length;
        pushedAll = this.push(payload) && pushedAll;
      }
      this.unframed = this.unframed.subarray(8 + size);
    }
    // Back-pressure: the reader is behind, so stop reading the engine's connection until _read asks again.
    if (!pushedAll) this.raw.pause();
  }
}
