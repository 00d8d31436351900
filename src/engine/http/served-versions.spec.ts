import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../clock/clock';
import { createCluster } from '../cluster';
import { ApiHandler } from './handler';

/**
 * What `engine serve` lists and answers beyond the stored kinds: autoscaling/v1 next to v2 (discovery, watches in
 * v1), the kubelet's node Lease following the clock, and the create-only review APIs.
 */
describe('engine serve: autoscaling/v1, node leases and review APIs', () => {
  const clock = new ManualClock(Date.UTC(2024, 5, 3, 2, 15, 0));
  const cluster = createCluster({ seed: 1, clock });
  const handler = new ApiHandler({ cluster, address: () => '127.0.0.1:0' });
  const server = http.createServer(handler.handle);
  let port = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    handler.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  type Json = Record<string, unknown>;

  function call(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<{ code: number; json: Json }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, json: JSON.parse(text) as Json }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** The first `count` lines of a watch stream, parsed. */
  function watchLines(path: string, count: number): Promise<Json[]> {
    return new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          const lines = text.split('\n').filter(Boolean);
          if (lines.length >= count) {
            req.destroy();
            resolve(lines.slice(0, count).map((l) => JSON.parse(l) as Json));
          }
        });
      });
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    });
  }

  const HPA_V1 = JSON.stringify({
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 3,
      targetCPUUtilizationPercentage: 60,
    },
  });

  it('lists autoscaling v2 (preferred) and v1 in legacy and aggregated discovery', async () => {
    const groups = (await call('GET', '/apis')).json.groups as Json[];
    expect(groups.find((g) => g.name === 'autoscaling')).toEqual({
      name: 'autoscaling',
      versions: [
        { groupVersion: 'autoscaling/v2', version: 'v2' },
        { groupVersion: 'autoscaling/v1', version: 'v1' },
      ],
      preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
    });
    const v1 = (await call('GET', '/apis/autoscaling/v1')).json;
    expect(v1.groupVersion).toBe('autoscaling/v1');
    expect((v1.resources as Json[]).map((r) => `${r.name} ${r.kind}`)).toEqual([
      'horizontalpodautoscalers HorizontalPodAutoscaler',
      'horizontalpodautoscalers/status HorizontalPodAutoscaler',
    ]);
    const aggregated = (
      await call('GET', '/apis', undefined, {
        Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      })
    ).json.items as { metadata: { name: string }; versions: { version: string; resources: Json[] }[] }[];
    const autoscaling = aggregated.find((i) => i.metadata.name === 'autoscaling')!;
    expect(autoscaling.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
    expect(autoscaling.versions[1].resources[0].responseKind).toEqual({
      group: 'autoscaling',
      version: 'v1',
      kind: 'HorizontalPodAutoscaler',
    });
  });

  it('watches autoscaling/v1 HorizontalPodAutoscalers as v1 objects', async () => {
    expect(
      (await call('POST', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', HPA_V1)).code,
    ).toBe(201);
    const [added] = await watchLines(
      '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers?watch=true',
      1,
    );
    const object = added.object as Json & { spec: Json };
    expect(added.type).toBe('ADDED');
    expect(object.apiVersion).toBe('autoscaling/v1');
    expect(object.spec.targetCPUUtilizationPercentage).toBe(60);
    expect(object.spec.metrics).toBeUndefined();
  });

  it("serves the node's Lease, renewed every 10 s of the clock without a write", async () => {
    const path = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/minikube';
    const first = (await call('GET', path)).json as Json & { spec: Json; metadata: Json };
    expect(first.spec).toEqual({
      holderIdentity: 'minikube',
      leaseDurationSeconds: 40,
      renewTime: '2024-06-03T02:15:00.000000Z',
    });
    clock.advance(25_000);
    const later = (await call('GET', path)).json as Json & { spec: Json; metadata: Json };
    expect(later.spec.renewTime).toBe('2024-06-03T02:15:20.000000Z');
    expect(later.metadata.uid).toBe(first.metadata.uid);
    const all = (await call('GET', '/apis/coordination.k8s.io/v1/leases')).json.items as Json[];
    // The node's lease, then kube-system's leader-election leases (stored at boot).
    expect(all.map((l) => (l.metadata as Json).namespace)).toEqual([
      'kube-node-lease',
      'kube-system',
      'kube-system',
      'kube-system',
    ]);
    expect((all[0].metadata as Json).name).toBe('minikube');
    // Derived from the Node and the clock when read: nothing is stored for it.
    expect(cluster.store.valuesIn('leases', 'kube-node-lease')).toHaveLength(0);
  });

  it('lists the review APIs with the create verb only and refuses to read them (405)', async () => {
    const authz = (await call('GET', '/apis/authorization.k8s.io/v1')).json.resources as Json[];
    expect(authz.map((r) => `${r.name} ${r.namespaced} ${(r.verbs as string[]).join(',')}`)).toEqual([
      'localsubjectaccessreviews true create',
      'selfsubjectaccessreviews false create',
      'selfsubjectrulesreviews false create',
      'subjectaccessreviews false create',
    ]);
    const authn = (await call('GET', '/apis/authentication.k8s.io/v1')).json.resources as Json[];
    expect(authn.map((r) => r.name)).toEqual(['selfsubjectreviews', 'tokenreviews']);
    const read = await call(
      'GET',
      '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews',
    );
    expect(read.code).toBe(405);
    expect(read.json.message).toBe('the server does not allow this method on the requested resource');
    const token = await call(
      'POST',
      '/apis/authentication.k8s.io/v1/tokenreviews',
      JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'x' } }),
    );
    expect(token.code).toBe(201);
    expect(token.json.status).toEqual({ user: {} });
  });
});
