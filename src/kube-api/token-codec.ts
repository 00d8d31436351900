/**
 * Kubernetes API bearer tokens: `klt1.<token id>.<HMAC-SHA256 of the id under the platform's key>`. The database
 * keeps only the id (and whom it is for), so a leaked row is not a usable token; the platform can still hand the
 * current token out again (a second kubeconfig download) because it can recompute the HMAC.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'klt1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class TokenCodec {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the token key must be at least 32 bytes');
  }

  encode(tokenId: string): string {
    return `${PREFIX}.${tokenId}.${this.mac(tokenId).toString('base64url')}`;
  }

  /** The token id a bearer token stands for, or undefined when it is not one of ours (or was tampered with). */
  decode(token: string): string | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== PREFIX || !UUID.test(parts[1])) return undefined;
    const given = Buffer.from(parts[2], 'base64url');
    const expected = this.mac(parts[1]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return parts[1];
  }

  private mac(tokenId: string): Buffer {
    return createHmac('sha256', this.key).update(`kube-api-token:${tokenId}`).digest();
  }
}

/** The bearer token of an `Authorization` header, if it has one. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
