/** The API server's Status answers the platform gives itself, before a request reaches a cluster. */
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { forbiddenError, type RequestAttributes } from '../engine/server/rbac';
import { HttpStatus, statusFor, type StatusBody } from '../engine/http/status';

export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export const unauthorized = (): StatusBody => statusFor(new HttpStatus(401, 'Unauthorized', 'Unauthorized'));

export const notFound = (): StatusBody =>
  statusFor(new HttpStatus(404, 'NotFound', 'the server could not find the requested resource', {}));

export const tooLarge = (): StatusBody =>
  statusFor(
    new HttpStatus(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`,
    ),
  );

/**
 * 429 for a session's own limits, worded as apimachinery's NewTooManyRequestsError ("Too many requests: …") with the
 * wait in the details as NewTooManyRequests gives it. kubectl retries on the Retry-After header (10 times), then
 * prints the message for a plain request ("Error from server (TooManyRequests): Too many requests: …"); for a watch it
 * prints client-go's own words instead (the server has received too many requests …), as with any API server.
 */
export const tooManyRequests = (retryAfterSeconds: number, why: string): StatusBody =>
  statusFor(
    new HttpStatus(429, 'TooManyRequests', `Too many requests: ${why}; please try again later`, {
      retryAfterSeconds,
    }),
  );

/** 429 while the lab platform is overloaded (issue 21): the message says so, and when to come back. */
export const platformBusy = (retryAfterSeconds: number, why: string): StatusBody =>
  statusFor(
    new HttpStatus(429, 'TooManyRequests', `the lab is busy, please try again in ${retryAfterSeconds} s`, {
      causes: [{ reason: 'TooManyRequests', message: `the lab platform is overloaded: ${why}` }],
      retryAfterSeconds,
    }),
  );

/** 403 as RBAC words it, for a write with an instructor's read-only token. */
export const forbidden = (userName: string, attributes: RequestAttributes): StatusBody =>
  statusFor(forbiddenError({ name: userName, groups: ['system:authenticated'] }, attributes));

export const unavailable = (message: string): StatusBody =>
  statusFor(new HttpStatus(503, 'ServiceUnavailable', message));

export function sendStatus(
  res: ServerResponse,
  status: StatusBody,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(status);
  res.writeHead(status.code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A Status on a socket whose request asked for an upgrade (no ServerResponse exists for it). */
export function sendStatusOnSocket(
  socket: Duplex,
  status: StatusBody,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(status);
  const lines = [
    `HTTP/1.1 ${status.code} ${status.reason ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}
