/** What a run that reads typed input is given: one line at a time, null at the end of input. */
export interface LineInput {
  readLine(signal?: AbortSignal): Promise<string | null>;
}

/**
 * The typed input of one interactive run: the student's lines arrive (from the websocket, through
 * Redis) whenever they are typed; the command reads them one at a time as it needs them. Bounded,
 * so a flood of input cannot grow the worker's memory: past `maxBytes` in total, input ends.
 */
export class InputQueue implements LineInput {
  private readonly lines: string[] = [];
  private partial = '';
  private ended = false;
  private received = 0;
  private waiter: { resolve: (line: string | null) => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly maxBytes: number) {}

  /** Adds typed text; whole lines become readable, a trailing partial line waits for its newline. */
  push(data: string): { accepted: string[]; overflow: boolean } {
    if (this.ended) return { accepted: [], overflow: false };
    this.received += Buffer.byteLength(data);
    if (this.received > this.maxBytes) {
      this.end();
      return { accepted: [], overflow: true };
    }
    const parts = (this.partial + data).split('\n');
    this.partial = parts.pop() as string;
    for (const line of parts) this.deliver(line);
    return { accepted: parts, overflow: false };
  }

  /** Ctrl-D: a partial line is given as it is, then the end of input. */
  end(): void {
    if (this.ended) return;
    if (this.partial) this.deliver(this.partial);
    this.partial = '';
    this.ended = true;
    if (this.waiter && this.lines.length === 0) {
      this.waiter.resolve(null);
      this.waiter = undefined;
    }
  }

  readLine(signal?: AbortSignal): Promise<string | null> {
    const next = this.lines.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.ended) return Promise.resolve(null);
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiter = undefined;
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        resolve: (line) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(line);
        },
        reject,
      };
    });
  }

  private deliver(line: string): void {
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve(line);
      return;
    }
    this.lines.push(line);
  }
}

function abortError(): Error {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}
