import { Random } from './random';

describe('Random', () => {
  it('keeps the sequence snapshots and boot images rely on (values taken from the string-appending version)', () => {
    const random = new Random(42);
    expect([random.uid(), random.hex(64), random.hex(10), random.string(5), random.uid()]).toEqual([
      'aa09c307-f688-4ba1-b32a-31654b44d529',
      'ead142e275fb04d773e1fbae4a1c71c2528af74a3740e455d89fa9a4773c0a1f',
      'c7cf1bed1e',
      '2xtl7',
      '36c50d18-6447-497b-b624-41a4cc6ff613',
    ]);
  });

  it('draws eight hex digits per number, so a short hex uses up a whole draw', () => {
    const a = new Random(7);
    const b = new Random(7);
    expect(a.hex(3)).toBe(b.hex(8).slice(0, 3));
    expect(a.state()).toEqual(b.state());
    expect(a.hex(0)).toBe('');
    expect(a.state()).toEqual(b.state());
  });

  it('makes version-4 uids with a variant digit', () => {
    const random = new Random(3);
    for (let i = 0; i < 200; i++)
      expect(random.uid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
