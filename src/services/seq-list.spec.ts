import { SeqList } from './seq-list';

describe('SeqList', () => {
  it('keeps numbers where they are inserted, growing past its first capacity, and removes them', () => {
    const list = new SeqList();
    for (let seq = 1; seq <= 40; seq++) list.insert(list.length, seq * 2);
    list.insert(0, 1);
    list.insert(5, 9);
    expect(list.length).toBe(42);
    expect([0, 1, 4, 5, 6, 41].map((index) => list.at(index))).toEqual([1, 2, 8, 9, 10, 80]);
    expect(list.lastIndexOf(9)).toBe(5);
    expect(list.lastIndexOf(7)).toBe(-1);
    list.removeAt(5);
    list.removeAt(0);
    expect(list.length).toBe(40);
    expect(Array.from({ length: 40 }, (_, index) => list.at(index))).toEqual(
      Array.from({ length: 40 }, (_, index) => (index + 1) * 2),
    );
  });

  it('refuses what is not a run number', () => {
    expect(() => new SeqList().insert(0, -1)).toThrow(RangeError);
    expect(() => new SeqList().insert(0, 2 ** 31)).toThrow(RangeError);
    expect(() => new SeqList().insert(0, 1.5)).toThrow(RangeError);
  });
});
