import { randomBytes, randomUUID } from 'node:crypto';
import { bearerToken, TokenCodec } from './token-codec';

describe('TokenCodec', () => {
  const codec = new TokenCodec(randomBytes(32));

  it('decodes the tokens it encodes to their id', () => {
    const id = randomUUID();
    const token = codec.encode(id);
    expect(token.startsWith(`klt1.${id}.`)).toBe(true);
    expect(codec.decode(token)).toBe(id);
  });

  it('refuses a token with another id, a changed MAC, another key or another shape', () => {
    const id = randomUUID();
    const token = codec.encode(id);
    const other = randomUUID();
    expect(codec.decode(token.replace(id, other))).toBeUndefined();
    expect(codec.decode(`${token.slice(0, -2)}AA`)).toBeUndefined();
    expect(new TokenCodec(randomBytes(32)).decode(token)).toBeUndefined();
    expect(codec.decode('kubelab')).toBeUndefined();
    expect(codec.decode(`klt1.${id}`)).toBeUndefined();
    expect(codec.decode(`klt1.not-a-uuid.${token.split('.')[2]}`)).toBeUndefined();
  });

  it('refuses a short key', () => {
    expect(() => new TokenCodec(Buffer.alloc(8))).toThrow('at least 32 bytes');
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
  });
});
