/**
 * Whether an error means the database cannot be reached (stopped, restarting, out of connections),
 * as opposed to a statement it refused. Callers that can wait for the database (held command
 * records, grading retries) or answer 503 instead of 500 ask this one place. The error may come
 * from pg itself, or from Prisma wrapping pg's error (its `cause`, or a driver adapter's `meta`).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    if (signalsUnavailable(current as ErrorShape)) return true;
    const { cause, meta, originalCode } = current as ErrorShape;
    pending.push(cause, meta, (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
    if (typeof originalCode === 'string' && UNAVAILABLE_SQLSTATES.has(originalCode)) return true;
  }
  return false;
}

interface ErrorShape {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: unknown;
  originalCode?: unknown;
}

/** Socket errors of a server that is gone or not answering. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
/**
 * SQLSTATEs of a server going away or not yet back: admin_shutdown, crash_shutdown,
 * cannot_connect_now, too_many_connections; and class 08 (connection exceptions).
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Prisma's codes for an unreachable server, a closed connection and an exhausted pool. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** Prisma driver adapters' error kinds for the same. */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/** pg's own messages when a connection dies under a query or cannot be made. */
const MESSAGES = [
  /Connection terminated/i,
  /connection terminated unexpectedly/i,
  /Client has encountered a connection error and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /the database system is (shutting down|starting up|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /Can't reach database server/i,
];

function signalsUnavailable(error: ErrorShape): boolean {
  const { code, kind, message } = error;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || PRISMA_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
  return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
}

/** What a client is told while the database is away. */
export const DATABASE_UNAVAILABLE_MESSAGE =
  'The database is briefly unavailable: signing in and starting labs are paused. Running lab terminals ' +
  'keep working; try again in a moment.';
