/** The schema engine's errors carry a Rust backtrace after the message; operators need only the message. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(/\n\s+0: /)[0].trim();
}
