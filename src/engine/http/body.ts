/** Reading a request body: a size limit and JSON (or YAML) decoding with the API server's error texts. */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { HttpStatus } from './status';

/** The real API server refuses bodies over 3 MiB; the engine's objects are small, so 1 MiB is its limit. */
export const MAX_BODY_BYTES = 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        reject(
          new HttpStatus(
            413,
            'RequestEntityTooLarge',
            `the request body is larger than the limit of ${limit} bytes`,
          ),
        );
        // Keep reading (and dropping) the rest so the answer can still be written.
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!refused) reject(error);
    });
  });
}

/**
 * Decodes a body as the content type says: JSON for `application/json` and the patch types, YAML for
 * `application/yaml` and `application/apply-patch+yaml`. Malformed input is a 400 with the decoder's message.
 */
export function decodeBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  const type = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (type.includes('protobuf'))
    throw new HttpStatus(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  if (text.trim() === '') throw new HttpStatus(400, 'BadRequest', 'the request body is empty');
  if (type.endsWith('yaml')) {
    try {
      return parseYaml(text);
    } catch (error) {
      throw new HttpStatus(
        400,
        'BadRequest',
        `error converting YAML to JSON: ${(error as Error).message.split('\n')[0]}`,
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpStatus(
      400,
      'BadRequest',
      `the body of the request could not be decoded as JSON: ${(error as Error).message}`,
    );
  }
}
