/**
 * An in-memory ByteTransport: what the server writes is collected, what the peer sends is delivered on the next
 * turn as a socket delivers it. Used by the streams' unit specs to play the client side.
 */
import type { ByteTransport } from './transport';

export class MemoryTransport implements ByteTransport {
  readonly written: Buffer[] = [];
  closed = false;
  private readonly dataListeners: ((bytes: Buffer) => void)[] = [];
  private readonly closeListeners: (() => void)[] = [];

  write(bytes: Buffer): void {
    if (!this.closed) this.written.push(bytes);
  }

  onData(listener: (bytes: Buffer) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener();
  }

  buffered(): number {
    return 0;
  }

  /** The peer sends `bytes`. */
  deliver(bytes: Buffer): void {
    for (const listener of this.dataListeners) listener(bytes);
  }

  /** Everything written so far, and forgets it. */
  take(): Buffer {
    const all = Buffer.concat(this.written);
    this.written.length = 0;
    return all;
  }
}
