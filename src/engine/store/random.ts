/**
 * The cluster's only source of randomness: a seeded sfc32 generator whose 4-word state is part of the snapshot,
 * so a restored cluster continues the exact same sequence of uids, name suffixes, IPs and ports.
 */
import { flat } from '../api/flat-string';

export type RandomState = [number, number, number, number];

/** apimachinery `util/rand`: no vowels, no 0/1/3, so generated names never spell words (reference §4.2). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const VARIANT_CODES = Array.from('89ab', (c) => c.charCodeAt(0));
const DASH = '-'.charCodeAt(0);
const VERSION_4 = '4'.charCodeAt(0);
/** Scratch buffers of uid(): reused, since a cluster draws a uid for every object it creates. */
const UID_DIGITS = new Array<number>(32).fill(0);
const UID_CODES = new Array<number>(36).fill(0);

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
    return flat(out);
  }

  /**
   * `length` lowercase hex digits, eight per draw (each draw's most significant digit first). Written as character
   * codes and made into one string at the end: appending pieces would leave a chain of V8 rope nodes in every stored
   * uid and container ID, and allocate a string per step.
   */
  hex(length: number): string {
    const codes = new Array<number>(length);
    this.hexCodes(codes, 0, length);
    return String.fromCharCode.apply(null, codes);
  }

  /** RFC 4122 version-4 shaped uid: 32 hex digits with the version and variant digits set, as one flat string. */
  uid(): string {
    const digits = UID_DIGITS;
    this.hexCodes(digits, 0, 32);
    const codes = UID_CODES;
    let at = 0;
    for (let i = 0; i < 32; i++) {
      if (i === 8 || i === 12 || i === 16 || i === 20) codes[at++] = DASH;
      codes[at++] = i === 12 ? VERSION_4 : digits[i];
    }
    // The variant digit is drawn after the 32 digits, as it always was (the sequence of draws is part of snapshots).
    codes[19] = VARIANT_CODES[this.int(0, 3)];
    return String.fromCharCode.apply(null, codes);
  }

  /** Writes `count` hex digit codes at `from`, eight per draw. */
  private hexCodes(out: number[], from: number, count: number): void {
    for (let done = 0; done < count; done += 8) {
      const v = this.nextUint32();
      for (let j = 0; j < 8 && done + j < count; j++)
        out[from + done + j] = HEX_CODES[(v >>> (28 - 4 * j)) & 15];
    }
  }
}
