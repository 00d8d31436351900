/**
 * The cluster's only source of randomness: a seeded sfc32 generator whose 4-word state is part of the snapshot,
 * so a restored cluster continues the exact same sequence of uids, name suffixes, IPs and ports.
 */
export type RandomState = [number, number, number, number];

/** apimachinery `util/rand`: no vowels, no 0/1/3, so generated names never spell words (reference §4.2). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class Random {
  private s: RandomState;

  constructor(seedOrState: number | RandomState) {
    if (Array.isArray(seedOrState)) {
      this.s = [...seedOrState] as RandomState;
      return;
    }
    const seed = seedOrState >>> 0;
    this.s = [0x9e3779b9, 0x243f6a88, 0xb7e15162, seed];
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  state(): RandomState {
    return [...this.s] as RandomState;
  }

  nextUint32(): number {
    let [a, b, c, d] = this.s;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.s = [a, b, c, d];
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

  hex(length: number): string {
    return this.string(length, '0123456789abcdef');
  }

  /** RFC 4122 version-4 shaped uid. */
  uid(): string {
    const h = this.hex(32);
    const variant = '89ab'[this.int(0, 3)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
