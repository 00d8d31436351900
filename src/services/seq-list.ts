/**
 * Run numbers at the places they are inserted (SessionHistory keeps them in order), in an Int32Array that grows as
 * needed: four bytes a run where a number[] takes eight, for every command of every history a worker keeps.
 */
export class SeqList {
  private items = new Int32Array(16);
  private count = 0;

  get length(): number {
    return this.count;
  }

  at(index: number): number {
    return this.items[index];
  }

  insert(index: number, seq: number): void {
    if (!Number.isInteger(seq) || seq < 0 || seq > 0x7fffffff)
      throw new RangeError(`not a run number: ${seq}`);
    if (this.count === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items.copyWithin(index + 1, index, this.count);
    this.items[index] = seq;
    this.count++;
  }

  removeAt(index: number): void {
    this.items.copyWithin(index, index + 1, this.count);
    this.count--;
  }

  /** Where `seq` is (searched from the end, where the runs read last are), or -1. */
  lastIndexOf(seq: number): number {
    for (let index = this.count - 1; index >= 0; index--) if (this.items[index] === seq) return index;
    return -1;
  }
}
