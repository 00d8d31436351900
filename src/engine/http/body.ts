/** Reading a request body: a size limit and JSON (or YAML) decoding with the API server's error texts. */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { HttpStatus } from './status';
import { decodeProtobufBody, ProtobufDecodeError } from './protobuf/decode';

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

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/**
 * Decodes a body as the content type says: JSON for `application/json` and the patch types, YAML for
 * `application/yaml` and `application/apply-patch+yaml`, and Kubernetes protobuf (kubectl 1.32+ typed clients) into
 * the same JSON object (protobuf/decode.ts). Malformed input is a 400 with the decoder's message.
 */
export function decodeBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  const type = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (type === PROTOBUF_CONTENT_TYPE) {
    if (raw.length === 0) throw new HttpStatus(400, 'BadRequest', 'the request body is empty');
    return decodeProtobuf(raw);
  }
  if (type.includes('protobuf'))
    throw new HttpStatus(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF_CONTENT_TYPE}`,
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

/**
 * The API server's answers to a protobuf body it cannot decode (create/update handlers' transformDecodeError): with
 * a kind known from the envelope `<Kind> in version "<v>" cannot be handled as a <Kind>: <error>`, otherwise
 * `the object provided is unrecognized: <error> (<hex of the first 30 bytes> ...)`.
 */
function decodeProtobuf(raw: Buffer): unknown {
  try {
    return decodeProtobufBody(raw);
  } catch (error) {
    if (!(error instanceof ProtobufDecodeError)) throw error;
    if (error.kind !== undefined) {
      const version = (error.version ?? '').split('/').pop();
      throw new HttpStatus(
        400,
        'BadRequest',
        `${error.kind} in version "${version}" cannot be handled as a ${error.kind}: ${error.message}`,
      );
    }
    const summary = raw.length > 30 ? `${raw.subarray(0, 30).toString('hex')} ...` : raw.toString('hex');
    throw new HttpStatus(
      400,
      'BadRequest',
      `the object provided is unrecognized: ${error.message} (${summary})`,
    );
  }
}
