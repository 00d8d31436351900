import type { Readable, Writable } from 'node:stream';

/**
 * Copies a relayed answer (a watch, a big list, a stream's output) to the client with backpressure, and gives up on a
 * client that stops reading. Backpressure alone bounds the listener's memory, but a client that never reads would
 * then hold its watch slot, the relay's connection and the worker's buffers (the engine writes a watch's events
 * without waiting) for as long as it stays connected. So when the client's side stays above its high-water mark for
 * `stallMs` without draining, `onStall` is called (the caller destroys both ends). A client that reads slowly but
 * keeps draining is never cut off; the timer runs only while the client owes a drain.
 */
export function relayToClient(
  from: Readable,
  to: Writable,
  stallMs: number,
  onStall: () => void,
): { stalled(): boolean } {
  let timer: NodeJS.Timeout | undefined;
  const disarm = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  from.on('data', (chunk: Buffer) => {
    if (to.write(chunk)) return;
    from.pause();
    timer ??= setTimeout(() => {
      timer = undefined;
      onStall();
    }, stallMs);
  });
  to.on('drain', () => {
    disarm();
    from.resume();
  });
  // Not disarmed at the end: what is left in the client's buffer must still drain (a big list's last part).
  from.once('end', () => to.end());
  to.once('close', disarm);
  return { stalled: () => timer !== undefined };
}
