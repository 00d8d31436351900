/**
 * The official client against `engine serve`: @kubernetes/client-node 1.x (an ES module, so it runs in its own
 * Node process: client-node/check.mjs) lists, watches, creates, patches (JSON patch and merge patch), replaces
 * with a stale resourceVersion (409 Conflict), reads a missing object (404) and deletes, over `--tls`.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { ServedCluster } from './serve-harness';

interface Seen {
  podNames: string[];
  listResourceVersion: string;
  events: [string, string, string | null, string][];
  created: { name: string; resourceVersion: string };
  patched: Record<string, string>;
  merged: Record<string, string>;
  stale: { code: number; body: { reason: string; message: string; code: number } } | string;
  missing: { code: number; body: { reason: string; message: string; details: unknown } };
  watchError?: string;
}

describe('@kubernetes/client-node 1.x against engine serve', () => {
  let served: ServedCluster;
  let seen: Seen;

  beforeAll(async () => {
    // The client refuses plain http: this also serves over TLS (self-made CA) with a bearer token.
    served = await ServedCluster.start(['--tls']);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(__dirname, 'client-node', 'check.mjs'), served.kubeconfig],
        { timeout: 30_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    seen = JSON.parse(stdout) as Seen;
  }, 90_000);

  afterAll(async () => {
    await served?.stop();
  });

  it('lists the kube-system pods', () => {
    expect(seen.podNames).toEqual(expect.arrayContaining(['etcd-minikube', 'kube-apiserver-minikube']));
    expect(Number(seen.listResourceVersion)).toBeGreaterThan(0);
  });

  it('creates, patches with JSON patch and merge patch', () => {
    expect(seen.created.name).toBe('cm1');
    expect(seen.patched).toEqual({ a: '2' });
    expect(seen.merged).toEqual({ a: '2', b: '3' });
  });

  it('answers a stale resourceVersion with 409 Conflict', () => {
    expect(seen.stale).toEqual({
      code: 409,
      body: expect.objectContaining({
        reason: 'Conflict',
        code: 409,
        message:
          'Operation cannot be fulfilled on configmaps "cm1": the object has been modified; please apply your changes to the latest version and try again',
      }),
    });
  });

  it('answers a missing object with 404 NotFound', () => {
    expect(seen.missing.code).toBe(404);
    expect(seen.missing.body).toEqual(
      expect.objectContaining({
        reason: 'NotFound',
        message: 'configmaps "nosuch" not found',
        details: { name: 'nosuch', kind: 'configmaps' },
      }),
    );
  });

  it('watches the changes in order, each with a newer resourceVersion', () => {
    expect(seen.watchError).toBeUndefined();
    expect(seen.events.map(([type, name, a]) => [type, name, a])).toEqual([
      ['ADDED', 'cm1', '1'],
      ['MODIFIED', 'cm1', '2'],
      ['MODIFIED', 'cm1', '2'],
      ['DELETED', 'cm1', '2'],
    ]);
    const versions = seen.events.map((e) => Number(e[3]));
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
  });
});
