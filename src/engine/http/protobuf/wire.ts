/**
 * The protobuf wire format, read-only: varints (as bigint, so 64-bit values are exact), fixed 32/64-bit words and
 * length-delimited fields. Malformed input throws WireError; callers turn it into the API server's answer.
 */
export class WireError extends Error {}

export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

/** One field as it appears on the wire: its number, wire type and raw value. */
export interface WireField {
  number: number;
  wireType: WireType;
  /** Varint and fixed values. */
  int?: bigint;
  /** Length-delimited payload. */
  bytes?: Buffer;
}

export class WireReader {
  private at = 0;

  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.at >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.at >= this.buf.length) throw new WireError('unexpected end of data in a varint');
      const byte = this.buf[this.at++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result & 0xffffffffffffffffn;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** A little-endian fixed-width integer of `bytes` bytes (4 or 8). */
  fixed(bytes: 4 | 8): bigint {
    const b = this.take(bytes);
    return bytes === 8 ? b.readBigUInt64LE() : BigInt(b.readUInt32LE());
  }

  private take(length: number): Buffer {
    if (length < 0 || this.at + length > this.buf.length)
      throw new WireError(`field of ${length} bytes runs past the end of the data`);
    const out = this.buf.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  field(): WireField {
    const tag = this.varint();
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n) as WireType;
    if (number === 0) throw new WireError('field number 0');
    switch (wireType) {
      case WireType.Varint:
        return { number, wireType, int: this.varint() };
      case WireType.Fixed64:
        return { number, wireType, int: this.fixed(8) };
      case WireType.Fixed32:
        return { number, wireType, int: this.fixed(4) };
      case WireType.LengthDelimited:
        return { number, wireType, bytes: this.take(Number(this.varint())) };
      default:
        throw new WireError(`unsupported wire type ${wireType as number}`);
    }
  }

  /** Every field of a message, in wire order. */
  static fields(buf: Buffer): WireField[] {
    const reader = new WireReader(buf);
    const out: WireField[] = [];
    while (!reader.done()) out.push(reader.field());
    return out;
  }
}

/** A varint as the signed 64-bit integer it encodes (int32/int64 fields; negative int32 values use 10 bytes). */
export function signed64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}
