import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import { formatMiB } from './lab-files';

/**
 * Reads a raw request body (an uploaded bundle), keeping at most `limit` bytes of it: a body declared
 * larger is refused at once, one that turns out larger is refused once read. JSON bodies were already consumed by the JSON parser: a bundle
 * must come as application/gzip (or application/octet-stream).
 */
export async function readBody(request: Request, limit: number): Promise<Buffer> {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim();
  if (!['application/gzip', 'application/x-gzip', 'application/octet-stream'].includes(type))
    throw new BadRequestException('Send the bundle as the request body with Content-Type application/gzip.');
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    throw new BadRequestException(
      `Refused: the bundle is ${formatMiB(declared)}, more than the ${formatMiB(limit)} a lab may be.`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped (not kept), so the client still gets the answer.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit)
    throw new BadRequestException(`Refused: the bundle is more than the ${formatMiB(limit)} a lab may be.`);
  return Buffer.concat(chunks);
}
