/**
 * The cluster's only source of randomness: a seeded sfc32 generator whose 4-word state is part of the snapshot,
 * so a restored cluster continues the exact same sequence of uids, name suffixes, IPs and ports.
 */
export type RandomState = [number, number, number, number];

/** apimachinery `util/rand`: no vowels, no 0/1/3, so generated names never spell words (reference §4.2). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seedOrState: number | RandomState) {
    if (Array.isArray(seedOrState)) {
      [this.a, this.b, this.c, this.d] = seedOrState;
      return;
    }
    [this.a, this.b, this.c, this.d] = [0x9e3779b9, 0x243f6a88, 0xb7e15162, seedOrState >>> 0];
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  state(): RandomState {
    return [this.a, this.b, this.c, this.d];
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor((this.nextUint32() / 0x100000000) * (max - min + 1));
  }

  string(length: number, alphabet = NAME_ALPHABET): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }

  /** `length` lowercase hex digits, eight per draw. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      const v = this.nextUint32();
      out += HEX_BYTE[v >>> 24] + HEX_BYTE[(v >>> 16) & 255] + HEX_BYTE[(v >>> 8) & 255] + HEX_BYTE[v & 255];
    }
    return out.length === length ? out : out.slice(0, length);
  }

  /** RFC 4122 version-4 shaped uid. */
  uid(): string {
    const h = this.hex(32);
    const variant = '89ab'[this.int(0, 3)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
