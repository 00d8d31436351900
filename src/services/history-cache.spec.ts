import { HistoryCache } from './history-cache';
import type { HistoryRow } from './session-history';

/** `count` finished commands with outputs of `size` characters, each its own, numbered from `from`. */
function rows(count: number, size: number, from = 1): HistoryRow[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    command: 'kubectl get pods',
    exitCode: 0,
    output: `${from + i}:`.padEnd(size, 'x'),
    status: 'completed' as const,
  }));
}

describe('HistoryCache', () => {
  it('keeps the histories it is given, and counts what they hold', () => {
    const cache = new HistoryCache(1024 * 1024, 10);
    const history = cache.take('s1');
    history.add(rows(3, 100));
    cache.put('s1', history);
    expect(cache.take('s1')).toBe(history);
    cache.put('s1', history);
    expect(cache.size).toEqual({ sessions: 1, bytes: history.bytes });
    expect(history.bytes).toBeGreaterThan(3 * 2 * 100);
  });

  it('drops the least recently used sessions once the kept histories outgrow the byte bound', () => {
    const cache = new HistoryCache(10_000, 100);
    for (const id of ['a', 'b', 'c']) {
      const history = cache.take(id);
      history.add(rows(2, 1000));
      cache.put(id, history);
    }
    // a, b and c count about 4,400 bytes each: two fit, and a, used longest ago, is dropped.
    expect(cache.size.sessions).toBe(2);
    const a = cache.take('a');
    expect(a.entries).toEqual([]);
    const c = cache.take('c');
    expect(c.entries).toHaveLength(2);
  });

  it('counts a history again when it grew while taken out, and forgets replaced and dropped entries', () => {
    const cache = new HistoryCache(1024 * 1024, 10);
    const history = cache.take('s');
    history.add(rows(2, 10));
    cache.put('s', history);
    const before = cache.size.bytes;
    const again = cache.take('s');
    again.add(rows(1, 500, 3));
    cache.put('s', again);
    expect(cache.size.bytes).toBeGreaterThan(before + 1000);
    // A run first read running, then interrupted, leaves the history and its bytes.
    again.add([
      {
        seq: 9,
        command: 'kubectl port-forward pod/web 8080:80',
        exitCode: null,
        output: '',
        status: 'running',
        kind: 'background',
      },
    ]);
    const withJob = again.bytes;
    again.add([
      {
        seq: 9,
        command: 'kubectl port-forward pod/web 8080:80',
        exitCode: null,
        output: '',
        status: 'interrupted',
        kind: 'background',
      },
    ]);
    expect(again.bytes).toBeLessThan(withJob);
    expect(again.entries).toHaveLength(3);
  });

  it('keeps at most maxSessions histories however small', () => {
    const cache = new HistoryCache(1024 * 1024, 2);
    for (const id of ['a', 'b', 'c']) cache.put(id, cache.take(id));
    expect(cache.size.sessions).toBe(2);
  });
});
