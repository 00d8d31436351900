import type { KubeObject } from '../api/types';
import { ObjectStore, sortInPlace, type ChangeType } from './store';

const pod = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
});

describe('ObjectStore', () => {
  it('counts, lists and dates changes per namespace', () => {
    const store = new ObjectStore(10);
    store.put('pods', pod('b', 'x'));
    store.put('pods', pod('a', 'y'));
    store.put('pods', pod('a', 'y'));
    expect(store.count('pods')).toBe(2);
    expect(store.list('pods').map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'a/y',
      'b/x',
    ]);
    expect(store.get('pods', 'a', 'y')?.metadata.resourceVersion).toBe('13');
    expect(store.changedInSince('pods', 'a', 12)).toBe(true);
    expect(store.changedInSince('pods', 'b', 11)).toBe(false);
    expect(store.changedInSince('pods', 'c', 0)).toBe(false);
    store.remove('pods', 'b', 'x');
    expect(store.count('pods')).toBe(1);
    expect(store.changedInSince('pods', 'b', 13)).toBe(true);
    expect([...store.namespacesOf(['pods'])]).toEqual(['a']);
  });

  it('hands each change to the listeners there were when the write began', () => {
    const store = new ObjectStore();
    const seen: string[] = [];
    let unsubscribeB = () => {};
    const a = (type: ChangeType, _r: string, obj: KubeObject) => {
      seen.push(`a ${type} ${obj.metadata.name}`);
      unsubscribeB();
      store.subscribe(c);
    };
    const b = (type: ChangeType, _r: string, obj: KubeObject) => seen.push(`b ${type} ${obj.metadata.name}`);
    const c = (type: ChangeType, _r: string, obj: KubeObject) => seen.push(`c ${type} ${obj.metadata.name}`);
    store.subscribe(a);
    store.subscribe(a);
    unsubscribeB = store.subscribe(b);
    store.put('pods', pod('default', 'one'));
    store.put('pods', pod('default', 'two'));
    // b was dropped and c added during the first change: b still hears it, c only the next one; a once each.
    expect(seen).toEqual(['a ADDED one', 'b ADDED one', 'a ADDED two', 'c ADDED two']);
  });
});

describe('sortInPlace', () => {
  it('orders like Array.prototype.sort, even with comparators that are not total orders', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const comparators: Array<(a: number[], b: number[]) => number> = [
      (a, b) => a[0] - b[0],
      (a, b) => a[0] - b[0] || 1, // byCreation's shape: never 0
      (a, b) => (a[0] < b[0] ? -1 : 1),
      (a, b) => b[0] - a[0],
    ];
    let compared = 0;
    for (let round = 0; round < 3000; round++) {
      const items = Array.from({ length: Math.floor(next() * 70) }, (_, i) => [Math.floor(next() * 5), i]);
      for (const compare of comparators) {
        const expected = [...items].sort(compare);
        const actual = [...items];
        expect(sortInPlace(actual, compare)).toBe(actual);
        expect(actual).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBe(12000);
  });
});
