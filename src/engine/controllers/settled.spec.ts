import type { KubeObject } from '../api/types';
import { ObjectStore } from '../store/store';
import { SettledSyncs } from './settled';

const object = (kind: string, namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace, uid: `${namespace}/${name}` },
});

describe('SettledSyncs', () => {
  let store: ObjectStore;
  let settled: SettledSyncs;
  let runs: number;
  const sync =
    (result = true) =>
    () => {
      runs++;
      return result;
    };

  beforeEach(() => {
    store = new ObjectStore(100);
    settled = new SettledSyncs(store, ['statefulsets', 'pods']);
    store.put('statefulsets', object('StatefulSet', 'lab', 'db'));
    runs = 0;
  });

  it('skips an object whose last sync wrote nothing until an input changes in its namespace', () => {
    settled.run('lab/db', 'lab', sync());
    settled.run('lab/db', 'lab', sync());
    expect(runs).toBe(1);
    store.put('pods', object('Pod', 'other', 'web-0'));
    store.put('configmaps', object('ConfigMap', 'lab', 'app'));
    settled.run('lab/db', 'lab', sync());
    expect(runs).toBe(1);
    store.put('pods', object('Pod', 'lab', 'db-0'));
    settled.run('lab/db', 'lab', sync());
    settled.run('lab/db', 'lab', sync());
    expect(runs).toBe(2);
  });

  it('runs again after a sync that wrote, or that said its result may change by itself', () => {
    settled.run('lab/db', 'lab', () => {
      runs++;
      store.put('pods', object('Pod', 'lab', `db-${runs}`));
      return true;
    });
    settled.run('lab/db', 'lab', sync(false));
    settled.run('lab/db', 'lab', sync());
    settled.run('lab/db', 'lab', sync());
    expect(runs).toBe(3);
  });

  it('runs everything after clear (a forced pass) and forgets objects that are gone', () => {
    settled.run('lab/db', 'lab', sync());
    settled.clear();
    settled.run('lab/db', 'lab', sync());
    expect(runs).toBe(2);
    settled.run('lab/gone', 'lab', sync());
    settled.prune('statefulsets');
    store.remove('statefulsets', 'lab', 'db');
    settled.prune('statefulsets');
    settled.run('lab/db', 'lab', sync());
    expect(runs).toBe(4);
  });
});
